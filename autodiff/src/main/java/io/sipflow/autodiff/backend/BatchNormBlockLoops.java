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
}
