package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.TensorValues;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static io.sipflow.testkit.GradAssert.assertGradients;

/** Gradient properties of matmul (with broadcast batch axes), casts and where. */
class LinalgAndCastProperties {
    @Property(tries = 50)
    void matmul(@ForAll @IntRange(min = 1, max = 4) int m, @ForAll @IntRange(min = 1, max = 4) int k,
                @ForAll @IntRange(min = 1, max = 4) int n, @ForAll @IntRange(min = 0, max = 3) int batchCase,
                @ForAll long seed) {
        // batch cases: none; same batch; a batched, b not; broadcasting (2,1) x (3)
        Shape a = switch (batchCase) {
            case 0 -> Shape.of(m, k);
            case 1 -> Shape.of(2, m, k);
            case 2 -> Shape.of(3, m, k);
            default -> Shape.of(2, 1, m, k);
        };
        Shape b = switch (batchCase) {
            case 0 -> Shape.of(k, n);
            case 1 -> Shape.of(2, k, n);
            case 2 -> Shape.of(k, n);
            default -> Shape.of(3, k, n);
        };
        assertGradients("matmul", in -> in[0].matmul(in[1]), TensorValues.uniform(a, -2, 2, seed), TensorValues.uniform(b, -2, 2, ~seed));
    }

    /** to(FLOAT32) and back: the gradient comes back in FLOAT64 (cast back), equal up to float rounding. */
    @Property(tries = 30)
    void castRoundTrip(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll long seed) {
        Tensor x = TensorValues.uniform(Shape.of(n), -2, 2, seed);
        // The function rounds through FLOAT32 inside, so differences need a step far above float32's resolution
        // and the FLOAT32 tolerance, even though input and output are FLOAT64.
        GradCheck.Options opts = GradCheck.Options.defaults().withSeed(seed).withEpsilon(1e-3)
                .withTolerance(GradCheck.Tolerance.FLOAT32);
        assertGradients("to", in -> in[0].to(DType.FLOAT32).square().to(DType.FLOAT64), opts, x);
    }

    @Property(tries = 30)
    void where(@ForAll @IntRange(min = 1, max = 4) int r, @ForAll @IntRange(min = 1, max = 4) int c, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] mask = new double[r * c];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextBoolean() ? 1 : 0;
        }
        Tensor cond = Tensor.of(Shape.of(r, c), mask);
        assertGradients("where", in -> CompareOps.where(cond, in[0], in[1]),
                TensorValues.uniform(Shape.of(r, c), -2, 2, seed), TensorValues.uniform(Shape.of(c), -2, 2, ~seed));
    }
}
