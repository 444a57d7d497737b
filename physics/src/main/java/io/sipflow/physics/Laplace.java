package io.sipflow.physics;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Solve;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Threads;

/**
 * The 5-point Laplacian on a cell-centred grid with spacing 1 and zero values outside the grid: PhiFlow's
 * {@code field.laplace} on a {@code CenteredGrid} with its default boundary ({@code extrapolation.ZERO}), and the
 * Poisson solve y = (∇²)⁻¹x of the paper's Poisson experiment.
 */
public final class Laplace {
    /** The authors' script: {@code Solve('CG', 1e-5, 0, x0=0)}, relative tolerance 1e-5, absolute 0. */
    public static final double TOLERANCE = 1e-5;
    /** PhiFlow's default iteration limit for {@code Solve}. */
    public static final int MAX_ITERATIONS = 1000;

    private Laplace() {
    }

    /**
     * ∇²u for every (ny, nx) field of {@code u} (shape (…, ny, nx)), in FLOAT64:
     * <pre>
     *   (∇²u)[i, j] = u[i−1, j] + u[i+1, j] + u[i, j−1] + u[i, j+1] − 4·u[i, j],   u = 0 outside the grid
     * </pre>
     * As a matrix it is symmetric and negative definite (eigenvalues −4 sin²(πk/2(ny+1)) − 4 sin²(πl/2(nx+1)),
     * k, l ≥ 1), so its VJP is the same stencil applied to the output gradient.
     *
     * @param u the fields (…, ny, nx), rank ≥ 2
     * @return ∇²u, FLOAT64 of u's shape
     * @throws IllegalArgumentException if u has rank below 2
     */
    public static Tensor apply(Tensor u) {
        Fft2.fieldCount("Laplace.apply", u);
        final Tensor u64 = u.dtype() == DType.FLOAT64 ? u : u.to(DType.FLOAT64);
        return Autodiff.customLinearVjp("laplace", in -> stencil(in[0]), (in, out, g) -> new Tensor[] {apply(g)},
                u64);
    }

    /**
     * y with ∇²y = x per field, by {@link Solve#cg} (relative tolerance {@link #TOLERANCE}, from y = 0): the
     * forward physics of the Poisson experiment. Differentiable; the gradient is one more solve.
     *
     * @param x the right-hand sides (ny, nx) or (batch, ny, nx)
     * @return y, FLOAT64 of x's shape
     * @throws IllegalArgumentException if x has rank below 2
     * @throws Solve.NotConverged if a field is not solved within {@link #MAX_ITERATIONS} iterations
     */
    public static Tensor solve(Tensor x) {
        return solve(x, TOLERANCE, MAX_ITERATIONS);
    }

    /**
     * As {@link #solve(Tensor)} with another relative tolerance and iteration limit.
     *
     * @param x the right-hand sides (ny, nx) or (batch, ny, nx)
     * @param tolerance the relative residual ‖∇²y − x‖/‖x‖ to reach per field
     * @param maxIterations the most CG iterations
     * @return y, FLOAT64 of x's shape
     * @throws IllegalArgumentException if x has rank below 2 or a setting is negative
     * @throws Solve.NotConverged if a field is not solved within {@code maxIterations} iterations
     */
    public static Tensor solve(Tensor x, double tolerance, int maxIterations) {
        Fft2.fieldCount("Laplace.solve", x);
        Tensor x64 = x.dtype() == DType.FLOAT64 ? x : x.to(DType.FLOAT64);
        Tensor batch = x64.rank() == 2 ? x64.reshape(1, x64.dim(0), x64.dim(1)) : x64;
        Tensor y = Solve.cg(Laplace::apply, batch, tolerance, maxIterations);
        return y.reshape(x64.shape());
    }

    private static Tensor stencil(Tensor u) {
        int ny = u.dim(-2);
        int nx = u.dim(-1);
        int n = ny * nx;
        double[] in = u.doubleData();
        double[] out = BufferPool.doubles(in.length); // every element written
        Threads.forChunks(in.length / n, 8, (chunk, lo, hi) -> {
            for (int b = lo; b < hi; b++) {
                int o = b * n;
                for (int i = 0; i < ny; i++) {
                    for (int j = 0; j < nx; j++) {
                        int k = o + i * nx + j;
                        double s = -4 * in[k];
                        if (i > 0) {
                            s += in[k - nx];
                        }
                        if (i < ny - 1) {
                            s += in[k + nx];
                        }
                        if (j > 0) {
                            s += in[k - 1];
                        }
                        if (j < nx - 1) {
                            s += in[k + 1];
                        }
                        out[k] = s;
                    }
                }
            }
        });
        return Tensor.wrap(u.shape(), out);
    }
}
