package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed pooling and upsampling values, PyTorch's documented example included. */
class ImageOpsTest {
    @Test
    void maxPoolTakesEachWindowsMaximum() {
        Tensor x = Tensor.of(Shape.of(1, 1, 2, 4), 1, 5, 2, 0, 3, -1, 7, 7);
        Tensor y = ImageOps.maxPool2d(x, 2);
        assertEquals(Shape.of(1, 1, 1, 2), y.shape());
        assertArrayEquals(new double[] {5, 7}, y.toDoubleArray(), 0);
    }

    @Test
    void maxPoolGradientGoesToTheFirstMaximumOnTies() {
        Tensor x = Tensor.of(Shape.of(1, 1, 2, 4), 1, 5, 2, 0, 3, -1, 7, 7).variable();
        Tensor g = Autodiff.grad(ImageOps.maxPool2d(x, 2).mul(Tensor.vector(10, 20)).sum(), x).get(x);
        assertArrayEquals(new double[] {0, 10, 0, 0, 0, 0, 20, 0}, g.toDoubleArray(), 0);
    }

    @Test
    void maxPoolRejectsOddSizes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ImageOps.maxPool2d(Tensor.zeros(1, 1, 4, 5), 2));
        assertTrue(e.getMessage().contains("maxPool2d") && e.getMessage().contains("W = 5"), e.getMessage());
    }

    @Test
    void upsampleMatchesPyTorchDocumentation() {
        // torch.nn.Upsample(scale_factor=2, mode='bilinear') on [[1, 2], [3, 4]] (align_corners=False).
        Tensor y = ImageOps.upsampleBilinear2x(Tensor.of(Shape.of(1, 1, 2, 2), 1, 2, 3, 4));
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
        assertArrayEquals(new double[] {
            1.00, 1.25, 1.75, 2.00,
            1.50, 1.75, 2.25, 2.50,
            2.50, 2.75, 3.25, 3.50,
            3.00, 3.25, 3.75, 4.00}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void upsampleOfOnePixelRepeatsIt() {
        Tensor y = ImageOps.upsampleBilinear2x(Tensor.of(Shape.of(1, 1, 1, 3), 0, 4, 8));
        assertEquals(Shape.of(1, 1, 2, 6), y.shape());
        assertArrayEquals(new double[] {0, 1, 3, 5, 7, 8, 0, 1, 3, 5, 7, 8}, y.toDoubleArray(), 1e-12);
    }

    @Test
    void upsampleGradientOfOnesCountsHowOftenEachPixelIsRead() {
        // Each output's weights sum to 1, so Σ over the gradient equals the number of outputs (4·h·w).
        Tensor x = Tensor.zeros(1, 1, 3, 3).variable();
        Tensor g = Autodiff.grad(ImageOps.upsampleBilinear2x(x).sum(), x).get(x);
        assertEquals(36.0, g.sum().item(), 1e-12);
        assertEquals(4.0, g.get(0, 0, 1, 1), 1e-12); // interior pixel: rows ¾+¾+¼+¼ = 2, same for columns
    }

    @Test
    void float32StaysFloat32() {
        Tensor x = Tensor.zeros(1, 1, 2, 2).to(DType.FLOAT32);
        assertEquals(DType.FLOAT32, ImageOps.upsampleBilinear2x(x).dtype());
        assertEquals(DType.FLOAT32, ImageOps.maxPool2d(x, 2).dtype());
    }
}
