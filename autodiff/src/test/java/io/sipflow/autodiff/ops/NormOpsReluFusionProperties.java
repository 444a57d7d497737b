package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm with ReLU fused into the op equals batch norm followed by the separate relu op, bit for bit, in values
 * and in the gradients of x, γ and β — in FLOAT32 (CpuBackend's float kernels) and FLOAT64 (the reference loops).
 */
class NormOpsReluFusionProperties {
    @Property(tries = 50)
    void fusedEqualsBatchNormThenRelu(@ForAll @IntRange(min = 1, max = 4) int n,
                                      @ForAll @IntRange(min = 1, max = 5) int c,
                                      @ForAll @IntRange(min = 1, max = 9) int h,
                                      @ForAll @IntRange(min = 1, max = 9) int w,
                                      @ForAll boolean float32,
                                      @ForAll long seed) {
        if (n * h * w < 2) {
            return; // training-mode batch norm rejects a single value per channel
        }
        DType type = float32 ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, n, c, h, w).to(type).variable();
        Tensor gamma = Tensor.randn(rng, c).to(type).variable();
        Tensor beta = Tensor.randn(rng, c).to(type).variable();
        Tensor g = Tensor.randn(rng, n, c, h, w).to(type);

        NormOps.BatchNormResult fused = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU);
        NormOps.BatchNormResult plain = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.NONE);
        Tensor separate = plain.output().relu();
        assertEquals(type, fused.output().dtype());
        assertArrayEquals(separate.toDoubleArray(), fused.output().toDoubleArray(), 0.0, "values");
        assertArrayEquals(plain.mean().toDoubleArray(), fused.mean().toDoubleArray(), 0.0, "batch mean");
        assertArrayEquals(plain.variance().toDoubleArray(), fused.variance().toDoubleArray(), 0.0,
                "batch variance");

        Gradients gf = Autodiff.grad(fused.output().mul(g).sum(), x, gamma, beta);
        Gradients gs = Autodiff.grad(separate.mul(g).sum(), x, gamma, beta);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(gs.get(i).toDoubleArray(), gf.get(i).toDoubleArray(), 0.0, "gradient of input " + i);
        }
    }
}
