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
 * one thread, so results do not depend on the thread count.
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
                    s += StridedSum.sum(null, x, base, base + hw);
                }
                double mu = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += squaredDeviations(x, (i * c + ch) * hw, hw, mu);
                }
                mean[ch] = mu;
                var[ch] = ss / count;
                invStd[ch] = 1.0 / Math.sqrt(var[ch] + eps);
                double scale = gamma[ch] * invStd[ch];
                double shift = beta[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = base; j < base + hw; j++) {
                        y[j] = (float) ((x[j] - mu) * scale + shift);
                    }
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
        int count = n * hw;
        float[] gx = new float[x.length];
        double[] gGamma = new double[c];
        double[] gBeta = new double[c];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double mu = mean[ch];
                double sumG = 0;
                double sumGX = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    sumG += sum(g, reluOutput, base, hw);
                    sumGX += centredDot(g, reluOutput, x, base, hw, mu);
                }
                sumGX *= invStd[ch];
                gBeta[ch] = sumG;
                gGamma[ch] = sumGX;
                double scale = gamma[ch] * invStd[ch];
                double meanG = sumG / count;
                double meanGX = sumGX / count * invStd[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = base; j < base + hw; j++) {
                        gx[j] = (float) (scale * (masked(g, reluOutput, j) - meanG - (x[j] - mu) * meanGX));
                    }
                }
            }
        });
        return new Backward(gx, gGamma, gBeta);
    }

    /** Σ (x[j] − μ)² over one block, four interleaved double sums. */
    private static double squaredDeviations(float[] x, int base, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = base;
        int end = base + len;
        for (; j + 3 < end; j += 4) {
            double d0 = x[j] - mu, d1 = x[j + 1] - mu, d2 = x[j + 2] - mu, d3 = x[j + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < end; j++) {
            double d = x[j] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * g[j], or g[j]·[relu[j] &gt; 0] when a fused ReLU's output is given: exactly ReLU's VJP product (g·1 or g·0,
     * so −0 where g &lt; 0). The mask is computed without a branch: for the ~50/50 pattern of a ReLU a branch
     * mispredicts so often that the fused loops ran at half speed. With b the raw bits of relu[j],
     * relu[j] &gt; 0 ⇔ 0 &lt; b ≤ 0x7F800000 (positive and not NaN; −0 is Integer.MIN_VALUE), and
     * (−b) &gt;&gt;&gt; 31 is 1 exactly for b &gt; 0 (and for MIN_VALUE), (b − 0x7F800001) &gt;&gt;&gt; 31 is 1
     * exactly for b ≤ 0x7F800000 (and 0 for MIN_VALUE, which wraps).
     */
    private static float masked(float[] g, float[] relu, int j) {
        if (relu == null) {
            return g[j];
        }
        int b = Float.floatToRawIntBits(relu[j]);
        return g[j] * (((-b) >>> 31) & ((b - 0x7F800001) >>> 31));
    }

    /** Σ g[j] (masked) over one block, in {@link StridedSum#sum}'s order: four interleaved double sums. */
    private static double sum(float[] g, float[] relu, int base, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = base;
        int end = base + len;
        for (; j + 3 < end; j += 4) {
            s0 += masked(g, relu, j);
            s1 += masked(g, relu, j + 1);
            s2 += masked(g, relu, j + 2);
            s3 += masked(g, relu, j + 3);
        }
        for (; j < end; j++) {
            s0 += masked(g, relu, j);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ g[j]·(x[j] − μ) (g masked) over one block, four interleaved double sums. */
    private static double centredDot(float[] g, float[] relu, float[] x, int base, int len, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = base;
        int end = base + len;
        for (; j + 3 < end; j += 4) {
            s0 += masked(g, relu, j) * (x[j] - mu);
            s1 += masked(g, relu, j + 1) * (x[j + 1] - mu);
            s2 += masked(g, relu, j + 2) * (x[j + 2] - mu);
            s3 += masked(g, relu, j + 3) * (x[j + 3] - mu);
        }
        for (; j < end; j++) {
            s0 += masked(g, relu, j) * (x[j] - mu);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
