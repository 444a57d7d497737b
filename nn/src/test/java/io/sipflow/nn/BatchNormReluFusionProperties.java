package io.sipflow.nn;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The U-Net's DoubleConv with batch norm and ReLU fused (BatchNorm2d#forwardRelu) equals the layers one by one. */
class BatchNormReluFusionProperties {
    @Property(tries = 10)
    void doubleConvGivesTheSameResultWithTheFusedOp(@ForAll @IntRange(min = 2, max = 3) int n,
                                                     @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        DoubleConv block = new DoubleConv(2, 3, 4, Norm.BATCH, Activation.RELU, io.sipflow.autodiff.Padding.CIRCULAR,
                new SplittableRandom(seed));
        Tensor x = Tensor.randn(rng, n, 2, 4, 4);
        Tensor viaBlock = block.forward(x);
        // the same layers by hand, with the separate relu op
        var layers = block.children();
        Tensor h = layers.get("conv1").forward(x);
        h = layers.get("norm1").forward(h).relu();
        h = layers.get("conv2").forward(h);
        h = layers.get("norm2").forward(h).relu();
        assertEquals(Shape.of(n, 3, 4, 4), viaBlock.shape());
        assertArrayEquals(h.toDoubleArray(), viaBlock.toDoubleArray(), 0.0);
    }
}
