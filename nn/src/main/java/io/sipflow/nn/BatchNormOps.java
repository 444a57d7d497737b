package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Parallel;

/**
 * Batch normalisation with batch statistics, one primitive with a hand-written VJP: as a composite it would make
 * about ten full-size temporaries forward and as many backward. Per channel c over M = N·H·W values:
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²)  (biased),  x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 * VJP:  gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M)
 * </pre>
 * The result has the op's type (the scope's, else the promotion of x, γ, β). FLOAT64 runs the double loops below
 * (the spec, checked against PyTorch and by gradient properties); FLOAT32 runs {@link BatchNormFloat32}, the same
 * formulas on the raw float arrays without whole-tensor copies to double (equal up to float rounding).
 */
public final class BatchNormOps {
    private BatchNormOps() {
    }

    /** The normalised output and the batch statistics (biased variance) it used. */
    public record Result(Tensor output, double[] mean, double[] variance) {
    }

    /**
     * What the op applies to its normalised output. Fusing ReLU into the FLOAT32 op keeps one saved tensor per layer
     * instead of two (the separate ReLU node would hold the normalised output alive for its mask): about 175 MB
     * less live memory in a seed-sized U-Net step. The ReLU mask comes from the output, out &gt; 0 ⇔ y &gt; 0, so
     * values and gradients are bit-identical to batch norm followed by {@code relu()}.
     */
    public enum Fused {
        NONE,
        RELU
    }

    /** Normalises {@code x} (N, C, H, W) per channel with its own statistics; γ, β have shape (C). */
    public static Result batchNorm2d(Tensor x, Tensor gamma, Tensor beta, double eps) {
        return batchNorm2d(x, gamma, beta, eps, Fused.NONE);
    }

    /** As {@link #batchNorm2d(Tensor, Tensor, Tensor, double)}, then {@code fused} applied to the output. */
    public static Result batchNorm2d(Tensor x, Tensor gamma, Tensor beta, double eps, Fused fused) {
        int[] d = x.shape().dims();
        if (x.rank() != 4 || !gamma.shape().equals(Shape.of(d[1])) || !beta.shape().equals(Shape.of(d[1]))) {
            throw new IllegalArgumentException("batchNorm2d: expects x (N, C, H, W) and gamma, beta (C); got x "
                    + x.shape() + ", gamma " + gamma.shape() + ", beta " + beta.shape());
        }
        int n = d[0];
        int c = d[1];
        int hw = d[2] * d[3];
        int count = n * hw;
        if (count < 2) {
            throw new IllegalArgumentException("batchNorm2d: training needs more than one value per channel, got x "
                    + x.shape() + " (PyTorch raises the same)");
        }
        DType type = Precision.resultType(Precision.resultType(x.dtype(), gamma.dtype()), beta.dtype());
        Tensor xs = x.dtype() == type ? x : x.to(type);
        Tensor gs = gamma.dtype() == type ? gamma : gamma.to(type);
        Tensor bs = beta.dtype() == type ? beta : beta.to(type);
        if (type == DType.FLOAT32) {
            return BatchNormFloat32.batchNorm2d(xs, gs, bs, eps, fused);
        }
        double[] xv = xs.toDoubleArray();
        double[] g = gs.toDoubleArray();
        double[] b = bs.toDoubleArray();
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] invStd = new double[c];
        double[] y = new double[xv.length];
        Parallel.forRange(c, 1, (lo, hi) -> {
            for (int ch = lo; ch < hi; ch++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        s += xv[base + j];
                    }
                }
                double mu = s / count;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        double dv = xv[base + j] - mu;
                        ss += dv * dv;
                    }
                }
                mean[ch] = mu;
                var[ch] = ss / count;
                invStd[ch] = 1.0 / Math.sqrt(var[ch] + eps);
                double scale = g[ch] * invStd[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    for (int j = 0; j < hw; j++) {
                        y[base + j] = (xv[base + j] - mu) * scale + b[ch];
                    }
                }
            }
        });
        Tensor value = typed(x.shape(), y, type);
        Tensor out = Graph.record("batchNorm2d", value, new Tensor[] {xs, gs, bs}, gy -> {
            double[] gv = gy.toDoubleArray();
            double[] gx = new double[gv.length];
            double[] gGamma = new double[c];
            double[] gBeta = new double[c];
            Parallel.forRange(c, 1, (lo, hi) -> {
                for (int ch = lo; ch < hi; ch++) {
                    double sumG = 0;
                    double sumGX = 0;
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * hw;
                        for (int j = 0; j < hw; j++) {
                            sumG += gv[base + j];
                            sumGX += gv[base + j] * (xv[base + j] - mean[ch]) * invStd[ch];
                        }
                    }
                    gBeta[ch] = sumG;
                    gGamma[ch] = sumGX;
                    double scale = g[ch] * invStd[ch];
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * hw;
                        for (int j = 0; j < hw; j++) {
                            double xhat = (xv[base + j] - mean[ch]) * invStd[ch];
                            gx[base + j] = scale * (gv[base + j] - sumG / count - xhat * sumGX / count);
                        }
                    }
                }
            });
            return new Tensor[] {typed(x.shape(), gx, type), typed(gamma.shape(), gGamma, type),
                typed(beta.shape(), gBeta, type)};
        });
        // FLOAT64 is the reference path: no fusion, the separate relu op.
        return new Result(fused == Fused.RELU ? out.relu() : out, mean, var);
    }

    private static Tensor typed(Shape shape, double[] v, DType type) {
        return Tensor.of(type, shape, v);
    }
}
