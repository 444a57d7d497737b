package io.sipflow.autodiff;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker must catch wrong gradients, not only pass right ones. */
class GradCheckTest {
    private static Tensor wrongSquare(Tensor x) {
        // value x², but the VJP claims 3x (the right one is 2x)
        return Autodiff.customVjp("wrongSquare", in -> in[0].square(),
                (in, out, g) -> new Tensor[] {g.mul(in[0]).mul(3)}, x);
    }

    @Test
    void aWrongVjpFailsWithOpSeedAndWorstElementInTheMessage() {
        Tensor x = Tensor.vector(0.5, -1.25, 2.0);
        GradCheck.Report r = GradCheck.check("wrongSquare", in -> wrongSquare(in[0]),
                GradCheck.Options.defaults().withSeed(42), x);
        assertFalse(r.passed());
        AssertionError e = assertThrows(AssertionError.class, r::assertPassed);
        assertTrue(e.getMessage().contains("GradCheck wrongSquare: FAILED"), e.getMessage());
        assertTrue(e.getMessage().contains("seed 42"), e.getMessage());
        assertTrue(e.getMessage().contains("worst:"), e.getMessage());
    }

    @Test
    void theWorstPlaceIsNamedAsADirectionAcrossAllInputsOrAnElementOfOneInput() {
        GradCheck.Tolerance t = GradCheck.Tolerance.FLOAT64;
        GradCheck.Report direction = new GradCheck.Report("op", 1, t,
                List.of(new GradCheck.Comparison(-1, -1, 1.0, 2.0, false)));
        assertTrue(direction.toString().contains("worst: a random direction across all inputs analytic"),
                direction.toString());
        GradCheck.Report element = new GradCheck.Report("op", 1, t,
                List.of(new GradCheck.Comparison(1, 3, 1.0, 2.0, false)));
        assertTrue(element.toString().contains("worst: element 3 of input 1 analytic"), element.toString());
    }

    @Test
    void aGradientThatIsOffByOneUlpInFloat32StillPassesTheFloat32Tolerance() {
        Tensor x = Tensor.of(DType.FLOAT32, Shape.of(3), 0.5, -1.25, 2.0);
        GradCheck.Report r = GradCheck.check("square32", in -> in[0].square(), x);
        r.assertPassed();
        assertTrue(r.tolerance().equals(GradCheck.Tolerance.FLOAT32), "FLOAT32 inputs get the FLOAT32 tolerance");
    }

    @Test
    void aSmallErrorIsCaughtInFloat64() {
        Tensor x = Tensor.vector(0.5, -1.25, 2.0);
        GradCheck.Report r = GradCheck.check("almostSquare", in -> Autodiff.customVjp("almostSquare",
                t -> t[0].square(), (t, out, g) -> new Tensor[] {g.mul(t[0]).mul(2 * (1 + 1e-4))}, in[0]), x);
        assertFalse(r.passed(), "a 1e-4 relative error must not pass the FLOAT64 tolerance: " + r);
    }
}
