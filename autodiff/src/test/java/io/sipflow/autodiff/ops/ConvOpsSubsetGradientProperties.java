package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The conv VJPs skip the work for inputs that are not variables. Whatever subset of the inputs is a variable, each
 * variable's gradient equals the one computed with every input a variable (GradCheck always makes all inputs
 * variables, so it never sees the skipped branches).
 */
class ConvOpsSubsetGradientProperties {
    @Property(tries = 40)
    void conv2dConcatUpsampledGradientsDoNotDependOnWhichInputsAreVariables(
            @ForAll @IntRange(min = 1, max = 15) int subset, @ForAll @IntRange(min = 1, max = 2) int n,
            @ForAll @IntRange(min = 1, max = 2) int ca, @ForAll @IntRange(min = 1, max = 2) int cb,
            @ForAll @IntRange(min = 1, max = 3) int h, @ForAll Padding padding, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] values = {Tensor.randn(rng, n, ca, 2 * h, 2 * h), Tensor.randn(rng, n, cb, h, h),
            Tensor.randn(rng, 2, ca + cb, 3, 3), Tensor.randn(rng, 2)};
        Tensor cotangent = Tensor.randn(rng, n, 2, 2 * h, 2 * h);
        assertSubsetGradientsMatch(values, subset, cotangent,
                in -> ConvOps.conv2dConcatUpsampled(in[0], in[1], in[2], in[3], padding));
    }

    @Property(tries = 30)
    void conv2dGradientsDoNotDependOnWhichInputsAreVariables(
            @ForAll @IntRange(min = 1, max = 7) int subset, @ForAll @IntRange(min = 1, max = 2) int c,
            @ForAll @IntRange(min = 1, max = 4) int h, @ForAll Padding padding, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] values = {Tensor.randn(rng, 2, c, h, h), Tensor.randn(rng, 3, c, 3, 3), Tensor.randn(rng, 3)};
        Tensor cotangent = Tensor.randn(rng, 2, 3, h, h);
        assertSubsetGradientsMatch(values, subset, cotangent, in -> ConvOps.conv2d(in[0], in[1], in[2], padding));
    }

    /** Bit i of {@code subset} makes input i a variable; the rest enter as constants. */
    private static void assertSubsetGradientsMatch(Tensor[] values, int subset, Tensor cotangent,
                                                   java.util.function.Function<Tensor[], Tensor> op) {
        Tensor[] all = new Tensor[values.length];
        Tensor[] some = new Tensor[values.length];
        List<Tensor> someVariables = new ArrayList<>();
        List<Integer> which = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            all[i] = values[i].variable();
            boolean variable = (subset >> i & 1) == 1;
            some[i] = variable ? values[i].variable() : values[i];
            if (variable) {
                someVariables.add(some[i]);
                which.add(i);
            }
        }
        Gradients full = Autodiff.vjp(op.apply(all), cotangent, List.of(all), Autodiff.Disconnected.ERROR);
        Gradients partial = Autodiff.vjp(op.apply(some), cotangent, someVariables, Autodiff.Disconnected.ERROR);
        for (int k = 0; k < which.size(); k++) {
            int i = which.get(k);
            assertArrayEquals(full.get(i).toDoubleArray(), partial.get(k).toDoubleArray(), 1e-12,
                    "gradient of input " + i + " with variables " + which);
        }
    }
}
