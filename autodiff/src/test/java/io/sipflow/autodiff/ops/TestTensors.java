package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.SplittableRandom;

/** Random shapes and values for gradient properties: small, with size-1 axes and broadcasting cases. */
final class TestTensors {
    private TestTensors() {
    }

    /** Shapes of rank 0..4 with dims 1..4 (size-1 axes are common). */
    static Arbitrary<Shape> shapes() {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(0).ofMaxSize(4).map(Shape::of);
    }

    /** Shapes of rank {@code minRank}..4. */
    static Arbitrary<Shape> shapes(int minRank) {
        return Arbitraries.integers().between(1, 4).array(int[].class).ofMinSize(minRank).ofMaxSize(4).map(Shape::of);
    }

    /**
     * A pair of shapes that broadcast together: a random "full" shape, then each side drops some leading axes
     * and turns some axes into 1.
     */
    static Arbitrary<Shape[]> broadcastPairs() {
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

    /** Uniform values in [lo, hi). */
    static Tensor uniform(Shape s, double lo, double hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return Tensor.of(s, v);
    }

    /** Values in ±[0.2, 2): away from 0, where abs, sign and relu have kinks. */
    static Tensor awayFromZero(Shape s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (rng.nextBoolean() ? 1 : -1) * (0.2 + 1.8 * rng.nextDouble());
        }
        return Tensor.of(s, v);
    }

    /** Distinct values spaced at least 0.1 apart, shuffled: max has a unique, stable argmax. */
    static Tensor distinct(Shape s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 0.1 * i + 0.05 * rng.nextDouble() - 1;
        }
        for (int i = v.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return Tensor.of(s, v);
    }
}
