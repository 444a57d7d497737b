package io.sipflow.physics;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The damped inverse diffusion: it undoes D on clean low frequencies and never amplifies noise beyond reason. */
class InverseDiffuseProperties {

    /** x = a few low modes (|k index| ≤ 2) of amplitude ≤ 1; y = D(x, 8); P⁻¹(y) with the SIP's uncertainty gives x. */
    @Property(tries = 30)
    void recoversANoiselessDiffusedLowFrequencyField(@ForAll long seed, @ForAll @IntRange(min = 16, max = 40) int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[n * n];
        for (int m = 0; m < 3; m++) {
            int my = rng.nextInt(-2, 3);
            int mx = rng.nextInt(-2, 3);
            double a = rng.nextDouble(-1, 1);
            double phase = rng.nextDouble(0, 2 * Math.PI);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    x[i * n + j] += a * Math.cos(2 * Math.PI * (my * i + mx * j) / (double) n + phase);
                }
            }
        }
        Tensor field = Tensor.of(Shape.of(1, n, n), x);
        Tensor y = Diffuse.fourier(field, 8, 1);
        InverseDiffuse.Result r = InverseDiffuse.fourier(y, 8, y.abs().mul(1e-6));
        DiffuseProperties.assertClose(field, r.correction(), 1e-6, "seed " + seed + ", n " + n);
    }

    @Property(tries = 20)
    void diagnosticsHaveTheDocumentedShapesAndRanges(@ForAll long seed,
                                                     @ForAll @DoubleRange(min = 0.1, max = 20) double amount) {
        Tensor r = Tensor.randn(new SplittableRandom(seed), 3, 8, 12);
        InverseDiffuse.Result res = InverseDiffuse.fourier(r, amount, r.abs().mul(1e-3));
        assertEquals(Shape.of(3, 8, 12), res.correction().shape());
        assertEquals(Shape.of(3), res.uncertainty().shape());
        assertEquals(Shape.of(8, 12), res.rawKernel().shape());
        for (int i = 0; i < res.kernel().size(); i++) {
            double p = res.signalProbability().getFlat(i);
            assertTrue(p >= 0 && p <= 1, "probability " + p);
            assertTrue(res.kernel().getFlat(i) > 0);
            double raw = res.rawKernel().getFlat(i % 96);
            if (raw < Math.exp(88)) { // below the clamp, action ≤ 1 keeps the damped kernel under the raw one
                assertTrue(res.kernel().getFlat(i) <= raw * (1 + 1e-12), "kernel above raw kernel at " + i);
            }
        }
        assertEquals(1.0, res.rawKernel().getFlat(0), 0, "k = 0 is never amplified");
    }

    @Test
    void rawKernelIsClampedAtLogFloat32Max() {
        assertEquals(88.0, InverseDiffuse.LOG_FLOAT32_MAX, 0);
        Tensor r = Tensor.randn(new SplittableRandom(1), 16, 16);
        InverseDiffuse.Result res = InverseDiffuse.fourier(r, 1000, r.abs());
        double maxRaw = 0;
        for (int i = 0; i < res.rawKernel().size(); i++) {
            maxRaw = Math.max(maxRaw, res.rawKernel().getFlat(i));
        }
        assertEquals(Math.exp(88), maxRaw, Math.exp(88) * 1e-12);
    }

    @Test
    void signalProbabilityGoldens() {
        // equal likelihoods → 0.5; tiny amplitude vs tiny noise → noise wins (p < 0.5); NaN signal counts as 0.
        assertEquals(0.5, InverseDiffuse.signalProbability(0, 1, 1), 1e-15);
        double p = InverseDiffuse.signalProbability(1, 1, 0.5);
        double s = Math.exp(-0.5), q = Math.exp(-2);
        assertEquals(s / (s + q), p, 1e-15);
        assertEquals(0, InverseDiffuse.signalProbability(0, 0, 1), 0, "0/0 signal is NaN → 0");
        assertEquals(0, InverseDiffuse.signalProbability(1e300, 1e-300, 1e-300), 0, "both underflow → divide_no_nan");
    }

    @Test
    void actionBandLeavesTheMiddleAlone() {
        assertEquals(-1, InverseDiffuse.action(0), 0);
        assertEquals(0, InverseDiffuse.action(0.5), 0);
        assertEquals(0, InverseDiffuse.action(0.6), 0);
        assertEquals(0.36, InverseDiffuse.action(0.68), 1e-12);
        assertEquals(1, InverseDiffuse.action(1), 0);
    }

    @Test
    void mismatchedUncertaintyShapeIsNamed() {
        Tensor r = Tensor.zeros(2, 4, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InverseDiffuse.fourier(r, 8, Tensor.zeros(4, 4)));
        assertTrue(e.getMessage().contains("(4, 4)") && e.getMessage().contains("(2, 4, 4)"), e.getMessage());
    }

    /** expOrZero skips only calls whose result is +0: it equals StrictMath.exp bit for bit around the threshold. */
    @Property(tries = 400)
    void expOrZeroIsStrictMathExp(@ForAll @DoubleRange(min = -760, max = -730) double x) {
        assertEquals(Double.doubleToRawLongBits(StrictMath.exp(x)), Double.doubleToRawLongBits(InverseDiffuse.expOrZero(x)),
                "x = " + x);
        for (double y : new double[] {-745.2, Math.nextDown(-745.2), -745.1332191019412, -1e308,
            Double.NEGATIVE_INFINITY, Double.NaN, 0, -1}) {
            assertEquals(Double.doubleToRawLongBits(StrictMath.exp(y)),
                    Double.doubleToRawLongBits(InverseDiffuse.expOrZero(y)), "x = " + y);
        }
    }

    /**
     * Every applied kernel value is the seed's exp(log_kernel·action(p)) bit for bit, StrictMath.exp called on that
     * product: also where p = 0, whose exp(−log_kernel) the loop takes from a per-frequency table instead of calling
     * exp per field. Both kinds of frequency occur (else the check could not fail).
     */
    @Property(tries = 10)
    void kernelIsTheSeedFormulaBitForBit(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 12) double amount) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor r = Tensor.randn(rng, 3, 24, 40);
        Tensor unc = r.abs().mul(rng.nextBoolean() ? 1e-6 : 1e-2);
        InverseDiffuse.Result full = InverseDiffuse.fourier(r, amount, unc);
        double[] logKernel = Frequencies.kSquared(24, 40);
        double[] p = full.signalProbability().toDoubleArray();
        double[] kernel = full.kernel().toDoubleArray();
        int blurred = 0;
        for (int e = 0; e < p.length; e++) {
            double log = logKernel[e % logKernel.length] * (4 * Math.PI * Math.PI * amount);
            double action = InverseDiffuse.action(p[e]);
            blurred += action == -1.0 ? 1 : 0;
            assertEquals(Double.doubleToRawLongBits(StrictMath.exp(log * action)),
                    Double.doubleToRawLongBits(kernel[e]), "kernel element " + e + " (p = " + p[e] + ")");
        }
        assertTrue(blurred > 0 && blurred < p.length, blurred + " of " + p.length + " frequencies at p = 0");
    }

    /** The correction alone is fourier's correction, bit for bit, and the diagnostics are still there on demand. */
    @Property(tries = 10)
    void correctionAloneIsTheSameBits(@ForAll long seed, @ForAll @DoubleRange(min = 0.1, max = 20) double amount) {
        Tensor r = Tensor.randn(new SplittableRandom(seed), 3, 32, 48);
        Tensor unc = r.abs().mul(1e-3);
        InverseDiffuse.Result full = InverseDiffuse.fourier(r, amount, unc);
        double[] alone = InverseDiffuse.correction(r, amount, unc).toDoubleArray();
        double[] withDiagnostics = full.correction().toDoubleArray();
        for (int i = 0; i < alone.length; i++) {
            assertEquals(Double.doubleToRawLongBits(withDiagnostics[i]), Double.doubleToRawLongBits(alone[i]),
                    "element " + i);
        }
        assertEquals(r.size(), full.amplitude().size());
        assertEquals(r.size(), full.signalProbability().size());
    }
}
