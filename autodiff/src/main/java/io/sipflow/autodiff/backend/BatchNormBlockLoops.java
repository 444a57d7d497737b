package io.sipflow.autodiff.backend;

/**
 * The per-block loops of {@link BatchNormKernels} (and {@link StridedSum}'s float sum) behind one interface, so the
 * Vector API versions ({@code fast.VectorBatchNormLoops}) can stand in for the scalar ones in {@link BatchNormLoops}
 * without touching a Vector API class when module {@code jdk.incubator.vector} is missing. Every implementation
 * must give the scalar loops' results bit for bit: the same four interleaved double partial sums, combined as
 * (s0 + s1) + (s2 + s3), and each element computed in double and rounded to float once.
 * {@link BatchNormLoops#LOOPS} says which run.
 */
public interface BatchNormBlockLoops {
    /**
     * Σ x[lo..hi), as {@link StridedSum#sum}.
     *
     * @param x the values
     * @param lo first index summed
     * @param hi one past the last index summed
     * @return the sum, in the order the interface's contract fixes
     */
    double sum(float[] x, int lo, int hi);

    /**
     * Σ (x[j] − μ)² over x[lo..hi), as {@link BatchNormLoops#squaredDeviations}.
     *
     * @param x the values
     * @param lo first index
     * @param hi one past the last index
     * @param mu the mean μ subtracted from each value
     * @return the sum of squared deviations
     */
    double squaredDeviations(float[] x, int lo, int hi, double mu);

    /**
     * {@link #sum} of {@code count} blocks of {@code len} values, block i at {@code first + i·stride}, into
     * {@code into[0 .. count)}: one channel's per-image plane sums. Each block bit for bit as {@link #sum} gives it;
     * an implementation may run several blocks' add chains side by side (one chain is bound by the add latency).
     *
     * @param x the values
     * @param first index of block 0's first value
     * @param stride distance between the starts of consecutive blocks
     * @param count number of blocks
     * @param len values per block
     * @param into receives the sums (length ≥ count)
     */
    default void planeSums(float[] x, int first, int stride, int count, int len, double[] into) {
        for (int i = 0; i < count; i++) {
            int lo = first + i * stride;
            into[i] = sum(x, lo, lo + len);
        }
    }

    /**
     * {@link #squaredDeviations} of {@code count} blocks of {@code len} values, block i at {@code first + i·stride},
     * into {@code into[0 .. count)}, each bit for bit as {@link #squaredDeviations} gives it (see
     * {@link #planeSums}).
     *
     * @param x the values
     * @param first index of block 0's first value
     * @param stride distance between the starts of consecutive blocks
     * @param count number of blocks
     * @param len values per block
     * @param mu the mean μ subtracted from each value
     * @param into receives the sums (length ≥ count)
     */
    default void planeSquaredDeviations(float[] x, int first, int stride, int count, int len, double mu,
                                        double[] into) {
        for (int i = 0; i < count; i++) {
            int lo = first + i * stride;
            into[i] = squaredDeviations(x, lo, lo + len, mu);
        }
    }

