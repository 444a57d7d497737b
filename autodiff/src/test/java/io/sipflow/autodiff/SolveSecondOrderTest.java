package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Solve.cg's recorded VJP and customLinearVjp at second order, in closed form on diagonal operators (the mutation run
 * found these VJP branches reached by no autodiff test).
 */
class SolveSecondOrderTest {
    private static final Tensor D = Tensor.vector(1, 2, 4);
    private static final UnaryOperator<Tensor> DIAGONAL = v -> v.mul(D);

    /** f(b) = ½‖A⁻¹b‖² has the Hessian A⁻², so H·v = v / d² for A = diag(d). */
    @Test
    void hessianOfAQuadraticInTheSolutionIsTheSquaredInverse() {
        Tensor b = Tensor.vector(1, -2, 3);
        Tensor v = Tensor.vector(1, 1, 2);
        Tensor hv = Autodiff.hvp(t -> Solve.cg(DIAGONAL, t, 1e-14, 50).square().sum().mul(0.5), b, v);
        assertArrayEquals(new double[] {1, 0.25, 0.125}, hv.toDoubleArray(), 1e-12);
    }

    /**
     * With the operator's variable θ in A = diag(θ) as an input too, the recorded backward pass gives the same
     * first-order gradients as the plain one (∂L/∂b = λ, ∂L/∂θ = −λ⊙x); differentiating the θ route again is refused,
     * naming solve_cg, because it holds the solution as a constant.
     */
    @Test
    void recordedGradientsWithAnOperatorVariableMatchFirstOrderAndRefuseSecondOrder() {
        Tensor theta = D.variable();
        Tensor b = Tensor.vector(1, -2, 3).variable();
        Tensor loss = Solve.cg(v -> v.mul(theta), b, 1e-14, 50).square().sum().mul(0.5);
        Gradients recorded = Autodiff.grad(loss, List.of(b, theta), Autodiff.Differentiable.YES);
        // x = b/θ, λ = x/θ: ∂L/∂b = b/θ², ∂L/∂θ = −λ⊙x = −b²/θ³
        assertArrayEquals(new double[] {1, -0.5, 0.1875}, recorded.get(b).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-1, -0.5, -9.0 / 64}, recorded.get(theta).toDoubleArray(), 1e-12);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.grad(recorded.get(theta).sum(), theta));
        assertTrue(e.getMessage().contains("solve_cg"), e.getMessage());
    }

    /** A linear custom op (y = 3x, VJP 3g) is twice differentiable: f = Σ y² has H·v = 18v. */
    @Test
    void aLinearCustomOpHasASecondDerivative() {
        Tensor v = Tensor.vector(1, -1);
        Tensor hv = Autodiff.hvp(t -> Autodiff.customLinearVjp("triple", in -> in[0].mul(3),
                (in, out, g) -> new Tensor[] {g.mul(3)}, t).square().sum(), Tensor.vector(0.5, 2), v);
        assertArrayEquals(new double[] {18, -18}, hv.toDoubleArray(), 1e-12);
    }
}
