package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorArbitraries;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static io.sipflow.testkit.GradAssert.assertGradients;

/** Gradient properties of the ops that move values: reshape, permute, transpose, slice, concat, pad, broadcast. */
class ShapeOpsProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TensorArbitraries.shapes(1);
    }

    @Property(tries = 30)
    void reshapeToFlatAndBack(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertGradients("reshape", in -> in[0].reshape(-1).mul(in[0].reshape(-1)).reshape(s), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 40)
    void permute(@ForAll("shapes") Shape s, @ForAll long seed) {
        int[] perm = randomPermutation(s.rank(), seed);
        Tensor w = TensorValues.uniform(permuted(s, perm), -1, 1, ~seed); // makes the output gradient non-uniform
        assertGradients("permute", in -> in[0].permute(perm).mul(w), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 30)
    void transpose(@ForAll("shapes") Shape s, @ForAll long seed) {
        Shape s2 = s.rank() >= 2 ? s : Shape.of(2, s.dim(0));
        assertGradients("transpose", in -> in[0].transpose(), TensorValues.uniform(s2, -2, 2, seed));
    }

    @Property(tries = 40)
    void slice(@ForAll("shapes") Shape s, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int axis = rng.nextInt(s.rank());
        int start = rng.nextInt(s.dim(axis));
        int end = start + 1 + rng.nextInt(s.dim(axis) - start);
        assertGradients("slice", in -> in[0].slice(axis, start, end), TensorValues.uniform(s, -2, 2, seed));
    }

    @Property(tries = 40)
    void concat(@ForAll("shapes") Shape s, @ForAll long seed, @ForAll @IntRange(min = 1, max = 3) int extra) {
        int axis = new SplittableRandom(seed).nextInt(s.rank());
        Shape other = s.withDim(axis, extra);
        assertGradients("concat", in -> ShapeOps.concat(axis, in[0], in[1], in[0]),
                TensorValues.uniform(s, -2, 2, seed), TensorValues.uniform(other, -2, 2, ~seed));
    }

    @Property(tries = 40)
    void padZero(@ForAll("shapes") Shape s, @ForAll long seed) {
        int[][] widths = widths(s, seed, 3);
        assertGradients("pad_zero", in -> ShapeOps.pad(in[0], widths[0], widths[1], Padding.ZERO), TensorValues.uniform(s, -2, 2, seed));
    }

    /** Circular padding wider than the axis wraps more than once; the VJP must add every copy back. */
    @Property(tries = 40)
    void padCircular(@ForAll("shapes") Shape s, @ForAll long seed) {
        int[][] widths = widths(s, seed, 5);
        Tensor x = TensorValues.uniform(s, -2, 2, seed);
        Shape out = ShapeOps.pad(x, widths[0], widths[1], Padding.CIRCULAR).shape();
        Tensor w = TensorValues.uniform(out, -1, 1, ~seed);
        assertGradients("pad_circular", in -> ShapeOps.pad(in[0], widths[0], widths[1], Padding.CIRCULAR).mul(w), x);
    }

    @Property(tries = 40)
    void broadcastTo(@ForAll("shapes") Shape s, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] small = s.dims();
        for (int i = 0; i < small.length; i++) {
            if (rng.nextBoolean()) {
                small[i] = 1;
            }
        }
        Shape from = Shape.of(java.util.Arrays.copyOfRange(small, rng.nextInt(small.length + 1), small.length));
        Tensor w = TensorValues.uniform(s, -1, 1, ~seed);
        assertGradients("broadcastTo", in -> in[0].broadcastTo(s).mul(w), TensorValues.uniform(from, -2, 2, seed));
    }

    static int[] randomPermutation(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Shape permuted(Shape s, int[] perm) {
        int[] d = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            d[i] = s.dim(perm[i]);
        }
        return Shape.of(d);
    }

    private static int[][] widths(Shape s, long seed, int max) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] before = new int[s.rank()];
        int[] after = new int[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            before[i] = rng.nextInt(max + 1);
            after[i] = rng.nextInt(max + 1);
        }
        return new int[][] {before, after};
    }
}
