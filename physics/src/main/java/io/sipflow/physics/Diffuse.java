package io.sipflow.physics;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;

/** Forward heat diffusion on a periodic grid with cell size 1, as PhiFlow's {@code diffuse.fourier}. */
public final class Diffuse {
    private Diffuse() {
    }

    /**
     * Diffuses every (y, x) field of {@code u} (shape (…, ny, nx)) for time {@code dt} with diffusivity κ:
     * <pre>
     *   D(u) = Re(ifft2(fft2(u) · exp(−4π²·|k|²·κ·dt))),   k = fftfreq(n) per axis
     * </pre>
     * Computed and returned in FLOAT64 (a FLOAT32 input is cast first; the cast's VJP casts the gradient back).
     * The mean (k = 0) is kept exactly. VJP: D is linear with a real kernel that is even in k, so it is
     * self-adjoint and the gradient is the same filter applied to the output gradient.
     *
     * @param u the fields (…, ny, nx), rank ≥ 2, periodic, cell size 1
     * @param diffusivity κ, in cells² per unit time
     * @param dt the time span, in the same time unit
     * @return D(u), FLOAT64 of u's shape
     * @throws IllegalArgumentException if u has rank below 2
     */
    public static Tensor fourier(Tensor u, double diffusivity, double dt) {
        Fft2.fieldCount("Diffuse.fourier", u);
        final Tensor u64 = u.dtype() == DType.FLOAT64 ? u : u.to(DType.FLOAT64);
        double[] kernel = kernel(u64.dim(-2), u64.dim(-1), diffusivity * dt);
        return Autodiff.customLinearVjp("diffuse", in -> Fft2.filter(in[0], kernel),
                (in, out, g) -> new Tensor[] {fourier(g, diffusivity, dt)}, u64);
    }

    /**
     * exp(−4π²·|k|²·amount) on the (ny, nx) frequency grid.
     *
     * @param ny rows of the grid
     * @param nx columns of the grid
     * @param amount κ·dt, in cells²
     * @return ny·nx factors, row-major over (ky, kx); 1 at k = 0
     */
    public static double[] kernel(int ny, int nx, double amount) {
        double[] k2 = Frequencies.kSquared(ny, nx);
        double[] kernel = new double[k2.length];
        for (int i = 0; i < k2.length; i++) {
            kernel[i] = StrictMath.exp(-4 * Math.PI * Math.PI * k2[i] * amount);
        }
        return kernel;
    }
}
