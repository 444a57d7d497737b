package io.sipflow.physics;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Threads;

import java.util.Arrays;

/**
 * Inverse heat diffusion with probabilistic damping: the seed notebook's {@code inv_diffuse} and
 * {@code apply_damping}, formula for formula, in FLOAT64.
 *
 * <p>Undoing diffusion multiplies frequency k by exp(+4π²|k|²·amount), which explodes noise at high |k|. The seed
 * therefore asks, per frequency, whether the residual's amplitude there is more likely signal or noise, and
 * applies the inverse kernel only to the power {@code action} ∈ [−1, 1] that this probability gives.
 * The result is not differentiated: SIP applies it to a stop-gradient value, so every output is a constant.
 */
public final class InverseDiffuse {
    /** floor(ln(FLOAT32 max)) = floor(88.72) = 88: the seed clamps the raw kernel's log here. */
    public static final double LOG_FLOAT32_MAX = Math.floor(StrictMath.log(Float.MAX_VALUE));
    /** Prior probability that a frequency carries signal. */
    public static final double SIGNAL_PRIOR = 0.5;

    private InverseDiffuse() {
    }

    /**
     * What {@link #fourier} returns: the correction and the seed's diagnostics.
     *
     * @param correction        Re(ifft2(fft2(r)·kernel)), shape of the residual
     * @param uncertainty       per field √(Σ_k (f_uncertainty·kernel)²) / nx, shape of the leading (batch) axes
     * @param amplitude         |fft2(r)|, shape of the residual
     * @param rawKernel         exp(min(log_kernel, 88)), the undamped inverse kernel, shape (ny, nx)
     * @param kernel            exp(log_kernel·action), the damped kernel applied, shape of the residual
     * @param signalProbability p(signal | amplitude), shape of the residual
     */
    public record Result(Tensor correction, Tensor uncertainty, Tensor amplitude, Tensor rawKernel, Tensor kernel,
                         Tensor signalProbability) {
    }

    /**
     * Inverts {@link Diffuse#fourier}(·, amount, 1) on every (y, x) field of {@code residual}, damped by the
     * per-cell {@code uncertainty} (same shape). With N = nx (the seed's {@code shape.get_size('x')}):
     * <pre>
     *   f_uncertainty = √(Σ_cells uncertainty²)                     per field (all frequencies get equal noise)
     *   log_kernel    = 4π²·|k|²·amount                             (= fft_laplace · −amount)
     *   raw_kernel    = exp(min(log_kernel, 88))
     *   amp           = fft2(residual)
     *   expected_amp  = N · exp(−log_kernel)
     *   signal        = exp(−½(|amp| / expected_amp)²) · 0.5        non-finite → 0
     *   noise         = exp(−½(|amp| / f_uncertainty)²) · 0.5
     *   p             = signal / (signal + noise)                   0 where the denominator is 0
     *   action        = 2(p − 0.5) if p ≤ 0.5 or p ≥ 0.68, else 0
     *   kernel        = exp(log_kernel · action)                    (not clamped, as in the seed)
     *   correction    = Re(ifft2(amp · kernel))
     * </pre>
     *
     * @param residual y* − y, fields (…, ny, nx)
     * @param amount κ·t of the diffusion to undo, in cells²
     * @param uncertainty the per-cell noise level, of residual's shape
     * @return the correction and the diagnostics, all FLOAT64 constants
     * @throws IllegalArgumentException if residual has rank below 2 or uncertainty's shape differs
     */
    public static Result fourier(Tensor residual, double amount, Tensor uncertainty) {
        return invert("InverseDiffuse.fourier", residual, amount, uncertainty, true);
    }

    /**
     * {@link #fourier}'s correction alone, the same bits: what a SIP target needs, without the diagnostics (three
     * more arrays of the residual's size each call). The array comes from {@link BufferPool}, so a caller that
     * is done with it may give it back ({@link BufferPool#recycleTemporary}).
     *
     * @param residual y* − y, fields (…, ny, nx)
     * @param amount κ·t of the diffusion to undo, in cells²
     * @param uncertainty the per-cell noise level, of residual's shape
     * @return Re(ifft2(fft2(residual)·kernel)), a FLOAT64 constant of residual's shape
     * @throws IllegalArgumentException if residual has rank below 2 or uncertainty's shape differs
     */
    public static Tensor correction(Tensor residual, double amount, Tensor uncertainty) {
        return invert("InverseDiffuse.correction", residual, amount, uncertainty, false).correction();
    }

