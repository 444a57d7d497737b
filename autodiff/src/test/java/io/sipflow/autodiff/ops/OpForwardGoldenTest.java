package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every op's forward value on small inputs, computed by hand. */
class OpForwardGoldenTest {
    private static final double EPS = 1e-12;

    private static void assertValues(Tensor t, Shape shape, double... expected) {
        assertEquals(shape, t.shape(), "shape");
        assertArrayEquals(expected, t.toDoubleArray(), EPS);
    }

    private final Tensor a = Tensor.matrix(new double[] {1, -2, 3}, new double[] {-4, 5, -6});
    private final Tensor row = Tensor.vector(10, 20, 30);

    @Test
    void arithmeticBroadcastsRowsAcrossTheMatrix() {
        assertValues(a.add(row), Shape.of(2, 3), 11, 18, 33, 6, 25, 24);
        assertValues(a.sub(row), Shape.of(2, 3), -9, -22, -27, -14, -15, -36);
        assertValues(a.mul(row), Shape.of(2, 3), 10, -40, 90, -40, 100, -180);
        assertValues(a.div(row), Shape.of(2, 3), 0.1, -0.1, 0.1, -0.4, 0.25, -0.2);
        assertValues(Tensor.vector(2, 9).pow(Tensor.vector(3, 0.5)), Shape.of(2), 8, 3);
        assertValues(a.maximum(Tensor.scalar(0)), Shape.of(2, 3), 1, 0, 3, 0, 5, 0);
        assertValues(a.minimum(Tensor.scalar(0)), Shape.of(2, 3), 0, -2, 0, -4, 0, -6);
    }

    @Test
    void columnTimesRowIsAnOuterProduct() {
        Tensor col = Tensor.of(Shape.of(2, 1), 1, 2);
        assertValues(col.mul(Tensor.vector(3, 4, 5)), Shape.of(2, 3), 3, 4, 5, 6, 8, 10);
    }

    @Test
    void unaryOps() {
        Tensor x = Tensor.vector(-2, 0, 4);
        assertValues(x.neg(), Shape.of(3), 2, 0, -4);
        assertValues(x.abs(), Shape.of(3), 2, 0, 4);
        assertValues(x.square(), Shape.of(3), 4, 0, 16);
        assertValues(x.sign(), Shape.of(3), -1, 0, 1);
        assertValues(x.relu(), Shape.of(3), 0, 0, 4);
        assertValues(x.clip(-1, 1), Shape.of(3), -1, 0, 1);
        assertValues(Tensor.vector(1, 4).sqrt(), Shape.of(2), 1, 2);
        assertValues(Tensor.vector(0, 1).exp(), Shape.of(2), 1, Math.E);
        assertValues(Tensor.vector(1, Math.E).log(), Shape.of(2), 0, 1);
        assertValues(Tensor.vector(2, 3).pow(3), Shape.of(2), 8, 27);
    }

    @Test
    void comparisonsGiveMasksAndWhereSelects() {
        Tensor x = Tensor.vector(1, 2, 3);
        Tensor two = Tensor.scalar(2);
        assertValues(x.gt(two), Shape.of(3), 0, 0, 1);
        assertValues(x.ge(two), Shape.of(3), 0, 1, 1);
        assertValues(x.lt(two), Shape.of(3), 1, 0, 0);
        assertValues(x.le(two), Shape.of(3), 1, 1, 0);
        assertValues(x.eq(two), Shape.of(3), 0, 1, 0);
        assertValues(CompareOps.where(x.gt(two), x, Tensor.scalar(-1)), Shape.of(3), -1, -1, 3);
    }

