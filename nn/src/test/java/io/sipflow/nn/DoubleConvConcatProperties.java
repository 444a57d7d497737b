package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.ShapeOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The up block's concat-free path {@link DoubleConv#forwardConcatUpsampled}(a, low) against the plain
 * {@code forward(concat(1, a, upsample(low)))} it replaces (FLOAT64): same values, same gradients for both parts and for
 * every parameter, up to accumulation-order rounding. Two blocks built from the same seed, so batch norm's
 * running statistics of one call do not leak into the other.
 */
class DoubleConvConcatProperties {
    private static final double TOL = 1e-10;

    @Property(tries = 30)
    void forwardConcatUpsampledEqualsForwardOfTheConcatenation(@ForAll @IntRange(min = 1, max = 3) int n,
                                                               @ForAll @IntRange(min = 1, max = 3) int ca,
                                                               @ForAll @IntRange(min = 1, max = 3) int cb,
                                                               @ForAll @IntRange(min = 1, max = 4) int out,
                                                               @ForAll @IntRange(min = 1, max = 3) int h,
                                                               @ForAll Padding padding,
                                                               @ForAll Norm norm,
                                                               @ForAll long seed) {
        DoubleConv joined = new DoubleConv(ca + cb, out, out, norm, Activation.RELU, padding, new SplittableRandom(seed));
        DoubleConv split = new DoubleConv(ca + cb, out, out, norm, Activation.RELU, padding, new SplittableRandom(seed));
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        Tensor a = Tensor.randn(rng, n, ca, 2 * h, 2 * h).variable();
        Tensor low = Tensor.randn(rng, n, cb, h, h).variable();
        Tensor weights = Tensor.randn(rng, n, out, 2 * h, 2 * h);

        Tensor yJoined = joined.forward(ShapeOps.concat(1, a, ImageOps.upsampleBilinear2x(low)));
        Tensor ySplit = split.forwardConcatUpsampled(a, low);
        compare(a, low, weights, joined, yJoined, split, ySplit);
    }

    private static void compare(Tensor a, Tensor b, Tensor weights, DoubleConv joined, Tensor yJoined,
                                DoubleConv split, Tensor ySplit) {
        assertClose("value", yJoined, ySplit);

        Gradients gJoined = Autodiff.grad(yJoined.mul(weights).sum(), inputs(a, b, joined));
        Gradients gSplit = Autodiff.grad(ySplit.mul(weights).sum(), inputs(a, b, split));
        List<String> names = new ArrayList<>(List.of("a", "b"));
        names.addAll(joined.namedParameters().keySet());
        for (int i = 0; i < names.size(); i++) {
            assertClose("gradient of " + names.get(i), gJoined.get(i), gSplit.get(i));
        }
    }

    private static Tensor[] inputs(Tensor a, Tensor b, DoubleConv block) {
        List<Tensor> in = new ArrayList<>(List.of(a, b));
        in.addAll(block.parameterValues());
        return in.toArray(new Tensor[0]);
    }

    private static void assertClose(String what, Tensor expected, Tensor actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] x = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], x[i], TOL * (1 + Math.abs(e[i])), what + ", element " + i);
        }
    }
}
