package io.sipflow.autodiff.backend;

/**
 * FLOAT32 batch normalisation with batch statistics on raw NCHW arrays, for a batch-norm op that wants to skip the
 * float→double copies of the whole tensor (the formulas of {@code nn.BatchNormOps}, whose double loops are the
 * spec). Per channel c over M = N·H·W values:
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ)·γ/√(σ² + ε) + β
 * gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M),   x̂ = (x − μ)/√(σ² + ε)
 * </pre>
 * Statistics and sums accumulate in double ({@link StridedSum}'s fixed order: per image block, four interleaved
 * partial sums); each element is computed in double and rounded once. Channels run in parallel, each summed by
 * one thread, so results do not depend on the thread count. The per-block loops are {@link BatchNormLoops}:
 * {@link ScalarBatchNormLoops}, or with {@code -Dsipflow.bn.vector=true} the bit-identical Vector API ones.
 */
public final class BatchNormKernels {
    private BatchNormKernels() {
    }

    /** The normalised output and the per-channel statistics it used (biased variance, 1/√(σ² + ε)). */
    public record Forward(float[] y, double[] mean, double[] variance, double[] invStd) {
    }

    /** The three gradients of {@link #forward}. */
    public record Backward(float[] gx, double[] gGamma, double[] gBeta) {
    }

    public static Forward forward(float[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps) {
        return forward(x, n, c, hw, gamma, beta, eps, false);
    }

    /**
     * As {@link #forward(float[], int, int, int, double[], double[], double)}; with {@code relu} the output is
     * max(y, 0) (y &lt;= 0 ? 0 : y, so −0 gives +0 and NaN stays NaN), clamped inside the normalising loop instead of in a
     * second pass over y.
     */
    public static Forward forward(float[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps,
                                  boolean relu) {
        return forward(loops(), x, n, c, hw, gamma, beta, eps, relu);
    }

    /** {@link #forward} with the given loops: the tests compare the Vector API loops with the scalar ones. */
    static Forward forward(BatchNormLoops loops, float[] x, int n, int c, int hw, double[] gamma, double[] beta,
                           double eps, boolean relu) {
        int count = n * hw;
        float[] y = new float[x.length];
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] invStd = new double[c];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    s += loops.sum(x, base, base + hw);
                }
                double mu = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    ss += loops.squaredDeviations(x, base, base + hw, mu);
                }
                mean[ch] = mu;
                var[ch] = ss / count;
                invStd[ch] = 1.0 / Math.sqrt(var[ch] + eps);
                double scale = gamma[ch] * invStd[ch];
                double shift = beta[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    loops.normalise(x, y, base, base + hw, mu, scale, shift, relu);
                }
            }
        });
        return new Forward(y, mean, var, invStd);
    }

    /**
     * The VJP of {@link #forward}. With {@code reluOutput} non-null (the output of a ReLU fused after the batch
     * norm) the incoming gradient is first masked, g ← g·[reluOutput &gt; 0] (ReLU's VJP, the same float products),
     * inside the loops below, so no masked copy of g is allocated; null = no mask.
     */
    public static Backward backward(float[] g, float[] reluOutput, float[] x, int n, int c, int hw, double[] mean,
                                    double[] invStd, double[] gamma) {
        return backward(loops(), g, reluOutput, x, n, c, hw, mean, invStd, gamma);
    }

    /** {@link #backward} with the given loops. */
    static Backward backward(BatchNormLoops loops, float[] g, float[] reluOutput, float[] x, int n, int c, int hw,
                             double[] mean, double[] invStd, double[] gamma) {
        int count = n * hw;
        float[] gx = new float[x.length];
        double[] gGamma = new double[c];
        double[] gBeta = new double[c];
        Parallel.forRange(c, 1, (lo, hi) -> {
            double[] block = new double[2];
            for (int ch = lo; ch < hi; ch++) {
                double mu = mean[ch];
                double sumG = 0;
                double sumGX = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    loops.gradientSums(g, reluOutput, x, base, base + hw, mu, block);
                    sumG += block[0];
                    sumGX += block[1];
                }
                sumGX *= invStd[ch];
                gBeta[ch] = sumG;
                gGamma[ch] = sumGX;
                double scale = gamma[ch] * invStd[ch];
                double meanG = sumG / count;
                double meanGX = sumGX / count * invStd[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    loops.inputGradient(g, reluOutput, x, gx, base, base + hw, mu, scale, meanG, meanGX);
                }
            }
        });
        return new Backward(gx, gGamma, gBeta);
    }

    /** The loops {@link FastPath}'s kernels choose (the scalar ones by default), else the scalar reference. */
    static BatchNormLoops loops() {
        FastKernels fast = FastPath.kernels();
        return fast == null ? ScalarBatchNormLoops.INSTANCE : fast.batchNormLoops();
    }
}
