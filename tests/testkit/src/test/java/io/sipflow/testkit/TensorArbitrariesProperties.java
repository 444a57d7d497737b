package io.sipflow.testkit;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's generators give what their Javadoc promises. */
class TensorArbitrariesProperties {
    @Provide
    Arbitrary<Shape> shapes() {
        return TensorArbitraries.shapes();
    }

    @Property(tries = 200)
    void shapesHaveRankAtMostFourAndDimsOneToFour(@ForAll("shapes") Shape s) {
        assertTrue(s.rank() <= 4, s.toString());
        for (int d : s.dims()) {
            assertTrue(d >= 1 && d <= 4, s.toString());
        }
        Statistics.label("rank").collect(s.rank());
        Statistics.label("rank").coverage(c -> {
            for (int r = 0; r <= 4; r++) {
                c.check(r).count(n -> n > 0);
            }
        });
    }

    @Property(tries = 100)
    void boundedShapesStayInTheirBounds(@ForAll("boundedShapes") Shape s) {
        assertTrue(s.rank() >= 2 && s.rank() <= 3, s.toString());
        for (int d : s.dims()) {
            assertTrue(d >= 1 && d <= 6, s.toString());
        }
    }

    @Provide
    Arbitrary<Shape> boundedShapes() {
        return TensorArbitraries.shapes(2, 3, 6);
    }

    @Property(tries = 200)
    void broadcastPairsBroadcast(@ForAll("pairs") Shape[] pair) {
        Shape out = Shape.broadcast("test", pair[0], pair[1]); // throws if they do not
        assertTrue(out.rank() == Math.max(pair[0].rank(), pair[1].rank()));
    }

    @Provide
    Arbitrary<Shape[]> pairs() {
        return TensorArbitraries.broadcastPairs();
    }

    @Property(tries = 100)
    void tensorsHaveTheirDtypeAndValuesInRange(@ForAll("mixedTensors") Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            double v = t.getFlat(i);
            assertTrue(v >= -0.5 && v <= 0.25, "value " + v + " at " + i);
        }
        Statistics.label("dtype").collect(t.dtype());
        Statistics.label("dtype").coverage(c -> {
            c.check(DType.FLOAT32).count(n -> n > 0);
            c.check(DType.FLOAT64).count(n -> n > 0);
        });
    }

    @Provide
    Arbitrary<Tensor> mixedTensors() {
        return TensorArbitraries.tensors(TensorArbitraries.shapes(), TensorArbitraries.dtypes(), -0.5, 0.25);
    }

    @Property(tries = 100)
    void awayFromZeroAndDistinctKeepTheirDistances(@ForAll("shapes") Shape s, @ForAll long seed) {
        double[] away = TensorValues.awayFromZero(s, seed).toDoubleArray();
        for (double v : away) {
            assertTrue(Math.abs(v) >= 0.2 && Math.abs(v) < 2, "value " + v);
        }
        double[] distinct = TensorValues.distinct(s, seed).toDoubleArray();
        java.util.Arrays.sort(distinct);
        for (int i = 1; i < distinct.length; i++) {
            assertTrue(distinct[i] - distinct[i - 1] >= 0.05 - 1e-12, distinct[i - 1] + " and " + distinct[i]);
        }
    }

    @Property(tries = 100)
    void sameSeedSameValues(@ForAll("shapes") Shape s, @ForAll long seed) {
        assertArrayEquals(TensorValues.uniform(s, -1, 1, seed).toDoubleArray(),
                TensorValues.uniform(s, -1, 1, seed).toDoubleArray(), 0.0);
    }

    /** Singular values in [1 − r, 1 + r] with r = (κ − 1)/(κ + 1), so σmax/σmin ≤ κ. */
    @Property(tries = 100)
    void wellConditionedMatricesRespectTheirBound(@ForAll("wellConditioned") Tensor a) {
        double[] sv = singularValues(a);
        double r = (10.0 - 1) / (10.0 + 1);
        for (double s : sv) {
            assertTrue(s >= 1 - r - 1e-12 && s <= 1 + r + 1e-12, "singular value " + s);
        }
    }

    @Provide
    Arbitrary<Tensor> wellConditioned() {
        return TensorArbitraries.wellConditionedMatrices(1, 6, 10);
    }

    @Property(tries = 100)
    void spdMatricesAreSymmetricPositiveDefiniteWithinTheirBound(@ForAll("spd") Tensor a) {
        int n = a.dim(0);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(a.get(i, j), a.get(j, i), 0.0, "symmetric at " + i + "," + j);
            }
        }
        assertTrue(DecompositionFactory_DDRM.chol(n, true).decompose(matrix(a)), "Cholesky succeeds");
        double r = (4.0 - 1) / (4.0 + 1);
        for (double s : singularValues(a)) {
            assertTrue(s >= 1 - r - 1e-12 && s <= 1 + r + 1e-12, "eigenvalue " + s);
        }
    }

    @Provide
    Arbitrary<Tensor> spd() {
        return TensorArbitraries.symmetricPositiveDefiniteMatrices(1, 6, 4);
    }

    @Example
    void badBoundsAreRefusedWithTheValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorArbitraries.tensors(TensorArbitraries.shapes(), 1, 1));
        assertTrue(e.getMessage().contains("tensors") && e.getMessage().contains("[1.0, 1.0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorValues.wellConditioned(3, 0.5, 1));
        assertTrue(e.getMessage().contains("κ") && e.getMessage().contains("0.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorArbitraries.shapes(3, 2, 4));
        assertTrue(e.getMessage().contains("minRank 3") && e.getMessage().contains("maxRank 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TensorArbitraries.wellConditionedMatrices(3, 2, 10));
        assertTrue(e.getMessage().contains("wellConditionedMatrices") && e.getMessage().contains("minN 3, maxN 2"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TensorArbitraries.symmetricPositiveDefiniteMatrices(1, 4, Double.POSITIVE_INFINITY));
        assertTrue(e.getMessage().contains("symmetricPositiveDefiniteMatrices") && e.getMessage().contains("κ Infinity"),
                e.getMessage());
    }

    private static double[] singularValues(Tensor a) {
        return SingularOps_DDRM.singularValues(matrix(a));
    }

    private static DMatrixRMaj matrix(Tensor a) {
        return new DMatrixRMaj(a.dim(0), a.dim(1), true, a.toDoubleArray());
    }
}
