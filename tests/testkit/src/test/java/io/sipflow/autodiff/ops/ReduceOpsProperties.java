package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.SplittableRandom;

import static io.sipflow.autodiff.ops.BinaryOpsProperties.check;

/** Gradient properties of sum, mean and max over random axis subsets, with and without keepDims. */
class ReduceOpsProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TestTensors.shapes(1);
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
        check("sum", in -> in[0].sum(ax, keepDims), TestTensors.uniform(s, -2, 2, seed));
    }

    @Property(tries = 30)
    void sumAll(@ForAll("shapes") Shape s, @ForAll long seed) {
        check("sum", in -> in[0].sum(), TestTensors.uniform(s, -2, 2, seed));
    }

    @Property(tries = 50)
    void mean(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int[] ax = axes(s, seed);
        check("mean", in -> in[0].mean(ax, keepDims), TestTensors.uniform(s, -2, 2, seed));
    }

    @Property(tries = 50)
    void max(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll boolean keepDims) {
        int[] ax = axes(s, seed);
        check("max", in -> in[0].max(ax, keepDims), TestTensors.distinct(s, seed));
    }

    @Property(tries = 30)
    void maxAll(@ForAll("shapes") Shape s, @ForAll long seed) {
        Tensor x = TestTensors.distinct(s, seed);
        check("max", in -> in[0].max(), x);
    }
}
