package io.sipflow.testkit;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-line assertion passes a right VJP and fails a wrong one, naming op, seed, shapes and dtypes. */
class GradAssertTest {
    private static Tensor cube(Tensor x, double factor) {
        return Autodiff.customVjp("cube", in -> in[0].mul(in[0]).mul(in[0]),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(factor)}, x);
    }

    @Test
    void aRightVjpPasses() {
        Tensor x = TensorValues.uniform(Shape.of(2, 3), -2, 2, 1);
        assertDoesNotThrow(() -> GradAssert.assertGradients("cube", in -> cube(in[0], 3), x));
        assertDoesNotThrow(() -> GradAssert.assertGradients("cube", in -> cube(in[0], 3), 7L, x.to(DType.FLOAT32)));
    }

    @Test
    void aWrongVjpFailsNamingOpSeedShapesAndDtypes() {
        Tensor x = TensorValues.uniform(Shape.of(2, 3), -2, 2, 1);
        Tensor y = TensorValues.uniform(DType.FLOAT32, Shape.of(3), -2, 2, 2);
        AssertionError e = assertThrows(AssertionError.class,
                () -> GradAssert.assertGradients("cube", in -> cube(in[0], 2.9).add(in[1]), 42L, x, y));
        String m = e.getMessage();
        assertTrue(m.contains("cube") && m.contains("FAILED") && m.contains("seed 42")
                && m.contains("0: (2, 3) float64") && m.contains("1: (3,) float32"), m);
    }
}
