package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link NormOps#batchNorm2d} in FLOAT32 (CpuBackend's float kernels) against FLOAT64 (the reference double
 * loops, checked against PyTorch and finite differences) on the same values: FLOAT32 x, γ, β, g and their exact FLOAT64 casts.
 * Tolerance for every output y, gx, gγ, gβ: 2 float ulps of the FLOAT64 value (the float path rounds once) plus
 * 1e-9 of the largest magnitude in that tensor (double sums taken in another order). Batch mean and variance, double
 * in both paths, agree within 1e-12 relative to their magnitude.
 */
class NormOpsFloat32Properties {
    @Property(tries = 60)
    void float32PathMatchesFloat64Path(@ForAll @IntRange(min = 1, max = 4) int n,
                                       @ForAll @IntRange(min = 1, max = 5) int c,
                                       @ForAll @IntRange(min = 1, max = 9) int h,
                                       @ForAll @IntRange(min = 1, max = 9) int w,
                                       @ForAll @LongRange long seed) {
        if (n * h * w < 2) {
            return; // training-mode batch norm rejects a single value per channel
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double offset = rng.nextDouble() * 6 - 3; // an off-centre mean exercises the centring
        Tensor x = random(rng, offset, 2, n, c, h, w).variable();
        Tensor gamma = random(rng, 1, 0.5, c).variable();
        Tensor beta = random(rng, 0, 1, c).variable();
        Tensor g = random(rng, 0, 1, n, c, h, w);
        Tensor x64 = cast64(x);
        Tensor gamma64 = cast64(gamma);
        Tensor beta64 = cast64(beta);

        NormOps.BatchNormResult r32 = NormOps.batchNorm2d(x, gamma, beta, 1e-5, NormOps.Fused.NONE);
        NormOps.BatchNormResult r64 = NormOps.batchNorm2d(x64, gamma64, beta64, 1e-5, NormOps.Fused.NONE);
        assertEquals(DType.FLOAT32, r32.output().dtype(), "FLOAT32 inputs give a FLOAT32 output");
        assertEquals(DType.FLOAT64, r64.output().dtype(), "FLOAT64 inputs give a FLOAT64 output");
        Gradients g32 = Autodiff.grad(r32.output().mul(g).sum(), x, gamma, beta);
        Gradients g64 = Autodiff.grad(r64.output().mul(g.to(DType.FLOAT64)).sum(), x64, gamma64, beta64);

        String where = " (n=" + n + ", c=" + c + ", h=" + h + ", w=" + w + ", seed " + seed + ")";
        close("y", r32.output(), r64.output(), where);
        close("gx", g32.get(x), g64.get(x64), where);
        close("gGamma", g32.get(gamma), g64.get(gamma64), where);
        close("gBeta", g32.get(beta), g64.get(beta64), where);
        assertEquals(DType.FLOAT64, r32.mean().dtype(), "batch statistics are FLOAT64");
        double[] mean32 = r32.mean().toDoubleArray();
        double[] mean64 = r64.mean().toDoubleArray();
        double[] var32 = r32.variance().toDoubleArray();
        double[] var64 = r64.variance().toDoubleArray();
        for (int ch = 0; ch < c; ch++) {
            double meanScale = Math.abs(offset) + 4;
            assertEquals(mean64[ch], mean32[ch], 1e-12 * meanScale, "mean[" + ch + "]" + where);
            assertEquals(var64[ch], var32[ch], 1e-12 * (var64[ch] + meanScale * meanScale),
                    "variance[" + ch + "]" + where);
        }
    }

    private static void close(String what, Tensor got, Tensor want, String where) {
        assertEquals(DType.FLOAT32, got.dtype(), what + " dtype" + where);
        float[] f = got.floatData();
        double[] d = want.toDoubleArray();
        double largest = 0;
        for (double v : d) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < d.length; i++) {
            double tol = 2 * Math.ulp((float) Math.abs(d[i])) + 1e-9 * largest;
            if (!(Math.abs(f[i] - d[i]) <= tol)) {
                fail(what + "[" + i + "]: FLOAT32 path " + f[i] + ", FLOAT64 path " + d[i] + ", |diff| "
                        + Math.abs(f[i] - d[i]) + " > " + tol + where);
            }
        }
    }

    /** FLOAT32 values centre ± spread (uniform). */
    private static Tensor random(SplittableRandom rng, double centre, double spread, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = centre + spread * (rng.nextDouble() * 2 - 1);
        }
        return Tensor.of(DType.FLOAT32, s, v);
    }

    private static Tensor cast64(Tensor t) {
        return Tensor.of(DType.FLOAT64, t.shape(), t.toDoubleArray()).variable();
    }
}
