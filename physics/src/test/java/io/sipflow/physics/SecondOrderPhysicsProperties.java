package io.sipflow.physics;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Solve;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Second order through the physics: the FFT diffusion, the Laplacian and the CG solve, checked with
 * {@link GradCheck#checkSecondOrder} on P(x)² (each is linear in x, so squaring makes its VJP see a gradient that
 * depends on x).
 */
class SecondOrderPhysicsProperties {
    private static void check2(String op, long seed, Function<Tensor, Tensor> physics, Tensor x) {
        GradCheck.checkSecondOrder(op, in -> physics.apply(in[0]).square(),
                GradCheck.Options.secondOrder().withSeed(seed), x).assertPassed();
    }

    @Property(tries = 15)
    void diffuse(@ForAll @IntRange(min = 1, max = 2) int batch, @ForAll @IntRange(min = 2, max = 6) int ny,
                 @ForAll @IntRange(min = 2, max = 6) int nx, @ForAll long seed) {
        double amount = 0.05 + new SplittableRandom(seed).nextDouble();
        check2("diffuse", seed, u -> Diffuse.fourier(u, amount, 1.0),
                Tensor.randn(new SplittableRandom(seed), batch, ny, nx));
    }

    @Property(tries = 15)
    void laplace(@ForAll @IntRange(min = 1, max = 5) int ny, @ForAll @IntRange(min = 1, max = 5) int nx,
                 @ForAll long seed) {
        check2("laplace", seed, Laplace::apply, Tensor.randn(new SplittableRandom(seed), 2, ny, nx));
    }

    /** Solve.cg through the Poisson solve, at a tolerance where differences of the solve are not noise. */
    @Property(tries = 10)
    void solveCg(@ForAll @IntRange(min = 2, max = 5) int n, @ForAll long seed) {
        check2("solve_cg", seed, x -> Laplace.solve(x, 1e-13, 1000), Tensor.randn(new SplittableRandom(seed), 2, n, n));
    }

    /** With variables in the operator, the gradient with respect to them cannot be differentiated: it says so. */
    @Example
    void solveWithOperatorVariablesRefusesASecondDerivative() {
        Tensor b = Tensor.randn(new SplittableRandom(3), 2, 4);
        Tensor theta = Tensor.rand(new SplittableRandom(4), 2, 4).add(0.5); // A(θ)u = θ·u: diagonal, definite
        Function<Tensor, Tensor> loss = t -> Solve.cg(u -> u.mul(t), b, 1e-12, 100).square().sum();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Autodiff.hvp(loss, theta, theta));
        assertTrue(e.getMessage().contains("solve_cg"), e.getMessage());
    }
}
