package io.sipflow.autodiff.backend;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The batch-norm forward's per-plane statistics ({@link BatchNormBlockLoops#planeSums},
 * {@link BatchNormBlockLoops#planeSquaredDeviations}, several planes' add chains side by side) give exactly what
 * summing one block at a time with the scalar loops gave, and the whole forward (statistics, y, the pooled
 * variant) is bit for bit the forward as it was written before: for each channel, Σ over images i in order of the
 * scalar block sum, the same for the squared deviations, then the scalar normalise. The same for the backward with a
 * fused ReLU's mask recomputed ({@link BatchNormBlockLoops#planeGradientSumsRelu}, two planes side by side in the
 * vector loops). NaN, ±∞ and −0 included (a NaN compares as any NaN).
 */
class BatchNormPlaneSumsProperties {
    @Property(tries = 300)
    void planeLoopsAreTheScalarBlockLoops(@ForAll @IntRange(min = 0, max = 11) int count,
                                          @ForAll @IntRange(min = 0, max = 37) int len,
                                          @ForAll @IntRange(min = 0, max = 9) int first,
                                          @ForAll @IntRange(min = 0, max = 13) int gap,
                                          @ForAll boolean specials, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int stride = len + gap;
        float[] x = values(rng, first + count * stride + 5, specials);
        double mu = rng.nextDouble() * 2 - 1;
        BatchNormBlockLoops scalar = BatchNormLoops.SCALAR;
        for (BatchNormBlockLoops loops : new BatchNormBlockLoops[] {BatchNormLoops.LOOPS, BatchNormLoops.vector(),
            scalar}) {
            if (loops == null) {
                continue; // no Vector API module on this JVM
            }
            double[] sums = new double[count + 1];
            double[] squares = new double[count + 1];
            sums[count] = 42; // past count: left alone
            squares[count] = 42;
            loops.planeSums(x, first, stride, count, len, sums);
            loops.planeSquaredDeviations(x, first, stride, count, len, mu, squares);
            for (int i = 0; i < count; i++) {
                int lo = first + i * stride;
                same(scalar.sum(x, lo, lo + len), sums[i], loops + " planeSums[" + i + "]");
                same(scalar.squaredDeviations(x, lo, lo + len, mu), squares[i],
                        loops + " planeSquaredDeviations[" + i + "]");
            }
            same(42, sums[count], "planeSums wrote past count");
            same(42, squares[count], "planeSquaredDeviations wrote past count");
        }
    }

