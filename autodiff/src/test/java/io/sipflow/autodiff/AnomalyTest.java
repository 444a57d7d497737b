package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Anomaly mode names the first op whose forward value or VJP gradient went non-finite, with its shapes. */
class AnomalyTest {
    @Test
    void namesTheFirstForwardOpThatProducedANan() {
        Tensor x = Tensor.vector(1, -2, 3).variable();
        try (Anomaly.Scope s = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> x.mul(2).log().sqrt().sum());
            assertEquals("log", e.op());
            assertTrue(e.getMessage().contains("forward pass of 'log' produced 1 non-finite value")
                    && e.getMessage().contains("(3,) float64"), e.getMessage());
        }
    }

    @Test
    void namesTheVjpThatProducedAnInfinity() {
        Tensor x = Tensor.vector(0, 4).variable();
        Tensor loss = x.sqrt().sum(); // finite value; d√x/dx = 1/(2√x) is infinite at 0
        try (Anomaly.Scope s = Anomaly.detect()) {
            AnomalyException e = assertThrows(AnomalyException.class, () -> Autodiff.grad(loss, x));
            assertEquals("sqrt", e.op());
            assertTrue(e.getMessage().contains("VJP of 'sqrt'") && e.getMessage().contains("gradient of input 0 (2,)"),
                    e.getMessage());
        }
    }

    @Test
    void offByDefaultAndAfterTheScope() {
        try (Anomaly.Scope s = Anomaly.detect()) {
            assertTrue(Anomaly.isOn());
        }
        Tensor x = Tensor.vector(-1).variable();
        assertTrue(Double.isNaN(x.log().item()), "without the scope NaN flows as before");
    }
}
