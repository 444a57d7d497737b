package io.sipflow.autodiff.backend;

/**
 * The per-block loops of {@link BatchNormKernels} (and {@link StridedSum}'s float sum) behind one interface, so the
 * Vector API versions ({@code fast.VectorBatchNormLoops}) can stand in for the scalar ones in {@link BatchNormLoops}
 * without touching a Vector API class when module {@code jdk.incubator.vector} is missing. Every implementation
 * must give the scalar loops' results bit for bit: the same four interleaved double partial sums, combined as
 * (s0 + s1) + (s2 + s3), and each element computed in double and rounded to float once.
 * {@link BatchNormLoops#LOOPS} says which run, and why not the vector ones on JDK 17.
 */
public interface BatchNormBlockLoops {
    /** Σ x[lo..hi), as {@link StridedSum#sum}. */
    double sum(float[] x, int lo, int hi);

    /** Σ (x[j] − μ)² over x[lo..hi), as {@link BatchNormLoops#squaredDeviations}. */
    double squaredDeviations(float[] x, int lo, int hi, double mu);

    /** Both gradient sums, as {@link BatchNormLoops#gradientSums}. */
    void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into);

    /** The normalised (and optionally ReLU'd) output, as {@link BatchNormLoops#normalise}. */
    void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu);

    /** The input gradient, as {@link BatchNormLoops#inputGradient}. */
    void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                       double meanG, double meanGX);
}
