package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.SpecialValues;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm + ReLU + 2×2 max pooling as one op ({@link NormOps#batchNorm2dReluMaxPool}) equals batchNorm2d(RELU)
 * followed by maxPool2d, bit for bit: the skip output, the pooled output, the batch statistics and the gradients of
 * x, γ and β through both outputs, in FLOAT32 (CpuBackend's fused float kernel with the kept argmax) and FLOAT64 (the
 * interface's default: the two calls), with ties in the pooling windows and rows wide enough for the vector row
 * kernel (up to 40 windows). Its gradients against 64-bit central
 * differences, first and second order (the pooling's backward is a recorded op, differentiable again).
 */
class NormOpsPoolFusionProperties {
    @Property(tries = 60)
    void fusedEqualsBatchNormReluThenMaxPool(@ForAll @IntRange(min = 1, max = 3) int n,
                                             @ForAll @IntRange(min = 1, max = 4) int c,
                                             @ForAll @IntRange(min = 1, max = 5) int halfH,
                                             @ForAll @IntRange(min = 1, max = 40) int halfW,
                                             @ForAll boolean float32, @ForAll boolean ties, @ForAll long seed) {
        DType type = float32 ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(seed);
        int h = 2 * halfH;
        int w = 2 * halfW;
        Tensor x = (ties ? smallIntegers(rng, n, c, h, w) : Tensor.randn(rng, n, c, h, w)).to(type).variable();
        Tensor gamma = Tensor.randn(rng, c).to(type).variable();
        Tensor beta = Tensor.randn(rng, c).to(type).variable();
        Tensor gSkip = Tensor.randn(rng, n, c, h, w).to(type);
        Tensor gPooled = Tensor.randn(rng, n, c, halfH, halfW).to(type);

        NormOps.BatchNormPoolResult fused = NormOps.batchNorm2dReluMaxPool(x, gamma, beta, 1e-5);
        NormOps.BatchNormResult norm = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU);
        Tensor pooled = ImageOps.maxPool2d(norm.output(), 2);
        String at = " (seed " + seed + ", " + type + ")";
        assertEquals(type, fused.pooled().dtype());
        assertArrayEquals(norm.output().toDoubleArray(), fused.output().toDoubleArray(), 0.0, "skip values" + at);
        assertArrayEquals(pooled.toDoubleArray(), fused.pooled().toDoubleArray(), 0.0, "pooled values" + at);
        assertArrayEquals(norm.mean().toDoubleArray(), fused.mean().toDoubleArray(), 0.0, "batch mean" + at);
        assertArrayEquals(norm.variance().toDoubleArray(), fused.variance().toDoubleArray(), 0.0, "variance" + at);

        Gradients gf = Autodiff.grad(fused.output().mul(gSkip).sum().add(fused.pooled().mul(gPooled).sum()),
                x, gamma, beta);
        Gradients gs = Autodiff.grad(norm.output().mul(gSkip).sum().add(pooled.mul(gPooled).sum()), x, gamma, beta);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(gs.get(i).toDoubleArray(), gf.get(i).toDoubleArray(), 0.0, "gradient " + i + at);
        }
    }

    /**
     * The U-Net's shape: the skip output is read again after the pooled one has gone through the level below
     * (here an upsampling), so in the backward pass the skip already has a gradient when the pooling's VJP runs and
     * adds its scatter to it in one pass ({@link io.sipflow.autodiff.AddingVjp}). The gradients of x, γ and β are
     * bit for bit those of batchNorm2d(RELU) then maxPool2d, whose VJP scatters and then adds; specials in the
     * incoming gradients (±∞, NaN, −0) included; a NaN may differ in payload only (NaN + NaN's is left open).
     */
    @Property(tries = 40)
    void poolingGradientAddedInOnePassIsTheScatterThenTheAdd(@ForAll @IntRange(min = 1, max = 3) int n,
                                                             @ForAll @IntRange(min = 1, max = 3) int c,
                                                             @ForAll @IntRange(min = 1, max = 4) int halfH,
                                                             @ForAll @IntRange(min = 1, max = 24) int halfW,
                                                             @ForAll boolean specials, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int h = 2 * halfH;
        int w = 2 * halfW;
        Tensor x = Tensor.randn(rng, n, c, h, w).to(DType.FLOAT32).variable();
        Tensor gamma = Tensor.randn(rng, c).to(DType.FLOAT32).variable();
        Tensor beta = Tensor.randn(rng, c).to(DType.FLOAT32).variable();
        Tensor gSkip = SpecialValues.sprinkled(Tensor.randn(rng, n, c, h, w), specials, rng).to(DType.FLOAT32);
        Tensor gLow = SpecialValues.sprinkled(Tensor.randn(rng, n, c, halfH, halfW), specials, rng).to(DType.FLOAT32);

        long before = addedInOnePass();
        NormOps.BatchNormPoolResult fused = NormOps.batchNorm2dReluMaxPool(x, gamma, beta, 1e-5);
        Gradients gf = Autodiff.grad(uNetLike(fused.output(), fused.pooled(), gSkip, gLow), x, gamma, beta);
        assertEquals(true, addedInOnePass() > before, "the pooling's VJP was added in one pass");
        NormOps.BatchNormResult norm = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU);
        Tensor pooled = ImageOps.maxPool2d(norm.output(), 2);
        Gradients gs = Autodiff.grad(uNetLike(norm.output(), pooled, gSkip, gLow), x, gamma, beta);
        for (int i = 0; i < 3; i++) {
            float[] want = gs.get(i).toFloatArray();
            float[] got = gf.get(i).toFloatArray();
            for (int k = 0; k < want.length; k++) {
                if (Float.isNaN(want[k]) && Float.isNaN(got[k])) {
                    continue; // Java leaves the payload of NaN + NaN open: C2 may swap an add's operands
                }
                assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]),
                        "gradient " + i + " at " + k + ": " + want[k] + " vs " + got[k] + " (seed " + seed + ")");
            }
        }
    }

    /** Σ (skip + upsample(pooled·gLow))·gSkip: the skip's consumer runs after (and depends on) the pooled path. */
    private static Tensor uNetLike(Tensor skip, Tensor pooled, Tensor gSkip, Tensor gLow) {
        return skip.add(ImageOps.upsampleBilinear2x(pooled.mul(gLow))).mul(gSkip).sum();
    }

    private static long addedInOnePass() {
        Long count = io.sipflow.autodiff.backend.KernelCounts.snapshot()
                .get("max pool 2x2 VJP added to an earlier gradient");
        return count == null ? 0 : count;
    }

    @Property(tries = 25)
    void gradientsMatchCentralDifferences(@ForAll @IntRange(min = 1, max = 2) int n,
                                          @ForAll @IntRange(min = 1, max = 3) int c,
                                          @ForAll @IntRange(min = 1, max = 3) int half,
                                          @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, 2 * half, 2 * half);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        Tensor skipWeights = Tensor.randn(rng, n, c, 2 * half, 2 * half);
        Assume.that(awayFromKinks(x, gamma, beta, 1e-5));
        // both outputs reach the checked value: the pooled one directly, the skip one through a fixed weighting
        GradCheck.check("batchNorm2dReluMaxPool", in -> {
            NormOps.BatchNormPoolResult r = NormOps.batchNorm2dReluMaxPool(in[0], in[1], in[2], 1e-5);
            return r.pooled().add(ImageOps.maxPool2d(r.output().mul(skipWeights), 2));
        }, GradCheck.Options.defaults().withSeed(seed), x, gamma, beta).assertPassed();
    }

    @Property(tries = 10)
    void secondOrderGradientsMatchCentralDifferences(@ForAll @IntRange(min = 1, max = 2) int c,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, 2, c, 4, 4);
        Tensor gamma = Tensor.randn(rng, c);
        Tensor beta = Tensor.randn(rng, c);
        Assume.that(awayFromKinks(x, gamma, beta, 1e-3));
        GradCheck.checkSecondOrder("batchNorm2dReluMaxPool", in -> {
            NormOps.BatchNormPoolResult r = NormOps.batchNorm2dReluMaxPool(in[0], in[1], in[2], 1e-3);
            return r.pooled().square().add(ImageOps.maxPool2d(r.output().square(), 2));
        }, GradCheck.Options.secondOrder().withSeed(seed), x, gamma, beta).assertPassed();
    }

    /** Values in {−1, 0, 1}: many equal maxima in the pooling windows. */
    private static Tensor smallIntegers(SplittableRandom rng, int... dims) {
        Tensor t = Tensor.randn(rng, dims);
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextInt(3) - 1;
        }
        return Tensor.of(t.shape(), v);
    }

    /**
     * Whether differences of the check's ε stay on one side of every kink: the batch-normalised y at least 0.01 from
     * ReLU's kink at 0, and in each window with a positive maximum the maximum at least 0.01 above the runner-up.
     */
    private static boolean awayFromKinks(Tensor x, Tensor gamma, Tensor beta, double eps) {
        double[] y = NormOps.batchNorm2d(x, gamma, beta, eps, NormOps.Fused.NONE).output().toDoubleArray();
        int h = x.dim(2);
        int w = x.dim(3);
        for (int p = 0; p < y.length / (h * w); p++) {
            for (int i = 0; i < h; i += 2) {
                for (int j = 0; j < w; j += 2) {
                    int at = p * h * w + i * w + j;
                    double[] window = {y[at], y[at + 1], y[at + w], y[at + w + 1]};
                    java.util.Arrays.sort(window);
                    for (double v : window) {
                        if (Math.abs(v) < 0.01) {
                            return false;
                        }
                    }
                    if (window[3] > 0 && window[3] - window[2] < 0.01) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
