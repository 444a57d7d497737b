package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** hvp on a kept graph and jvp of a function that ignores x: the two entry points no other autodiff test reaches. */
class HvpJvpEdgeCasesTest {
    /** loss = Σ x³ keeps its graph: two products from one loss, H = diag(6x). */
    @Test
    void hvpOnAKeptGraphGivesOneProductPerCall() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor loss = x.pow(3).sum();
        assertArrayEquals(new double[] {6, 0},
                Autodiff.hvp(loss, List.of(x), List.of(Tensor.vector(1, 0))).get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0, 24},
                Autodiff.hvp(loss, List.of(x), List.of(Tensor.vector(0, 2))).get(0).toDoubleArray(), 1e-12);
    }

    /** A function that does not depend on x has J = 0: J·v is zeros of the output's shape. */
    @Test
    void jvpOfAFunctionIgnoringXIsZero() {
        Tensor jv = Autodiff.jvp(t -> Tensor.vector(1, 2, 3), Tensor.vector(5, 6), Tensor.vector(1, 1));
        assertArrayEquals(new double[] {0, 0, 0}, jv.toDoubleArray(), 0.0);
    }
}
