package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AutodiffSmokeTest {
    @Test
    void gradientOfSumOfSquaresIsTwiceTheInput() {
        Tensor w = Tensor.vector(1, -2, 3).variable();
        Tensor dw = Autodiff.grad(w.square().sum(), w).get(w);
        assertEquals(2.0, dw.get(0), 0);
        assertEquals(-4.0, dw.get(1), 0);
        assertEquals(6.0, dw.get(2), 0);
    }

    @Test
    void broadcastingGradientIsSummedBack() {
        Tensor a = Tensor.matrix(new double[] {1, 2, 3}, new double[] {4, 5, 6}).variable();
        Tensor b = Tensor.vector(10, 20, 30).variable();
        Gradients g = Autodiff.grad(a.mul(b).sum(), a, b);
        assertEquals(Shape.of(3), g.get(b).shape());
        assertEquals(5.0, g.get(b).get(0), 0);
        assertEquals(20.0, g.get(a).get(1, 1), 0);
    }
}