    /**
     * Both gradient sums, as {@link BatchNormLoops#gradientSums}: into[0] = Σ m[j], into[1] = Σ m[j]·(x[j] − μ),
     * with m[j] = g[j], or 0 where a relu output is given and relu[j] ≤ 0.
     *
     * @param g the output gradient
     * @param relu the forward's relu output as a mask, or null for none
     * @param x the forward's input
     * @param lo first index
     * @param hi one past the last index
     * @param mu the batch mean μ
     * @param into receives the two sums (length ≥ 2)
     */
    void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into);

    /**
     * The normalised (and optionally ReLU'd) output, as {@link BatchNormLoops#normalise}:
     * y[j] = (float) ((x[j] − μ)·scale + shift), then y[j] ≤ 0 ? 0 : y[j] with relu.
     *
     * @param x the input
     * @param y receives the output at [lo..hi)
     * @param lo first index
     * @param hi one past the last index
     * @param mu the mean μ
     * @param scale γ/√(σ² + ε)
     * @param shift β
     * @param relu whether to apply the relu
     */
    void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu);

    /**
     * The input gradient, as {@link BatchNormLoops#inputGradient}:
     * gx[j] = (float) (scale·(m[j] − meanG − (x[j] − μ)·meanGX)), m[j] masked as in {@link #gradientSums}.
     *
     * @param g the output gradient
     * @param relu the forward's relu output as a mask, or null for none
     * @param x the forward's input
     * @param gx receives the input gradient at [lo..hi)
     * @param lo first index
     * @param hi one past the last index
     * @param mu the batch mean μ
     * @param scale γ/√(σ² + ε)
     * @param meanG Σ m / M
     * @param meanGX Σ m·(x − μ) / (M·(σ² + ε))
     */
    void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                       double meanG, double meanGX);

    /**
     * {@link #gradientSums} with the mask of a fused ReLU recomputed from x instead of read from the ReLU's output:
     * m[j] = g[j]·[v > 0] (the float product with 1 or 0) with v = (float) ((x[j] − μ)·scale + shift), the float
     * the forward's {@link #normalise} computed, so [v &gt; 0] is exactly [relu output &gt; 0] for the scale and shift
     * the forward used. The sums are in {@link #gradientSums}' order.
     *
     * @param g the output gradient
     * @param x the forward's input
     * @param lo first index
     * @param hi one past the last index
     * @param mu the batch mean μ
     * @param scale the forward's γ/√(σ² + ε)
     * @param shift the forward's β
     * @param into receives the two sums (length ≥ 2)
     */
    void gradientSumsRelu(float[] g, float[] x, int lo, int hi, double mu, double scale, double shift, double[] into);

    /**
     * {@link #gradientSumsRelu} of {@code count} blocks of {@code len} values, block i at {@code first + i·stride}
     * (in g and x), into {@code into[2i]} and {@code into[2i + 1]}: one channel's per-image gradient sums, each bit
     * for bit as {@link #gradientSumsRelu} gives it. An implementation may run several blocks' add chains side by
     * side (see {@link #planeSums}).
     *
     * @param g the output gradient
     * @param x the forward's input
     * @param first index of block 0's first value
     * @param stride distance between the starts of consecutive blocks
     * @param count number of blocks
     * @param len values per block
     * @param mu the batch mean μ
     * @param scale the forward's γ/√(σ² + ε)
     * @param shift the forward's β
     * @param into receives the sums (length ≥ 2·count)
     */
    default void planeGradientSumsRelu(float[] g, float[] x, int first, int stride, int count, int len, double mu,
                                       double scale, double shift, double[] into) {
        double[] block = new double[2];
        for (int i = 0; i < count; i++) {
            int lo = first + i * stride;
            gradientSumsRelu(g, x, lo, lo + len, mu, scale, shift, block);
            into[2 * i] = block[0];
            into[2 * i + 1] = block[1];
        }
    }

    /**
     * {@link #inputGradient} with the ReLU mask recomputed from x as in {@link #gradientSumsRelu}; {@code scale} is
     * both the forward's γ/√(σ² + ε) and the gradient's factor (they are the same number).
     *
     * @param g the output gradient
     * @param x the forward's input
     * @param gx receives the input gradient
     * @param lo first index
     * @param hi one past the last index
     * @param mu the batch mean μ
     * @param scale γ/√(σ² + ε)
     * @param shift the forward's β
     * @param meanG Σm / M
     * @param meanGX Σ m·x̂ / M · 1/√(σ² + ε)
     */
    void inputGradientRelu(float[] g, float[] x, float[] gx, int lo, int hi, double mu, double scale, double shift,
                           double meanG, double meanGX);

    /**
     * g·[v &gt; 0] for v = (float) ((x − μ)·scale + shift): the masked gradient of one value, as the loops above
     * compute it.
     *
     * @param g the output gradient's value
     * @param x the forward's input value
     * @param mu the batch mean μ
     * @param scale the forward's γ/√(σ² + ε)
     * @param shift the forward's β
     * @return g·1 or g·0, as a float product
     */
    static float reluMasked(float g, float x, double mu, double scale, double shift) {
        float v = (float) ((x - mu) * scale + shift);
        return g * (v > 0f ? 1f : 0f);
    }
}
