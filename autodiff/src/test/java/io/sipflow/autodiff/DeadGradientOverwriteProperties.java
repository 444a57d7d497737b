package io.sipflow.autodiff;

import io.sipflow.autodiff.backend.KernelCounts;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm's VJP writes gx over its output gradient's array where the backward pass has no further use for that
 * gradient ({@link ConsumingVjp}): the gradients of x, γ and β are bit for bit those of the same pass with the
 * buffer pool off (no array is then known to be dead, so gx goes into a fresh one), for batch norm alone, fused with
 * ReLU, and fused with ReLU and pooling, in FLOAT32 at pooled sizes, with ±∞, NaN and −0 in the incoming gradient
 * (a NaN may differ in payload only). A gradient that is read again (here the one of a wanted input) is never
 * overwritten.
 */
class DeadGradientOverwriteProperties {
    private static final String COUNTER = "batch norm backward written over its dead output gradient";

    @Property(tries = 30)
    void overwritingADeadGradientGivesTheBitsOfAFreshArray(@ForAll @IntRange(min = 0, max = 2) int kind,
                                                          @ForAll @IntRange(min = 1, max = 3) int c,
                                                          @ForAll boolean specials, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = 4;
        int h = 32;
        int w = 32 + 2 * rng.nextInt(4); // n·h·w ≥ BufferPool.MIN_LENGTH: the gradients come from the pool
        Tensor x = Tensor.randn(rng, n, c, h, w).to(DType.FLOAT32).variable();
        Tensor gamma = Tensor.randn(rng, c).to(DType.FLOAT32).variable();
        Tensor beta = Tensor.randn(rng, c).to(DType.FLOAT32).variable();
        Tensor weights = SpecialValues.sprinkled(Tensor.randn(rng, n, c, h, w), specials, rng).to(DType.FLOAT32);
        Tensor pooledWeights = Tensor.randn(rng, n, c, h / 2, w / 2).to(DType.FLOAT32);

        long before = count();
        Gradients overwritten = grads(kind, x, gamma, beta, weights, pooledWeights);
        assertEquals(true, count() > before, "gx was written over a dead gradient");
        Gradients fresh;
        BufferPool.setEnabled(false);
        try {
            fresh = grads(kind, x, gamma, beta, weights, pooledWeights);
        } finally {
            BufferPool.setEnabled(true);
        }
        for (int i = 0; i < 3; i++) {
            float[] want = fresh.get(i).toFloatArray();
            float[] got = overwritten.get(i).toFloatArray();
            for (int k = 0; k < want.length; k++) {
                if (Float.isNaN(want[k]) && Float.isNaN(got[k])) {
                    continue; // Java leaves the payload of an operation on two NaNs open
                }
                assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), "gradient " + i
                        + " at " + k + ": " + want[k] + " vs " + got[k] + " (kind " + kind + ", seed " + seed + ")");
            }
        }
    }

    /** A wanted gradient is read by the caller after the pass: the VJP gets it as live and leaves it alone. */
    @Property(tries = 5)
    void aWantedGradientIsNotOverwritten(@ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, 4, 2, 32, 32).to(DType.FLOAT32).variable();
        Tensor gamma = Tensor.randn(rng, 2).to(DType.FLOAT32).variable();
        Tensor beta = Tensor.randn(rng, 2).to(DType.FLOAT32).variable();
        Tensor weights = Tensor.randn(rng, 4, 2, 32, 32).to(DType.FLOAT32);
        Tensor y = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU).output();
        Gradients g = Autodiff.grad(y.mul(weights).sum(), y, x); // y's gradient, wanted, is batch norm's input
        float[] want = weights.toFloatArray();
        float[] got = g.get(0).toFloatArray();
        for (int k = 0; k < want.length; k++) {
            assertEquals(Float.floatToRawIntBits(want[k]), Float.floatToRawIntBits(got[k]), "dy at " + k);
        }
    }

    private static Gradients grads(int kind, Tensor x, Tensor gamma, Tensor beta, Tensor weights,
                                   Tensor pooledWeights) {
        Tensor loss = switch (kind) {
            case 0 -> NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.NONE).output().mul(weights).sum();
            case 1 -> NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU).output().mul(weights).sum();
            default -> {
                NormOps.BatchNormPoolResult r = NormOps.batchNorm2dReluMaxPool(x, gamma, beta, 1e-5);
                Tensor low = ImageOps.upsampleBilinear2x(r.pooled().mul(pooledWeights));
                yield r.output().add(low).mul(weights).sum();
            }
        };
        return Autodiff.grad(loss, x, gamma, beta);
    }

    private static long count() {
        Long n = KernelCounts.snapshot().get(COUNTER);
        return n == null ? 0 : n;
    }
}
