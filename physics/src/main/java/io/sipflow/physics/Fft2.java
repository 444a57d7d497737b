package io.sipflow.physics;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Threads;
import org.jtransforms.fft.DoubleFFT_2D;
import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * Batched 2-D FFTs over the last two axes of a field, through JTransforms' {@link DoubleFFT_2D}.
 *
 * <p>Spectra are interleaved complex arrays (re, im) per example, row-major over (ky, kx), with the unnormalised
 * forward transform X[k] = Σ x[n]·e^{−2πi k·n/N} of NumPy's {@code fft2}; {@link #inverseReal} divides by ny·nx.
 * Examples are spread over {@link io.sipflow.autodiff.Threads}'s threads; JTransforms' own threading is
 * switched off so the two do not compete for the same cores.
 */
public final class Fft2 {
    static {
        ConcurrencyUtils.setNumberOfThreads(1);
    }

    /** Each thread's last transform: its plan tables and spectrum array serve every later call on that grid. */
    private static final ThreadLocal<Fft2> LAST = new ThreadLocal<>();

    private final int ny;
    private final int nx;
    private final DoubleFFT_2D fft;
    private double[] spectrum;

    /**
     * A transform for (ny, nx) grids; not thread-safe, make one per thread.
     *
     * @param ny rows of the grid
     * @param nx columns of the grid
     */
    public Fft2(int ny, int nx) {
        this.ny = ny;
        this.nx = nx;
        this.fft = new DoubleFFT_2D(ny, nx);
    }

    /**
     * This thread's transform for (ny, nx) grids, made once and kept until the thread asks for another grid: a
     * loop over fields reuses its tables instead of building them per call. Only for use on this thread, and not
     * across a call that may itself transform (the spectrum array is shared).
     */
    static Fft2 forThisThread(int ny, int nx) {
        Fft2 f = LAST.get();
        if (f == null || f.ny != ny || f.nx != nx) {
            f = new Fft2(ny, nx);
            LAST.set(f);
        }
        return f;
    }

    /** A 2·ny·nx work array for {@link #forward(double[], int, double[])}, kept with this transform. */
    double[] spectrumScratch() {
        if (spectrum == null) {
            spectrum = new double[2 * ny * nx];
        }
        return spectrum;
    }

    /**
     * Spectrum of the real field {@code real[offset … offset + ny·nx)} as a new interleaved complex array.
     *
     * @param real holds the field, row-major
     * @param offset index of the field's first value
     * @return 2·ny·nx doubles (re, im) over (ky, kx), unnormalised as NumPy's {@code fft2}
     */
    public double[] forward(double[] real, int offset) {
        return forward(real, offset, new double[2 * ny * nx]);
    }

    /**
     * As {@link #forward(double[], int)}, into {@code spectrum} (every element written: a loop over many fields
     * reuses one array).
     *
     * @param real holds the field, row-major
     * @param offset index of the field's first value
     * @param spectrum 2·ny·nx doubles, overwritten with the spectrum
     * @return {@code spectrum}
     */
    public double[] forward(double[] real, int offset, double[] spectrum) {
        int n = ny * nx;
        for (int i = 0; i < n; i++) {
            spectrum[2 * i] = real[offset + i];
            spectrum[2 * i + 1] = 0;
        }
        fft.complexForward(spectrum);
        return spectrum;
    }

    /**
     * Re(ifft2(spectrum)) written into {@code out[offset …]}; {@code spectrum} is overwritten.
     *
     * @param spectrum 2·ny·nx interleaved doubles, overwritten with the complex inverse
     * @param out receives ny·nx real values
     * @param offset index in {@code out} of the first value written
     */
    public void inverseReal(double[] spectrum, double[] out, int offset) {
        fft.complexInverse(spectrum, true);
        int n = ny * nx;
        for (int i = 0; i < n; i++) {
            out[offset + i] = spectrum[2 * i];
        }
    }

    /**
     * Re(ifft2(fft2(u)·kernel)) for every (ny, nx) field of {@code u} (FLOAT64), with a real kernel over (ky, kx).
     * Returns an untracked FLOAT64 tensor of u's shape, its array from {@link BufferPool} (every element written).
     */
    static Tensor filter(Tensor u, double[] kernel) {
        int ny = u.dim(-2);
        int nx = u.dim(-1);
        int n = ny * nx;
        double[] in = u.doubleData();
        double[] out = BufferPool.doubles(u.size());
        Threads.forChunks(u.size() / n, 4, (chunk, lo, hi) -> {
            Fft2 f = forThisThread(ny, nx);
            double[] c = f.spectrumScratch();
            for (int b = lo; b < hi; b++) {
                f.forward(in, b * n, c);
                for (int i = 0; i < n; i++) {
                    c[2 * i] *= kernel[i];
                    c[2 * i + 1] *= kernel[i];
                }
                f.inverseReal(c, out, b * n);
            }
        });
        return Tensor.wrap(u.shape(), out);
    }

    /** Number of (ny, nx) fields in a tensor whose last two axes are (ny, nx). */
    static int fieldCount(String op, Tensor t) {
        Shape s = t.shape();
        if (s.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a field with axes (…, y, x), got shape " + s);
        }
        return s.size() / (s.dim(-2) * s.dim(-1));
    }
}
