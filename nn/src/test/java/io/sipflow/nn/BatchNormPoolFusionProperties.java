package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * DoubleConv#forwardAndPool (batch norm + ReLU + 2×2 max pooling as one op in training mode, the two ops in eval mode)
 * equals forward followed by ImageOps.maxPool2d, bit for bit: both outputs, the parameter gradients through both, and
 * the running statistics it leaves — for batch norm with ReLU (the fused op) and without norm (the plain path), in
 * FLOAT32 and FLOAT64.
 */
class BatchNormPoolFusionProperties {
    @Property(tries = 12)
    void forwardAndPoolEqualsForwardThenMaxPool(@ForAll @IntRange(min = 2, max = 3) int n, @ForAll boolean batchNorm,
                                                @ForAll boolean float32, @ForAll boolean eval, @ForAll long seed) {
        try (var scope = Precision.use(float32 ? DType.FLOAT32 : DType.FLOAT64)) {
            Norm norm = batchNorm ? Norm.BATCH : Norm.NONE;
            DoubleConv fused = new DoubleConv(2, 3, 4, norm, Activation.RELU, Padding.CIRCULAR, new SplittableRandom(seed));
            DoubleConv plain = new DoubleConv(2, 3, 4, norm, Activation.RELU, Padding.CIRCULAR, new SplittableRandom(seed));
            if (eval) {
                fused.eval();
                plain.eval();
            }
            Tensor x = Tensor.randn(new SplittableRandom(seed + 1), n, 2, 6, 4).to(Precision.defaultType());
            Tensor[] both = fused.forwardAndPool(x);
            Tensor y = plain.forward(x);
            Tensor pooled = ImageOps.maxPool2d(y, 2);
            assertArrayEquals(y.toDoubleArray(), both[0].toDoubleArray(), 0.0, "skip (seed " + seed + ")");
            assertArrayEquals(pooled.toDoubleArray(), both[1].toDoubleArray(), 0.0, "pooled (seed " + seed + ")");

            Tensor gy = Tensor.randn(new SplittableRandom(seed + 2), y.shape().dims()).to(y.dtype());
            Gradients gf = Autodiff.grad(both[0].mul(gy).sum().add(both[1].sum()), values(fused));
            Gradients gp = Autodiff.grad(y.mul(gy).sum().add(pooled.sum()), values(plain));
            List<Tensor> want = values(plain);
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(gp.get(i).toDoubleArray(), gf.get(i).toDoubleArray(), 0.0, "gradient " + i);
            }
            var fusedBuffers = fused.namedBuffers();
            plain.namedBuffers().forEach((name, b) -> assertArrayEquals(b.value().toDoubleArray(),
                    fusedBuffers.get(name).value().toDoubleArray(), 0.0, name + " (seed " + seed + ")"));
        }
    }

    private static List<Tensor> values(Module m) {
        return m.parameterValues();
    }
}
