package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link BatchNormKernels} against the batch-norm formulas in plain double loops (the loops of nn's BatchNormOps).
 * Tolerance: statistics and parameter gradients within 1e-12 relative to the sum of magnitudes (double sums in a
 * different order); y and gx within 2 float ulps of the double value (one rounding, plus double error scaled by
 * the inputs' magnitude).
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
        BatchNormKernels.Forward f = BatchNormKernels.forward(x, n, c, hw, gamma, beta, eps);
        BatchNormKernels.Backward b = BatchNormKernels.backward(g, x, n, c, hw, f.mean(), f.invStd(), gamma);
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

    private static void close(String what, double got, double want, double tol, long seed) {
        if (!(Math.abs(got - want) <= tol)) {
            fail("batch norm " + what + ": " + got + " vs " + want + " (|err| " + Math.abs(got - want) + " > " + tol
                    + ", seed " + seed + ")");
        }
    }
}
