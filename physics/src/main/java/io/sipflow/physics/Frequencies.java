package io.sipflow.physics;

/** Sample frequencies of a periodic grid with cell size 1, as NumPy's {@code fftfreq}. */
public final class Frequencies {
    private Frequencies() {
    }

    /**
     * fftfreq(n, d=1): [0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1] / n.
     *
     * @param n the number of samples
     * @return n frequencies in cycles per cell
     */
    public static double[] fftfreq(int n) {
        double[] f = new double[n];
        for (int i = 0; i < n; i++) {
            f[i] = (i < (n + 1) / 2 ? i : i - n) / (double) n;
        }
        return f;
    }

    /**
     * |k|² = fy² + fx² on the (ny, nx) frequency grid, row-major.
     *
     * @param ny rows of the grid
     * @param nx columns of the grid
     * @return ny·nx squared frequencies, in cycles² per cell²
     */
    public static double[] kSquared(int ny, int nx) {
        double[] fy = fftfreq(ny);
        double[] fx = fftfreq(nx);
        double[] k2 = new double[ny * nx];
        for (int i = 0; i < ny; i++) {
            for (int j = 0; j < nx; j++) {
                k2[i * nx + j] = fy[i] * fy[i] + fx[j] * fx[j];
            }
        }
        return k2;
    }
}
