package io.sipflow.physics;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CG solve assumes of the 5-point Laplacian with zero boundary: symmetric and negative definite. */
class LaplaceProperties {
    @Property(tries = 40)
    void symmetricAndNegativeDefinite(@ForAll @IntRange(min = 1, max = 9) int ny,
                                      @ForAll @IntRange(min = 1, max = 9) int nx, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor u = Tensor.randn(rng, 2, ny, nx);
        Tensor v = Tensor.randn(rng, 2, ny, nx);
        double uLv = u.mul(Laplace.apply(v)).sum().item();
        double vLu = v.mul(Laplace.apply(u)).sum().item();
        assertEquals(uLv, vLu, 1e-12 * (1 + Math.abs(uLv)), "⟨u, ∇²v⟩ = ⟨∇²u, v⟩, seed " + seed);
        assertTrue(u.mul(Laplace.apply(u)).sum().item() < 0, "⟨u, ∇²u⟩ < 0, seed " + seed);
    }

    @Property(tries = 15)
    void solveGradientPassesGradCheck(@ForAll @IntRange(min = 2, max = 6) int n, @ForAll long seed) {
        // At the default tolerance 1e-5 finite differences of the solve are noise; GradCheck the exact-enough solve.
        GradCheck.check("Laplace.solve", in -> Laplace.solve(in[0], 1e-13, 1000),
                GradCheck.Options.defaults().withSeed(seed).withEpsilon(1e-4),
                Tensor.randn(new SplittableRandom(seed), 2, n, n)).assertPassed();
    }
}