    /** Both: with {@code diagnostics} false the amplitude, kernel and probability are not stored (null in the result). */
    private static Result invert(String op, Tensor residual, double amount, Tensor uncertainty, boolean diagnostics) {
        int fields = Fft2.fieldCount(op, residual);
        if (!residual.shape().equals(uncertainty.shape())) {
            throw new IllegalArgumentException(op + ": uncertainty shape " + uncertainty.shape()
                    + " differs from residual shape " + residual.shape());
        }
        int ny = residual.dim(-2);
        int nx = residual.dim(-1);
        int n = ny * nx;
        double[] r = residual.to(DType.FLOAT64).constant().doubleData();
        double[] unc = uncertainty.to(DType.FLOAT64).constant().doubleData();
        double[] logKernel = Frequencies.kSquared(ny, nx);
        double[] raw = new double[n];
        double[] expectedAmplitude = new double[n]; // the same for every field: computed once, not per field
        // exp(−log_kernel): the kernel where p = 0 (action −1, log_kernel·−1 = −log_kernel exactly), which most high
        // frequencies have (their amplitude is far above the tiny expected one): one exp per frequency, not per field
        double[] blurKernel = new double[n];
        for (int i = 0; i < n; i++) {
            logKernel[i] *= 4 * Math.PI * Math.PI * amount;
            raw[i] = StrictMath.exp(Math.min(logKernel[i], LOG_FLOAT32_MAX));
            blurKernel[i] = StrictMath.exp(-logKernel[i]);
            expectedAmplitude[i] = nx * blurKernel[i];
        }
        double[] out = BufferPool.doubles(r.length); // every element written by inverseReal
        double[] amplitude = diagnostics ? new double[r.length] : null;
        double[] kernel = diagnostics ? new double[r.length] : null;
        double[] probability = diagnostics ? new double[r.length] : null;
        double[] outUncertainty = new double[fields];
        Threads.forChunks(fields, 4, (chunk, lo, hi) -> {
            Fft2 fft = Fft2.forThisThread(ny, nx);
            double[] c = fft.spectrumScratch();
            for (int b = lo; b < hi; b++) {
                int o = b * n;
                double fUncertainty = rootSumSquares(unc, o, n);
                fft.forward(r, o, c);
                double sumSq = 0;
                for (int i = 0; i < n; i++) {
                    double amp = Math.sqrt(c[2 * i] * c[2 * i] + c[2 * i + 1] * c[2 * i + 1]);
                    double p = signalProbability(amp, expectedAmplitude[i], fUncertainty);
                    double action = action(p);
                    double k = action == -1.0 ? blurKernel[i] : StrictMath.exp(logKernel[i] * action);
                    c[2 * i] *= k;
                    c[2 * i + 1] *= k;
                    if (diagnostics) {
                        amplitude[o + i] = amp;
                        kernel[o + i] = k;
                        probability[o + i] = p;
                    }
                    sumSq += (fUncertainty * k) * (fUncertainty * k);
                }
                fft.inverseReal(c, out, o);
                outUncertainty[b] = Math.sqrt(sumSq) / nx;
            }
        });
        Shape shape = residual.shape();
        int[] batchDims = Arrays.copyOf(shape.dims(), shape.rank() - 2);
        Tensor correction = Tensor.wrap(shape, out);
        Tensor fieldUncertainty = Tensor.wrap(Shape.of(batchDims), outUncertainty);
        if (!diagnostics) {
            return new Result(correction, fieldUncertainty, null, null, null, null);
        }
        return new Result(correction, fieldUncertainty, Tensor.wrap(shape, amplitude), Tensor.wrap(Shape.of(ny, nx), raw),
                Tensor.wrap(shape, kernel), Tensor.wrap(shape, probability));
    }

    /** The seed's probability_signal: signal vs noise likelihood of one amplitude, with NaN-to-zero and divide-no-nan. */
    static double signalProbability(double amp, double expectedAmp, double fUncertainty) {
        double signal = expOrZero(-0.5 * square(amp / expectedAmp)) * SIGNAL_PRIOR;
        if (!Double.isFinite(signal)) {
            signal = 0;
        }
        double noise = expOrZero(-0.5 * square(amp / fUncertainty)) * (1 - SIGNAL_PRIOR);
        double denominator = signal + noise;
        return denominator == 0 ? 0 : signal / denominator;
    }

    /**
     * {@code StrictMath.exp(x)}, without the call where its result is +0: StrictMath is fdlibm's exp, which returns
     * +0 for every x below its underflow threshold −745.1332…, so x &lt; −745.2 gives +0 here (NaN still goes to
     * exp). High frequencies put most amplitudes of a field there.
     */
    static double expOrZero(double x) {
        return x < -745.2 ? 0.0 : StrictMath.exp(x);
    }

    /** The seed's action band: invert (or blur, for p < 0.5) by 2(p − 0.5), but leave 0.5 < p < 0.68 alone. */
    static double action(double p) {
        return (p <= 0.5 || p >= 0.68) ? 2 * (p - 0.5) : 0;
    }

    private static double rootSumSquares(double[] a, int offset, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[offset + i] * a[offset + i];
        }
        return Math.sqrt(s);
    }

    private static double square(double v) {
        return v * v;
    }
}
