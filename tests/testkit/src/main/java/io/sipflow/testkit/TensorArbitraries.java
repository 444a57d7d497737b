package io.sipflow.testkit;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.SplittableRandom;

/**
 * jqwik arbitraries for gradient properties: small shapes (size-1 axes and rank 0 included, because that is where
 * broadcasting VJPs go wrong), dtypes, tensors with values in a range, and well-conditioned matrices.
 * <p>
 * A tensor is drawn as a shape and a seed, and its values come from {@link TensorValues}: jqwik shrinks a failing
 * case to a smaller shape, and the seed in its report reproduces the values.
 * <pre>
 * &#64;Provide Arbitrary&lt;Tensor&gt; inputs() { return TensorArbitraries.tensors(TensorArbitraries.shapes(), -3, 3); }
 * </pre>
 */
public final class TensorArbitraries {
    private static final int MAX_RANK = 4;
    private static final int MAX_DIM = 4;

    private TensorArbitraries() {
    }

    /**
     * Shapes of rank 0..4 with dims 1..4 (size-1 axes are common).
     *
     * @return the arbitrary
     */
    public static Arbitrary<Shape> shapes() {
        return shapes(0);
    }

    /**
     * Shapes of rank {@code minRank}..4 with dims 1..4.
     *
     * @param minRank smallest rank, 0..4
     * @return the arbitrary
     */
    public static Arbitrary<Shape> shapes(int minRank) {
        return shapes(minRank, MAX_RANK, MAX_DIM);
    }

    /**
     * Shapes of rank {@code minRank}..{@code maxRank} with dims 1..{@code maxDim}.
     *
     * @param minRank smallest rank, at least 0
     * @param maxRank largest rank, at least {@code minRank}
     * @param maxDim  largest size of an axis, at least 1
     * @return the arbitrary
     */
    public static Arbitrary<Shape> shapes(int minRank, int maxRank, int maxDim) {
        if (minRank < 0 || maxRank < minRank || maxDim < 1) {
            throw new IllegalArgumentException("shapes: need 0 ≤ minRank ≤ maxRank and maxDim ≥ 1, got minRank "
                    + minRank + ", maxRank " + maxRank + ", maxDim " + maxDim);
        }
        return Arbitraries.integers().between(1, maxDim).array(int[].class).ofMinSize(minRank).ofMaxSize(maxRank)
                .map(Shape::of);
    }

    /**
     * Pairs of shapes that broadcast together: a random "full" shape, then each side drops some leading axes and
     * turns some axes into 1.
     *
     * @return the arbitrary, each sample an array of two shapes
     */
    public static Arbitrary<Shape[]> broadcastPairs() {
        return Combinators.combine(shapes(), Arbitraries.longs()).as((full, seed) -> {
            SplittableRandom rng = new SplittableRandom(seed);
            return new Shape[] {reduceForBroadcast(full, rng), reduceForBroadcast(full, rng)};
        });
    }

    private static Shape reduceForBroadcast(Shape full, SplittableRandom rng) {
        int drop = full.rank() == 0 ? 0 : rng.nextInt(full.rank() + 1);
        int[] d = new int[full.rank() - drop];
        for (int i = 0; i < d.length; i++) {
            d[i] = rng.nextInt(3) == 0 ? 1 : full.dim(i + drop);
        }
        return Shape.of(d);
    }

    /**
     * FLOAT32 or FLOAT64.
     *
     * @return the arbitrary
     */
    public static Arbitrary<DType> dtypes() {
        return Arbitraries.of(DType.class);
    }

    /**
     * FLOAT64 tensors of the given shapes with values uniform in [lo, hi).
     *
     * @param shapes where the shapes come from, e.g. {@link #shapes()}
     * @param lo     smallest value
     * @param hi     bound above every value
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> tensors(Arbitrary<Shape> shapes, double lo, double hi) {
        return tensors(shapes, Arbitraries.just(DType.FLOAT64), lo, hi);
    }

    /**
     * Tensors of the given shapes and dtypes with values uniform in [lo, hi).
     *
     * @param shapes where the shapes come from, e.g. {@link #shapes()}
     * @param dtypes where the element types come from, e.g. {@link #dtypes()}
     * @param lo     smallest value, finite
     * @param hi     bound above every value, finite and above {@code lo}
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> tensors(Arbitrary<Shape> shapes, Arbitrary<DType> dtypes, double lo, double hi) {
        if (!(lo < hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("tensors: need finite lo < hi, got [" + lo + ", " + hi + ")");
        }
        return Combinators.combine(shapes, dtypes, Arbitraries.longs())
                .as((s, d, seed) -> TensorValues.uniform(d, s, lo, hi, seed));
    }

    /**
     * FLOAT64 tensors with values in ±[0.2, 2): for ops with a kink or pole at 0 (abs, relu, 1/x).
     *
     * @param shapes where the shapes come from
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> tensorsAwayFromZero(Arbitrary<Shape> shapes) {
        return Combinators.combine(shapes, Arbitraries.longs()).as(TensorValues::awayFromZero);
    }

    /**
     * FLOAT64 tensors whose values are at least 0.05 apart: for max and other ops that pick one element.
     *
     * @param shapes where the shapes come from
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> tensorsWithDistinctValues(Arbitrary<Shape> shapes) {
        return Combinators.combine(shapes, Arbitraries.longs()).as(TensorValues::distinct);
    }

    /**
     * n×n FLOAT64 matrices, n in [minN, maxN], with condition number at most {@code kappa}
     * ({@link TensorValues#wellConditioned}).
     *
     * @param minN  smallest size
     * @param maxN  largest size
     * @param kappa bound on the condition number, finite and at least 1
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> wellConditionedMatrices(int minN, int maxN, double kappa) {
        checkMatrixBounds("wellConditionedMatrices", minN, maxN, kappa);
        return Combinators.combine(Arbitraries.integers().between(minN, maxN), Arbitraries.longs())
                .as((n, seed) -> TensorValues.wellConditioned(n, kappa, seed));
    }

    /**
     * n×n symmetric positive definite FLOAT64 matrices, n in [minN, maxN], with condition number at most
     * {@code kappa} ({@link TensorValues#symmetricPositiveDefinite}).
     *
     * @param minN  smallest size
     * @param maxN  largest size
     * @param kappa bound on the condition number, finite and at least 1
     * @return the arbitrary
     */
    public static Arbitrary<Tensor> symmetricPositiveDefiniteMatrices(int minN, int maxN, double kappa) {
        checkMatrixBounds("symmetricPositiveDefiniteMatrices", minN, maxN, kappa);
        return Combinators.combine(Arbitraries.integers().between(minN, maxN), Arbitraries.longs())
                .as((n, seed) -> TensorValues.symmetricPositiveDefinite(n, kappa, seed));
    }

    private static void checkMatrixBounds(String what, int minN, int maxN, double kappa) {
        if (minN < 1 || maxN < minN || !(kappa >= 1) || Double.isInfinite(kappa)) {
            throw new IllegalArgumentException(what + ": need 1 ≤ minN ≤ maxN and a finite κ ≥ 1, got minN " + minN
                    + ", maxN " + maxN + ", κ " + kappa);
        }
    }
}
