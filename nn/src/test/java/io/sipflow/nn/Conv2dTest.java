package io.sipflow.nn;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's default initialisation: weights and bias within ±1/√fan_in, and filling that range. */
class Conv2dTest {
    @Test
    void initialisationStaysWithinPyTorchsBound() {
        Conv2d conv = new Conv2d(16, 32, 3, Padding.CIRCULAR, new SplittableRandom(5));
        double bound = 1 / Math.sqrt(16 * 9);
        assertEquals(Shape.of(32, 16, 3, 3), conv.weight().shape());
        double max = 0;
        for (double v : conv.weight().value().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound, "weight " + v + " outside ±" + bound);
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 0.95 * bound, "4608 uniform draws should come close to the bound, max " + max);
        for (double v : conv.bias().value().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        assertEquals(32 * 16 * 9 + 32, conv.parameterCount());
    }
}
