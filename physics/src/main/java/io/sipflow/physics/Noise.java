package io.sipflow.physics;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.SplittableRandom;

/**
 * Smooth random fields: PhiFlow's {@code Noise(scale=10, smoothness=1)} sampled on a {@code CenteredGrid} with
 * cell size 1 (its {@code grid_sample}), the data of the paper's Poisson experiment.
 *
 * <p>Per example, on an ny × nx grid (bounds [0, n] per axis, so PhiFlow's physical frequency
 * fftfreq(n)·n/size·scale is fftfreq(n)·scale):
 * <pre>
 *   c[k]  = (a[k] + i·b[k]) · w(k),        a, b ~ N(0, 1) independent for every frequency cell k
 *   κ²(k) = scale²·(fy² + fx²),            fy, fx = fftfreq(ny), fftfreq(nx)
 *   w(k)  = (1/κ²)^smoothness  if κ² &gt; 0.1,  else 0   (no mean, no lowest modes)
 *   u     = Re(ifft2(c));   u ← u / std(u);   u ← u − mean(u)        (std with ddof 0, over the field)
 * </pre>
 * so every field has mean 0 and standard deviation 1. PhiFlow casts the result to its default float (32-bit
 * unless a precision scope says otherwise); we keep FLOAT64, the physics' type. Draw order (ours, not PhiFlow's
 * random stream): examples one after another, and per example a then b for all cells in row-major order, each
 * from {@link Tensor#randn}.
 */
public final class Noise {
    /** PhiFlow's default {@code scale}: the size of the fluctuations in cells. */
    public static final double SCALE = 10;
    /** PhiFlow's default {@code smoothness}: how fast high frequencies die out. */
    public static final double SMOOTHNESS = 1;
    private static final double LOWEST_FREQUENCY = 0.1;

    private Noise() {
    }

    /**
     * A (batch, ny, nx) FLOAT64 tensor of noise fields with PhiFlow's defaults (scale 10, smoothness 1).
     *
     * @param batch number of fields, ≥ 1
     * @param ny grid rows, ≥ 1
     * @param nx grid columns, ≥ 1
     * @param random advanced by 2·ny·nx normal draws per field
     * @return fields with mean 0 and standard deviation 1 each
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Tensor sample(int batch, int ny, int nx, SplittableRandom random) {
        return sample(batch, ny, nx, SCALE, SMOOTHNESS, random);
    }

    /**
     * A (batch, ny, nx) FLOAT64 tensor of noise fields, as in the class comment.
     *
     * @param batch number of fields, ≥ 1
     * @param ny grid rows, ≥ 1
     * @param nx grid columns, ≥ 1
     * @param scale the size of the fluctuations, in cells
     * @param smoothness the exponent of the spectral decay
     * @param random advanced by 2·ny·nx normal draws per field
     * @return fields with mean 0 and standard deviation 1 each
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Tensor sample(int batch, int ny, int nx, double scale, double smoothness,
                                SplittableRandom random) {
        if (batch < 1 || ny < 1 || nx < 1) {
            throw new IllegalArgumentException("Noise.sample: batch, ny and nx must be positive, got batch=" + batch
                    + " ny=" + ny + " nx=" + nx);
        }
        int n = ny * nx;
        double[] weight = weights(ny, nx, scale, smoothness);
        double[] out = new double[batch * n];
        Fft2 fft = new Fft2(ny, nx);
        for (int e = 0; e < batch; e++) {
            double[] re = Tensor.randn(random, n).toDoubleArray();
            double[] im = Tensor.randn(random, n).toDoubleArray();
            double[] c = new double[2 * n];
            for (int k = 0; k < n; k++) {
                c[2 * k] = re[k] * weight[k];
                c[2 * k + 1] = im[k] * weight[k];
            }
            fft.inverseReal(c, out, e * n);
            normalize(out, e * n, n);
        }
        return Tensor.wrap(Shape.of(batch, ny, nx), out);
    }

    /**
     * Advances {@code random} exactly as {@link #sample} with this batch and grid would, without the FFTs (to reach
     * a later batch of a seeded stream quickly).
     *
     * @param batch number of fields skipped
     * @param ny grid rows
     * @param nx grid columns
     * @param random the stream to advance
     */
    public static void skip(int batch, int ny, int nx, SplittableRandom random) {
        for (int e = 0; e < 2 * batch; e++) {
            Tensor.randn(random, ny * nx);
        }
    }

    /** w(k) = (1/κ²)^smoothness where κ² = scale²·|f|² exceeds 0.1, else 0. */
    static double[] weights(int ny, int nx, double scale, double smoothness) {
        double[] k2 = Frequencies.kSquared(ny, nx);
        double[] w = new double[k2.length];
        for (int k = 0; k < k2.length; k++) {
            double kappa2 = scale * scale * k2[k];
            w[k] = kappa2 > LOWEST_FREQUENCY ? StrictMath.pow(1 / kappa2, smoothness) : 0;
        }
        return w;
    }

    /** u ← u/std(u), then u ← u − mean(u), in this order as in PhiFlow (the order does not change the result). */
    private static void normalize(double[] u, int offset, int n) {
        double mean = 0;
        for (int k = offset; k < offset + n; k++) {
            mean += u[k];
        }
        mean /= n;
        double var = 0;
        for (int k = offset; k < offset + n; k++) {
            var += (u[k] - mean) * (u[k] - mean);
        }
        double std = Math.sqrt(var / n);
        for (int k = offset; k < offset + n; k++) {
            u[k] = (u[k] - mean) / std;
        }
    }
}
