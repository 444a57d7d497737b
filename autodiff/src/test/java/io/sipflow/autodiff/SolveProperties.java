package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.ShapeOps;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of the differentiable CG solve, in FLOAT64, on A(θ)v = s·(θ⊙v − ∇²v): θ &gt; 0 a weight field, ∇² the
 * 5-point Laplacian with zeros outside, s = +1 (positive definite) or −1 (negative definite).
 */
class SolveProperties {
    /** Tight enough that finite differences of the solve see the exact solution's derivative. */
    private static final double TIGHT = 1e-13;
    private static final GradCheck.Options OPTIONS = GradCheck.Options.defaults().withEpsilon(1e-5);

    @Property(tries = 30)
    void solveThenApplyRecoversB(@ForAll @IntRange(min = 1, max = 3) int batch,
                                 @ForAll @IntRange(min = 1, max = 7) int ny, @ForAll @IntRange(min = 1, max = 7) int nx,
                                 @ForAll boolean negative, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor theta = weights(rng, batch, ny, nx);
        Tensor b = Tensor.randn(rng, batch, ny, nx);
        UnaryOperator<Tensor> a = operator(theta, negative ? -1 : 1);
        Tensor x = Solve.cg(a, b, 1e-10, 500);
        double[] residual = a.apply(x).sub(b).toDoubleArray();
        double[] bv = b.toDoubleArray();
        int n = ny * nx;
        for (int e = 0; e < batch; e++) {
            double rr = 0;
            double bb = 0;
            for (int k = e * n; k < (e + 1) * n; k++) {
                rr += residual[k] * residual[k];
                bb += bv[k] * bv[k];
            }
            assertTrue(Math.sqrt(rr) <= 1e-9 * Math.sqrt(bb),
                    "example " + e + ": ‖Ax − b‖ = " + Math.sqrt(rr) + ", ‖b‖ = " + Math.sqrt(bb) + ", seed " + seed);
        }
    }

    @Property(tries = 15)
    void gradientWithRespectToB(@ForAll @IntRange(min = 1, max = 2) int batch,
                                @ForAll @IntRange(min = 2, max = 5) int ny, @ForAll @IntRange(min = 2, max = 5) int nx,
                                @ForAll boolean negative, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        UnaryOperator<Tensor> a = operator(weights(rng, batch, ny, nx), negative ? -1 : 1);
        GradCheck.check("solve_cg(b)", in -> Solve.cg(a, in[0], TIGHT, 500), OPTIONS.withSeed(seed),
                Tensor.randn(rng, batch, ny, nx)).assertPassed();
    }

    /** ∂L/∂θ = −λᵀ(∂A/∂θ)x, found by differentiating the operator application at the solution. */
    @Property(tries = 15)
    void gradientWithRespectToOperatorAndB(@ForAll @IntRange(min = 1, max = 2) int batch,
                                           @ForAll @IntRange(min = 2, max = 5) int ny,
                                           @ForAll @IntRange(min = 2, max = 5) int nx,
                                           @ForAll boolean negative, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sign = negative ? -1 : 1;
        GradCheck.check("solve_cg(b, θ)", in -> Solve.cg(operator(in[1], sign), in[0], TIGHT, 500),
                OPTIONS.withSeed(seed), Tensor.randn(rng, batch, ny, nx), weights(rng, batch, ny, nx)).assertPassed();
    }

    /** A rank-1 b is one system; the operator's scalar parameter gets its gradient too. */
    @Property(tries = 15)
    void vectorSystemWithScalarParameter(@ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        GradCheck.check("solve_cg(vector)", in -> Solve.cg(v -> v.mul(in[1]).sub(laplace1d(v)), in[0], TIGHT, 500),
                OPTIONS.withSeed(seed), Tensor.randn(rng, n), Tensor.scalar(0.5 + rng.nextDouble())).assertPassed();
    }

    @Test
    void notConvergingIsAnErrorNamingIterationsAndResidual() {
        Tensor b = Tensor.randn(new SplittableRandom(3), 2, 6, 6);
        UnaryOperator<Tensor> a = operator(Tensor.full(b.shape(), 0.01), -1);
        Solve.NotConverged e = assertThrows(Solve.NotConverged.class, () -> Solve.cg(a, b, 1e-8, 3));
        assertEquals(3, e.iterations());
        assertTrue(e.relativeResidual() > 1e-8);
        assertTrue(e.getMessage().contains("after 3 iterations") && e.getMessage().contains("relative residual"),
                e.getMessage());
    }