    @Property(tries = 150)
    void forwardIsTheBlockByBlockForwardBitForBit(@ForAll @IntRange(min = 1, max = 9) int n,
                                                  @ForAll @IntRange(min = 1, max = 4) int c,
                                                  @ForAll @IntRange(min = 1, max = 5) int halfH,
                                                  @ForAll @IntRange(min = 1, max = 7) int halfW,
                                                  @ForAll boolean specials, @ForAll boolean relu,
                                                  @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int h = 2 * halfH;
        int w = 2 * halfW;
        int hw = h * w;
        float[] x = values(rng, n * c * hw, specials);
        double[] gamma = new double[c];
        double[] beta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = rng.nextDouble() * 2 - 0.5;
            beta[ch] = rng.nextDouble() - 0.5;
        }
        double eps = 1e-5;
        double[] mean = new double[c];
        double[] var = new double[c];
        float[] y = oldForward(x, n, c, hw, gamma, beta, eps, relu, mean, var);
        BatchNormKernels.Forward f = BatchNormKernels.forward(x, n, c, hw, gamma, beta, eps, relu);
        sameStatistics(mean, var, f);
        sameFloats(y, f.y(), "y");
        if (relu) {
            float[] yRelu = oldForward(x, n, c, hw, gamma, beta, eps, true, mean, var);
            BatchNormKernels.ForwardPooled p = BatchNormKernels.forwardReluPooled(x, n, c, h, w, gamma, beta, eps,
                    FastPath.kernels());
            sameStatistics(mean, var, p.norm());
            sameFloats(yRelu, p.norm().y(), "pooled variant's y");
        }
    }

    @Property(tries = 300)
    void planeGradientSumsReluIsTheScalarBlockLoop(@ForAll @IntRange(min = 0, max = 11) int count,
                                                  @ForAll @IntRange(min = 0, max = 37) int len,
                                                  @ForAll @IntRange(min = 0, max = 9) int first,
                                                  @ForAll @IntRange(min = 0, max = 13) int gap,
                                                  @ForAll boolean specials, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int stride = len + gap;
        float[] x = values(rng, first + count * stride + 5, specials);
        float[] g = values(rng, x.length, specials);
        double mu = rng.nextDouble() * 2 - 1;
        double scale = rng.nextDouble() * 4 - 2;
        double shift = specials && rng.nextBoolean() ? 0 : rng.nextDouble() - 0.5;
        BatchNormBlockLoops scalar = BatchNormLoops.SCALAR;
        for (BatchNormBlockLoops loops : new BatchNormBlockLoops[] {BatchNormLoops.LOOPS, BatchNormLoops.vector(),
            scalar}) {
            if (loops == null) {
                continue; // no Vector API module on this JVM
            }
            double[] into = new double[2 * count + 1];
            into[2 * count] = 42; // past 2·count: left alone
            loops.planeGradientSumsRelu(g, x, first, stride, count, len, mu, scale, shift, into);
            double[] block = new double[2];
            for (int i = 0; i < count; i++) {
                int lo = first + i * stride;
                scalar.gradientSumsRelu(g, x, lo, lo + len, mu, scale, shift, block);
                same(block[0], into[2 * i], loops + " planeGradientSumsRelu Σm[" + i + "]");
                same(block[1], into[2 * i + 1], loops + " planeGradientSumsRelu Σm·(x − μ)[" + i + "]");
            }
            same(42, into[2 * count], "planeGradientSumsRelu wrote past 2·count");
        }
    }

    @Property(tries = 150)
    void backwardIsTheBlockByBlockBackwardBitForBit(@ForAll @IntRange(min = 1, max = 9) int n,
                                                    @ForAll @IntRange(min = 1, max = 4) int c,
                                                    @ForAll @IntRange(min = 1, max = 70) int hw,
                                                    @ForAll boolean specials, @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = values(rng, n * c * hw, specials);
        float[] g = values(rng, x.length, specials);
        double[] gamma = new double[c];
        double[] beta = new double[c];
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            gamma[ch] = rng.nextDouble() * 2 - 0.5;
            beta[ch] = rng.nextDouble() - 0.5;
            mean[ch] = rng.nextDouble() - 0.5;
            var[ch] = rng.nextDouble() * 3;
        }
        double eps = 1e-5;
        BatchNormKernels.Backward b = BatchNormKernels.backward(g, null, x, n, c, hw, mean, var, eps, gamma, beta);
        // before planeGradientSumsRelu: one block at a time with the scalar loops, Σ over images in order
        BatchNormBlockLoops loops = BatchNormLoops.SCALAR;
        float[] gx = new float[x.length];
        double[] block = new double[2];
        int count = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double invStd = BatchNormKernels.invStd(var[ch], eps);
            double scale = gamma[ch] * invStd;
            double sumG = 0;
            double sumGX = 0;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                loops.gradientSumsRelu(g, x, base, base + hw, mean[ch], scale, beta[ch], block);
                sumG += block[0];
                sumGX += block[1];
            }
            sumGX *= invStd;
            same(sumG, b.gBeta()[ch], "gBeta[" + ch + "]");
            same(sumGX, b.gGamma()[ch], "gGamma[" + ch + "]");
            double meanG = sumG / count;
            double meanGX = sumGX / count * invStd;
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                loops.inputGradientRelu(g, x, gx, base, base + hw, mean[ch], scale, beta[ch], meanG, meanGX);
            }
        }
        sameFloats(gx, b.gx(), "gx");
    }

    /** The forward's statistics and y as they were computed before planeSums: one block at a time, scalar loops. */
    private static float[] oldForward(float[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps,
                                      boolean relu, double[] mean, double[] var) {
        BatchNormBlockLoops loops = BatchNormLoops.SCALAR;
        float[] y = new float[x.length];
        int count = n * hw;
        for (int ch = 0; ch < c; ch++) {
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
            double scale = gamma[ch] * BatchNormKernels.invStd(var[ch], eps);
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * hw;
                loops.normalise(x, y, base, base + hw, mu, scale, beta[ch], relu);
            }
        }
        return y;
    }

    private static void sameStatistics(double[] mean, double[] var, BatchNormKernels.Forward f) {
        for (int ch = 0; ch < mean.length; ch++) {
            same(mean[ch], f.mean()[ch], "mean[" + ch + "]");
            same(var[ch], f.variance()[ch], "variance[" + ch + "]");
        }
    }

    private static float[] values(SplittableRandom rng, int size, boolean specials) {
        float[] a = new float[size];
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f};
        for (int i = 0; i < size; i++) {
            a[i] = specials && rng.nextInt(16) == 0 ? special[rng.nextInt(special.length)]
                    : (float) Math.scalb(rng.nextGaussian(), rng.nextInt(-30, 31)); // spread: sums round
        }
        return a;
    }

    private static void same(double want, double got, String what) {
        assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), what + ": want " + want + ", got "
                + got);
    }

    private static void sameFloats(float[] want, float[] got, String what) {
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToIntBits(want[i]), Float.floatToIntBits(got[i]),
                    what + " at " + i + ": want " + want[i] + ", got " + got[i]);
        }
    }
}
