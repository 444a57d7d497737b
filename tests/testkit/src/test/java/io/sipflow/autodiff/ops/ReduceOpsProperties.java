package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorArbitraries;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.SplittableRandom;

import static io.sipflow.testkit.GradAssert.assertGradients;

/** Gradient properties of sum, mean and max over random axis subsets, with and without keepDims. */
class ReduceOpsProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TensorArbitraries.shapes(1);
    }

    /** A random non-empty subset of the axes, possibly with negative indices. */
    static int[] axes(Shape s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] picked = new int[s.rank()];
        int n = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (rng.nextBoolean()) {
                picked[n++] = rng.nextBoolean() ? i : i - s.rank();
            }
        }
        if (n == 0) {
            picked[n++] = rng.nextInt(s.rank());
        }
        return java.util.Arrays.copyOf(picked, n);
    }

    @Property(tries = 50)
    void sum(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int[] ax = axes(s, seed);
        assertGradients("sum", in -> in[0].sum(ax, keepDims), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 30)
    void sumAll(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("sum", in -> in[0].sum(), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 50)
    void mean(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int[] ax = axes(s, seed);
        assertGradients("mean", in -> in[0].mean(ax, keepDims), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 50)
    void max(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int[] ax = axes(s, seed);
        assertGradients("max", in -> in[0].max(ax, keepDims), TensorValues.distinct(s, seed));
    }

    @Property(tries = 30)
    void maxAll(@ForAll("shapes") Shape s, @ForAll long seed) {
        Tensor x = TensorValues.distinct(s, seed);
        assertGradients("max", in -> in[0].max(), x);
    }
}