    @Test
    void indefiniteOperatorBreakdownIsReported() {
        // A = diag(1, −1): ⟨p, Ap⟩ = 0 for p = (1, 1), CG's first direction when b = (1, 1).
        Tensor b = Tensor.vector(1, 1);
        UnaryOperator<Tensor> a = v -> v.mul(Tensor.vector(1, -1));
        Solve.NotConverged e = assertThrows(Solve.NotConverged.class, () -> Solve.cg(a, b, 1e-8, 10));
        assertTrue(e.getMessage().contains("symmetric and definite"), e.getMessage());
    }

    @Test
    void startingAtTheSolutionTakesNoIterationAndFloat32StaysFloat32() {
        Tensor theta = Tensor.full(Shape.of(1, 4, 4), 1.0);
        UnaryOperator<Tensor> a = operator(theta, 1);
        Tensor x = Tensor.randn(new SplittableRandom(5), 1, 4, 4);
        Tensor b = a.apply(x);
        Tensor again = Solve.cg(a, b, 1e-6, 0, x);
        assertEquals(0, again.sub(x).abs().max().item(), 0);
        Tensor b32 = b.to(DType.FLOAT32);
        UnaryOperator<Tensor> a32 = v -> v.sub(laplace2d(v));
        Tensor x32 = Solve.cg(a32, b32, 1e-5, 100);
        assertEquals(DType.FLOAT32, x32.dtype());
        assertEquals(0, x32.to(DType.FLOAT64).sub(x).abs().max().item(), 1e-4);
    }

    /** The VJP is one adjoint solve: the gradient of ½‖x‖² with respect to b is A⁻¹x. */
    @Test
    void gradientIsTheAdjointSolve() {
        Tensor theta = weights(new SplittableRandom(7), 1, 5, 5);
        UnaryOperator<Tensor> a = operator(theta, 1);
        Tensor b = Tensor.randn(new SplittableRandom(8), 1, 5, 5).variable();
        Tensor x = Solve.cg(a, b, TIGHT, 500);
        Tensor g = Autodiff.grad(x.square().sum().mul(0.5), List.of(b)).get(b);
        Tensor expected = Solve.cg(a, x.stopGradient(), TIGHT, 500);
        assertEquals(0, g.sub(expected).abs().max().item(), 1e-12);
    }

    /** θ in [0.5, 1.5]: keeps A(θ) = θ⊙v − ∇²v well conditioned. */
    private static Tensor weights(SplittableRandom rng, int... dims) {
        return Tensor.rand(rng, dims).add(0.5);
    }

    private static UnaryOperator<Tensor> operator(Tensor theta, double sign) {
        return v -> v.mul(theta).sub(laplace2d(v)).mul(sign);
    }

    /** The 5-point Laplacian over the last two axes with zeros outside, from differentiable ops. */
    private static Tensor laplace2d(Tensor v) {
        int r = v.rank();
        int ny = v.dim(-2);
        int nx = v.dim(-1);
        int[] before = new int[r];
        int[] after = new int[r];
        before[r - 2] = 1;
        before[r - 1] = 1;
        after[r - 2] = 1;
        after[r - 1] = 1;
        Tensor p = ShapeOps.pad(v, before, after, Padding.ZERO);
        Tensor up = p.slice(r - 2, 0, ny).slice(r - 1, 1, nx + 1);
        Tensor down = p.slice(r - 2, 2, ny + 2).slice(r - 1, 1, nx + 1);
        Tensor left = p.slice(r - 2, 1, ny + 1).slice(r - 1, 0, nx);
        Tensor right = p.slice(r - 2, 1, ny + 1).slice(r - 1, 2, nx + 2);
        return up.add(down).add(left).add(right).sub(v.mul(4));
    }

    private static Tensor laplace1d(Tensor v) {
        int n = v.dim(0);
        Tensor p = ShapeOps.pad(v, new int[] {1}, new int[] {1}, Padding.ZERO);
        return p.slice(0, 0, n).add(p.slice(0, 2, n + 2)).sub(v.mul(2));
    }
}
