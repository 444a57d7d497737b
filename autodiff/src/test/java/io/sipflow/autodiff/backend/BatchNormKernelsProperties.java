package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BatchNormKernels} against the batch-norm formulas in plain double loops (those of {@link ReferenceBatchNorm}).
 * Tolerance: statistics and parameter gradients within 1e-12 relative to the sum of magnitudes (double sums in a
 * different order); y and gx within 2 float ulps of the double value (one rounding, plus double error scaled by
 * the inputs' magnitude). The fused ReLU mask must be bit-identical to masking a copy of g first.
 */
class BatchNormKernelsProperties {
    @Property(tries = 100)
    void matchesTheDoubleFormulas(@ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 1, max = 6) int c,
                                  @ForAll @IntRange(min = 1, max = 70) int hw, @ForAll @LongRange long seed) {
        if (n * hw < 2) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * c * hw];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 4 - 1);
            g[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = rng.nextDouble() + 0.5;
            beta[ch] = rng.nextDouble() - 0.5;
        }
        double eps = 1e-5;
        BatchNormKernels.Forward f = BatchNormKernels.forward(x, n, c, hw, gamma, beta, eps, false);
        BatchNormKernels.Backward b = BatchNormKernels.backward(g, null, x, n, c, hw, f.mean(), f.variance(), eps, gamma);
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            double mag = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    s += x[(i * c + ch) * hw + j];
                    mag += Math.abs(x[(i * c + ch) * hw + j]);
                }
            }
            double mu = s / m;
            double ss = 0;
            double sumG = 0;
            double sumGX = 0;
            double magG = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * c + ch) * hw + j;
                    ss += (x[at] - mu) * (x[at] - mu);
                    sumG += g[at];
                    magG += Math.abs(g[at]);
                }
            }
            double var = ss / m;
            double inv = 1 / Math.sqrt(var + eps);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * c + ch) * hw + j;
                    sumGX += g[at] * (x[at] - mu) * inv;
                }
            }
            close("mean", f.mean()[ch], mu, 1e-12 * mag / m, seed);
            close("variance", f.variance()[ch], var, 1e-12 * (var + mag * mag / m / m), seed);
            close("gBeta", b.gBeta()[ch], sumG, 1e-12 * magG, seed);
            close("gGamma", b.gGamma()[ch], sumGX, 1e-11 * magG * (4 + Math.abs(mu)) * inv, seed);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < hw; j++) {
                    int at = (i * c + ch) * hw + j;
                    double xhat = (x[at] - mu) * inv;
                    double y = xhat * gamma[ch] + beta[ch];
                    double gx = gamma[ch] * inv * (g[at] - sumG / m - xhat * sumGX / m);
                    close("y", f.y()[at], y, 2 * Math.ulp((float) y) + 1e-9 * (1 + Math.abs(xhat)), seed);
                    close("gx", b.gx()[at], gx, 2 * Math.ulp((float) gx) + 1e-9 * gamma[ch] * inv * (magG + 1), seed);
                }
            }
        }
    }

    /**
     * The fused ReLU mask: backward(g, y, ...) is bit for bit backward(g·[y &gt; 0], null, ...) with the masked
     * gradient built as nn's separate relu VJP builds it (the float product g·1 or g·0, so −0 where g &lt; 0).
     */
    @Property(tries = 100)
    void reluMaskInsideTheKernelIsBitIdenticalToAMaskedCopy(@ForAll @IntRange(min = 1, max = 4) int n,
                                                           @ForAll @IntRange(min = 1, max = 6) int c,
                                                           @ForAll @IntRange(min = 1, max = 70) int hw,
                                                           @ForAll @LongRange long seed) {
        if (n * hw < 2) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n * c * hw];
        float[] g = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 4 - 1);
            g[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = rng.nextDouble() + 0.5;
            beta[ch] = rng.nextDouble() - 0.5;
        }
        BatchNormKernels.Forward f = BatchNormKernels.forward(x, n, c, hw, gamma, beta, 1e-5, false);
        float[] relu = new float[x.length];
        float[] masked = new float[x.length];
        // the kernel's branch-free mask must agree with relu > 0 on odd values too: −0, NaN, ∞, subnormals, negatives
        float[] odd = {-0f, Float.NaN, Float.intBitsToFloat(0xFFC00001), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MAX_VALUE, -1f};
        for (int i = 0; i < x.length; i++) {
            relu[i] = rng.nextInt(5) == 0 ? odd[rng.nextInt(odd.length)] : f.y()[i] > 0f ? f.y()[i] : 0f;
            masked[i] = g[i] * (relu[i] > 0f ? 1f : 0f);
        }
        BatchNormKernels.Backward fused = BatchNormKernels.backward(g, relu, x, n, c, hw, f.mean(), f.variance(), 1e-5, gamma);
        BatchNormKernels.Backward copy = BatchNormKernels.backward(masked, null, x, n, c, hw, f.mean(), f.variance(),
                1e-5, gamma);
        for (int i = 0; i < x.length; i++) {
            if (Float.floatToRawIntBits(fused.gx()[i]) != Float.floatToRawIntBits(copy.gx()[i])) {
                fail("gx[" + i + "]: " + fused.gx()[i] + " vs " + copy.gx()[i] + " (seed " + seed + ")");
            }
        }
        for (int ch = 0; ch < c; ch++) {
            if (Double.doubleToRawLongBits(fused.gGamma()[ch]) != Double.doubleToRawLongBits(copy.gGamma()[ch])
                    || Double.doubleToRawLongBits(fused.gBeta()[ch]) != Double.doubleToRawLongBits(copy.gBeta()[ch])) {
                fail("channel " + ch + ": gGamma " + fused.gGamma()[ch] + " vs " + copy.gGamma()[ch] + ", gBeta "
                        + fused.gBeta()[ch] + " vs " + copy.gBeta()[ch] + " (seed " + seed + ")");
            }
        }
    }

    private static void close(String what, double got, double want, double tol, long seed) {
        if (!(Math.abs(got - want) <= tol)) {
            fail("batch norm " + what + ": " + got + " vs " + want + " (|err| " + Math.abs(got - want) + " > " + tol
                    + ", seed " + seed + ")");
        }
    }
}
