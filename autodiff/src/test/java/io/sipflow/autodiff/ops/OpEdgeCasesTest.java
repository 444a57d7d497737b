package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Forward values at the edges of each op's domain, computed by hand: the inputs a gradient property never draws
 * (one-sided padding, empty axes, size-1 windows, equal clip bounds, axes in any order, a −1 beside known dims).
 * GradCheck compares an op with itself, so a forward value that is wrong but smooth passes it; these catch that.
 */
class OpEdgeCasesTest {
    private static void assertValues(Tensor t, Shape shape, double... expected) {
        assertEquals(shape, t.shape(), "shape");
        assertArrayEquals(expected, t.toDoubleArray(), 0.0);
    }

    @Test
    void minusOneIsInferredBesideKnownDims() {
        Tensor six = Tensor.vector(1, 2, 3, 4, 5, 6);
        assertValues(six.reshape(2, -1), Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        assertValues(six.reshape(-1, 3, 1), Shape.of(2, 3, 1), 1, 2, 3, 4, 5, 6);
        assertValues(Tensor.zeros(3, 0).reshape(0, 3), Shape.of(0, 3));
    }

    @Test
    void padOnOneSideOnlyAndAnEmptyAxis() {
        Tensor x = Tensor.vector(1, 2, 3);
        assertValues(ShapeOps.pad(x, new int[] {0}, new int[] {2}, Padding.ZERO), Shape.of(5), 1, 2, 3, 0, 0);
        assertValues(ShapeOps.pad(x, new int[] {2}, new int[] {0}, Padding.CIRCULAR), Shape.of(5), 2, 3, 1, 2, 3);
        Tensor m = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
        assertValues(ShapeOps.pad(m, new int[] {0, 1}, new int[] {1, 0}, Padding.ZERO), Shape.of(3, 3),
                0, 1, 2, 0, 3, 4, 0, 0, 0);
        assertValues(ShapeOps.pad(Tensor.zeros(2, 0), new int[] {0, 1}, new int[] {0, 1}, Padding.ZERO),
                Shape.of(2, 2), 0, 0, 0, 0);
    }

    @Test
    void anEmptySliceIsAllowed() {
        assertValues(Tensor.vector(1, 2, 3).slice(0, 1, 1), Shape.of(0));
        assertValues(Tensor.vector(1, 2, 3).slice(0, 3, 3), Shape.of(0));
    }

    @Test
    void reductionAxesMayComeInAnyOrder() {
        Tensor t = Tensor.of(Shape.of(2, 2, 2), 1, 2, 3, 4, 5, 6, 7, 8);
        assertValues(t.sum(new int[] {2, 0}, false), Shape.of(2), 1 + 2 + 5 + 6, 3 + 4 + 7 + 8);
        assertValues(t.max(new int[] {-1, 0}, true), Shape.of(1, 2, 1), 6, 8);
    }

    @Test
    void maxPoolWithWindowOneIsTheIdentity() {
        Tensor x = Tensor.of(Shape.of(1, 1, 2, 2), 4, -1, 3, 2);
        assertValues(ImageOps.maxPool2d(x, 1), Shape.of(1, 1, 2, 2), 4, -1, 3, 2);
    }

    @Test
    void clipWithEqualBoundsIsConstantWithZeroGradient() {
        Tensor x = Tensor.vector(-2, 0.5, 3).variable();
        Tensor y = x.clip(1, 1);
        assertValues(y, Shape.of(3), 1, 1, 1);
        assertArrayEquals(new double[] {0, 0, 0}, Autodiff.grad(y.sum(), x).get(x).toDoubleArray(), 0.0);
    }

    /** y = (x − mean)·γ/√(variance + ε) + β per channel, then ReLU when fused; ε = 0 keeps the numbers exact. */
    @Test
    void batchNormInferenceByHand() {
        Tensor x = Tensor.of(Shape.of(1, 2, 1, 2), 1, 3, -2, 6);
        Tensor gamma = Tensor.vector(2, 1);
        Tensor beta = Tensor.vector(-1, 0.5);
        Tensor mean = Tensor.vector(2, 2);
        Tensor variance = Tensor.vector(4, 16);
        // channel 0: (x − 2)·2/2 − 1 = x − 3; channel 1: (x − 2)·1/4 + 0.5 = x/4
        assertValues(NormOps.batchNorm2dInference(x, gamma, beta, mean, variance, 0, NormOps.Fused.NONE),
                Shape.of(1, 2, 1, 2), -2, 0, -0.5, 1.5);
        assertValues(NormOps.batchNorm2dInference(x, gamma, beta, mean, variance, 0, NormOps.Fused.RELU),
                Shape.of(1, 2, 1, 2), 0, 0, 0, 1.5);
    }

    /** The graph names a fused batch norm as such (graph dumps, anomaly reports and VJP errors quote it). */
    @Test
    void batchNormNodesSayWhetherReluIsFused() {
        Tensor x = Tensor.of(Shape.of(2, 1, 1, 2), 1, 3, -2, 6).variable();
        Tensor gamma = Tensor.vector(1).variable();
        Tensor beta = Tensor.vector(0).variable();
        assertEquals("batchNorm2d", NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.NONE).output().node().op());
        assertEquals("batchNorm2dRelu",
                NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.RELU).output().node().op());
        Tensor one = Tensor.vector(1);
        assertEquals("batchNorm2dInference",
                NormOps.batchNorm2dInference(x, gamma, beta, one, one, 1e-5, NormOps.Fused.NONE).node().op());
        assertEquals("batchNorm2dInferenceRelu",
                NormOps.batchNorm2dInference(x, gamma, beta, one, one, 1e-5, NormOps.Fused.RELU).node().op());
    }

    /** A disconnected input's error tells how to fix it: call .variable() only when it is not a variable. */
    @Test
    void aDisconnectedInputsErrorSaysWhetherItIsAVariable() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor loss = x.square().sum();
        IllegalArgumentException constant = assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(loss, List.of(x, Tensor.vector(3))));
        assertTrue(constant.getMessage().contains("input 1 (1,) float64 is not connected to the output (it is not a"
                + " variable: call .variable() on it first)"), constant.getMessage());
        IllegalArgumentException variable = assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(loss, List.of(x, Tensor.vector(3).variable())));
        assertTrue(variable.getMessage().contains("input 1 (1,) float64 is not connected to the output;"),
                variable.getMessage());
        assertFalse(variable.getMessage().contains(".variable()"), variable.getMessage());
    }
}
