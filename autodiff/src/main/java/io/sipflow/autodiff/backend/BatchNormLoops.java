package io.sipflow.autodiff.backend;

/**
 * The per-block loops of {@link BatchNormKernels}, one contiguous block x[lo..hi) of one image and channel at a
 * time. {@link ScalarBatchNormLoops} is the reference; the Vector API implementation (from {@link FastKernels})
 * must give the same values bit for bit: sums in the same order, each element through the same double operations
 * (no fused multiply-add), rounded to float once.
 */
public interface BatchNormLoops {
    /** Σ x[lo..hi) in {@link StridedSum#sum}'s order: four interleaved double sums, then (s0 + s1) + (s2 + s3). */
    double sum(float[] x, int lo, int hi);

    /** Σ (x[j] − μ)² over x[lo..hi), in {@link #sum}'s order. */
    double squaredDeviations(float[] x, int lo, int hi, double mu);

    /**
     * Both gradient sums over [lo..hi) in one pass, each in {@link #sum}'s order: into[0] = Σ m[j],
     * into[1] = Σ m[j]·(x[j] − μ), with m[j] = g[j], or g[j]·[relu[j] &gt; 0] (the float product g·1 or g·0, so
     * −0 where g &lt; 0) when a fused ReLU's output {@code relu} is given (null = no mask).
     */
    void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into);

    /**
     * y[j] = (float) ((x[j] − μ)·scale + shift) for j in [lo..hi); with {@code relu}, then y[j] &gt; 0 ? y[j] : 0
     * (so NaN and −0 give +0, as ReLU does).
     */
    void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu);

    /**
     * gx[j] = (float) (scale·(m[j] − meanG − (x[j] − μ)·meanGX)) for j in [lo..hi), m[j] as in
     * {@link #gradientSums}.
     */
    void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                       double meanG, double meanGX);
}
