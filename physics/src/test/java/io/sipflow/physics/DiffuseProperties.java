package io.sipflow.physics;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties of forward diffusion D(u) = Re(ifft2(fft2(u)·exp(−4π²|k|²κt))). */
class DiffuseProperties {

    @Property(tries = 30)
    void conservesTheMeanOfEveryField(@ForAll long seed, @ForAll @IntRange(min = 2, max = 24) int ny,
                                      @ForAll @IntRange(min = 2, max = 24) int nx,
                                      @ForAll @DoubleRange(min = 0, max = 20) double amount) {
        Tensor u = Tensor.randn(new SplittableRandom(seed), 3, ny, nx);
        Tensor before = u.mean(new int[] {1, 2}, false);
        Tensor after = Diffuse.fourier(u, amount, 1).mean(new int[] {1, 2}, false);
        for (int b = 0; b < 3; b++) {
            assertEquals(before.getFlat(b), after.getFlat(b), 1e-12, "seed " + seed + " example " + b);
        }
    }

    @Property(tries = 30)
    void composesLikeASemigroup(@ForAll long seed, @ForAll @IntRange(min = 2, max = 20) int n,
                                @ForAll @DoubleRange(min = 0, max = 5) double t1,
                                @ForAll @DoubleRange(min = 0, max = 5) double t2) {
        Tensor u = Tensor.randn(new SplittableRandom(seed), 2, n, n + 3);
        Tensor twoSteps = Diffuse.fourier(Diffuse.fourier(u, 1.5, t1), 1.5, t2);
        Tensor oneStep = Diffuse.fourier(u, 1.5, t1 + t2);
        assertClose(oneStep, twoSteps, 1e-12, "D(t1)∘D(t2) vs D(t1+t2), seed " + seed);
    }

    /** cos(2π(my·y/ny + mx·x/nx)) is an eigenfunction: it decays by exp(−4π²|k|²κt) with k = (my/ny, mx/nx). */
    @Property(tries = 40)
    void singleFourierModeDecaysExponentially(@ForAll @IntRange(min = 4, max = 32) int ny,
                                              @ForAll @IntRange(min = 4, max = 32) int nx,
                                              @ForAll @IntRange(min = 0, max = 8) int my,
                                              @ForAll @IntRange(min = 0, max = 8) int mx,
                                              @ForAll @DoubleRange(min = 0.01, max = 10) double kappa) {
        double[] mode = new double[ny * nx];
        for (int i = 0; i < ny; i++) {
            for (int j = 0; j < nx; j++) {
                mode[i * nx + j] = Math.cos(2 * Math.PI * ((double) my * i / ny + (double) mx * j / nx));
            }
        }
        Tensor u = Tensor.of(Shape.of(ny, nx), mode);
        double ky = Frequencies.fftfreq(ny)[my % ny];
        double kx = Frequencies.fftfreq(nx)[mx % nx];
        double decay = Math.exp(-4 * Math.PI * Math.PI * (ky * ky + kx * kx) * kappa * 0.5);
        assertClose(u.mul(decay), Diffuse.fourier(u, kappa, 0.5), 1e-12,
                "mode (" + my + ", " + mx + ") on " + ny + "x" + nx);
    }

    @Property(tries = 10)
    void vjpMatchesFiniteDifferences(@ForAll long seed, @ForAll @IntRange(min = 2, max = 9) int n,
                                     @ForAll @DoubleRange(min = 0.05, max = 3) double amount) {
        Tensor u = Tensor.randn(new SplittableRandom(seed), 2, n, n + 1);
        GradCheck.check("diffuse", in -> Diffuse.fourier(in[0], amount, 1),
                GradCheck.Options.defaults().withSeed(seed), u).assertPassed();
    }

    @Property(tries = 5)
    void vjpThroughAFloat32InputCastsBack(@ForAll long seed) {
        Tensor u = Tensor.randn(new SplittableRandom(seed), 1, 6, 6).to(io.sipflow.autodiff.DType.FLOAT32);
        GradCheck.check("diffuse(float32)", in -> Diffuse.fourier(in[0], 0.7, 1),
                GradCheck.Options.defaults().withSeed(seed), u).assertPassed();
    }

    static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        double worst = 0;
        for (int i = 0; i < expected.size(); i++) {
            worst = Math.max(worst, Math.abs(expected.getFlat(i) - actual.getFlat(i)));
        }
        assertTrue(worst <= tol, what + ": max abs difference " + worst + " > " + tol);
    }
}
