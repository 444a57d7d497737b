package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed conv2d values (cross-correlation, as PyTorch) and its shape errors. */
class ConvOpsTest {
    private static final Tensor X = Tensor.of(Shape.of(1, 1, 3, 3), 1, 2, 3, 4, 5, 6, 7, 8, 9);

    @Test
    void boxFilterSumsTheNeighbourhood() {
        Tensor ones = Tensor.ones(1, 1, 3, 3);
        Tensor bias = Tensor.vector(0.5);
        // ZERO: corner 1+2+4+5, edge 1..6, centre 1..9.
        assertArrayEquals(new double[] {12.5, 21.5, 16.5, 27.5, 45.5, 33.5, 24.5, 39.5, 28.5},
                ConvOps.conv2d(X, ones, bias, Padding.ZERO).toDoubleArray(), 1e-12);
        // CIRCULAR on a 3×3 image: every window covers all nine values.
        for (double v : ConvOps.conv2d(X, ones, bias, Padding.CIRCULAR).toDoubleArray()) {
            assertEquals(45.5, v, 1e-12);
        }
    }

    @Test
    void weightAtTopLeftReadsTheUpperLeftNeighbour() {
        // w[0,0,0,0] = 1: y[i,j] = x[i−1, j−1] (correlation, not flipped convolution).
        double[] w = new double[9];
        w[0] = 1;
        Tensor k = Tensor.of(Shape.of(1, 1, 3, 3), w);
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 2, 0, 4, 5},
                ConvOps.conv2d(X, k, null, Padding.ZERO).toDoubleArray(), 0);
        assertArrayEquals(new double[] {9, 7, 8, 3, 1, 2, 6, 4, 5},
                ConvOps.conv2d(X, k, null, Padding.CIRCULAR).toDoubleArray(), 0);
    }

    @Test
    void oneByOneKernelMixesChannels() {
        Tensor x = Tensor.of(Shape.of(1, 2, 1, 2), 1, 2, 10, 20);
        Tensor w = Tensor.of(Shape.of(2, 2, 1, 1), 1, 1, 2, -1);
        Tensor y = ConvOps.conv2d(x, w, Tensor.vector(0, 100), Padding.ZERO);
        assertEquals(Shape.of(1, 2, 1, 2), y.shape());
        assertArrayEquals(new double[] {11, 22, 92, 84}, y.toDoubleArray(), 0);
    }

    @Test
    void biasGradientSumsOverBatchAndSpace() {
        Tensor b = Tensor.vector(0, 0).variable();
        Tensor x = Tensor.ones(2, 1, 2, 3);
        Tensor y = ConvOps.conv2d(x, Tensor.ones(2, 1, 1, 1), b, Padding.ZERO);
        Tensor gb = io.sipflow.autodiff.Autodiff.grad(y.sum(), b).get(b);
        assertArrayEquals(new double[] {12, 12}, gb.toDoubleArray(), 0);
    }

    @Test
    void errorsNameTheOpAndShapes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(Tensor.zeros(1, 2, 4, 4), Tensor.zeros(3, 1, 3, 3), null, Padding.ZERO));
        assertTrue(e.getMessage().contains("conv2d") && e.getMessage().contains("(1, 2, 4, 4)")
                && e.getMessage().contains("channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(1, 1, 2, 2), null, Padding.ZERO));
        assertTrue(e.getMessage().contains("odd"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(Tensor.zeros(1, 4, 4), Tensor.zeros(1, 1, 3, 3), null, Padding.ZERO));
        assertTrue(e.getMessage().contains("NCHW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(Tensor.zeros(1, 1, 4, 4), Tensor.zeros(2, 1, 3, 3), Tensor.zeros(3),
                        Padding.ZERO));
        assertTrue(e.getMessage().contains("bias"), e.getMessage());
    }
}
