package io.sipflow.autodiff.backend;

/**
 * Batch normalisation as plain double loops over NCHW arrays: the executable spec of {@link BatchNormKernels}
 * (checked against PyTorch and by gradient properties), and what CpuBackend runs for FLOAT64 and in
 * {@link CpuBackend#scalar()}. Per channel c over M = N·H·W values, sums in plain index order:
 * <pre>
 * training:   μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ)·γ/√(σ² + ε) + β       (relu: y &gt; 0 ? y : 0)
 * backward:   g ← g·[y &gt; 0] if relu,  gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M)
 * inference:  y = (x − mean)·γ/√(var + ε) + β with the given mean and var
 * </pre>
 * Channels run in parallel, each computed by one thread: no dependence on the thread count.
 */
final class ReferenceBatchNorm {
    private ReferenceBatchNorm() {
    }

    /** The normalised output and the per-channel statistics it used (biased variance). */
    record Forward(double[] y, double[] mean, double[] variance) {
    }

    /** The three gradients of {@link #training}. */
    record Backward(double[] gx, double[] gGamma, double[] gBeta) {
    }

    static Forward training(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps,
                            boolean relu) {
        int count = n * hw;
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] y = new double[x.length];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        s += x[base + j];
                    }
                }
                double mu = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        double d = x[base + j] - mu;
                        ss += d * d;
                    }
                }
                mean[ch] = mu;
                var[ch] = ss / count;
                normalise(x, y, n, c, hw, ch, mu, gamma[ch] * BatchNormKernels.invStd(var[ch], eps), beta[ch], relu);
            }
        });
        return new Forward(y, mean, var);
    }

    /** The VJP of {@link #training}; {@code reluOutput} is the forward's y when relu was fused, else null. */
    static Backward backward(double[] g, double[] reluOutput, double[] x, int n, int c, int hw, double[] mean,
                             double[] variance, double eps, double[] gamma) {
        int count = n * hw;
        double[] gx = new double[x.length];
        double[] gGamma = new double[c];
        double[] gBeta = new double[c];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double invStd = BatchNormKernels.invStd(variance[ch], eps);
                double sumG = 0;
                double sumGX = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        double gj = masked(g, reluOutput, base + j);
                        sumG += gj;
                        sumGX += gj * (x[base + j] - mean[ch]) * invStd;
                    }
                }
                gBeta[ch] = sumG;
                gGamma[ch] = sumGX;
                double scale = gamma[ch] * invStd;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        double xhat = (x[base + j] - mean[ch]) * invStd;
                        gx[base + j] = scale * (masked(g, reluOutput, base + j) - sumG / count - xhat * sumGX / count);
                    }
                }
            }
        });
        return new Backward(gx, gGamma, gBeta);
    }

    static double[] inference(double[] x, int n, int c, int hw, double[] gamma, double[] beta, double[] mean,
                              double[] variance, double eps, boolean relu) {
        double[] y = new double[x.length];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double scale = gamma[ch] * BatchNormKernels.invStd(variance[ch], eps);
                normalise(x, y, n, c, hw, ch, mean[ch], scale, beta[ch], relu);
            }
        });
        return y;
    }

    /** y = (x − μ)·scale + shift over channel ch of every image; with relu, y &gt; 0 ? y : 0. */
    private static void normalise(double[] x, double[] y, int n, int c, int hw, int ch, double mu, double scale,
                                  double shift, boolean relu) {
        for (int i = 0; i < n; i++) {
            int base = (i * c + ch) * hw;
            for (int j = 0; j < hw; j++) {
                double v = (x[base + j] - mu) * scale + shift;
                y[base + j] = relu ? (v > 0 ? v : 0) : v;
            }
        }
    }

    /** g[j], or g[j]·[relu[j] &gt; 0] (ReLU's VJP) when a fused ReLU's output is given. */
    private static double masked(double[] g, double[] relu, int j) {
        return relu == null ? g[j] : g[j] * (relu[j] > 0 ? 1 : 0);
    }
}