    @Test
    void reductionsOverChosenAxes() {
        assertValues(a.sum(), Shape.scalar(), -3);
        assertValues(a.sum(new int[] {0}, false), Shape.of(3), -3, 3, -3);
        assertValues(a.sum(new int[] {1}, true), Shape.of(2, 1), 2, -5);
        assertValues(a.sum(new int[] {-1}, false), Shape.of(2), 2, -5);
        assertValues(a.mean(), Shape.scalar(), -0.5);
        assertValues(a.mean(new int[] {0}, false), Shape.of(3), -1.5, 1.5, -1.5);
        assertValues(a.max(), Shape.scalar(), 5);
        assertValues(a.max(new int[] {1}, false), Shape.of(2), 3, 5);
        assertValues(a.max(new int[] {0}, true), Shape.of(1, 3), 1, 5, 3);
    }

    @Test
    void shapeOps() {
        assertValues(a.reshape(3, 2), Shape.of(3, 2), 1, -2, 3, -4, 5, -6);
        assertValues(a.reshape(-1), Shape.of(6), 1, -2, 3, -4, 5, -6);
        assertValues(a.transpose(), Shape.of(3, 2), 1, -4, -2, 5, 3, -6);
        Tensor cube = Tensor.of(Shape.of(2, 2, 2), 0, 1, 2, 3, 4, 5, 6, 7);
        assertValues(cube.permute(2, 0, 1), Shape.of(2, 2, 2), 0, 2, 4, 6, 1, 3, 5, 7);
        assertValues(a.slice(1, 1, 3), Shape.of(2, 2), -2, 3, 5, -6);
        assertValues(ShapeOps.concat(0, a, row.reshape(1, 3)), Shape.of(3, 3), 1, -2, 3, -4, 5, -6, 10, 20, 30);
        assertValues(ShapeOps.concat(1, a, a.slice(1, 0, 1)), Shape.of(2, 4), 1, -2, 3, 1, -4, 5, -6, -4);
        assertValues(row.broadcastTo(Shape.of(2, 3)), Shape.of(2, 3), 10, 20, 30, 10, 20, 30);
        assertValues(Tensor.of(Shape.of(2, 1), 1, 2).expand(2, 2), Shape.of(2, 2), 1, 1, 2, 2);
    }

    @Test
    void zeroAndCircularPadding() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertValues(ShapeOps.pad(x, new int[] {1}, new int[] {2}, Padding.ZERO), Shape.of(6), 0, 1, 2, 3, 0, 0);
        assertValues(ShapeOps.pad(x, new int[] {1}, new int[] {2}, Padding.CIRCULAR), Shape.of(6), 3, 1, 2, 3, 1, 2);
        // wider than the axis: wraps twice
        assertValues(ShapeOps.pad(x, new int[] {4}, new int[] {0}, Padding.CIRCULAR), Shape.of(7), 3, 1, 2, 3, 1, 2, 3);
        Tensor img = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
        assertValues(ShapeOps.pad(img, new int[] {1, 1}, new int[] {0, 0}, Padding.CIRCULAR), Shape.of(3, 3),
                4, 3, 4, 2, 1, 2, 4, 3, 4);
    }

    @Test
    void matmulWithBatchBroadcast() {
        Tensor m = Tensor.matrix(new double[] {1, 2}, new double[] {3, 4});
        assertValues(m.matmul(m), Shape.of(2, 2), 7, 10, 15, 22);
        Tensor batch = Tensor.of(Shape.of(2, 2, 2), 1, 0, 0, 1, 2, 0, 0, 2);
        assertValues(batch.matmul(m), Shape.of(2, 2, 2), 1, 2, 3, 4, 2, 4, 6, 8);
        assertValues(Tensor.of(Shape.of(1, 3), 1, 2, 3).matmul(Tensor.of(Shape.of(3, 1), 4, 5, 6)), Shape.of(1, 1), 32);
    }

    @Test
    void castsKeepValuesAndChangeStorage() {
        Tensor x = Tensor.vector(0.1, 2.5);
        Tensor f = x.to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new float[] {0.1f, 2.5f}, f.floatData());
        assertEquals((double) 0.1f, f.to(DType.FLOAT64).get(0), 0);
        assertValues(x.stopGradient(), Shape.of(2), 0.1, 2.5);
    }
}
