package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
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
 * The Vector API GEMM equals the scalar reference loop of {@link CpuBackend#scalar()} on random shapes (odd sizes
 * exercise the row and column tails). Tolerance relative to Σ_p |a_ip·b_pj| (the reference product of |a| and
 * |b|): 1e-5 for FLOAT32 (float accumulation against double), 1e-13 for FLOAT64 (K·2⁻⁵³ with K ≤ 70).
 */
class FastGemmEquivalenceProperties {
    @Property(tries = 150)
    void matmulMatchesReference(@ForAll @IntRange(min = 1, max = 3) int batch, @ForAll @IntRange(min = 1, max = 37) int m,
                                @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(min = 1, max = 70) int n,
                                @ForAll boolean single, @ForAll @LongRange long seed) {
        DType dtype = single ? DType.FLOAT32 : DType.FLOAT64;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = random(rng, dtype, batch, m, k);
        Tensor b = random(rng, dtype, batch, k, n);
        Tensor got = CpuBackend.instance().matmul(a, b);
        Tensor want = CpuBackend.scalar().matmul(a, b);
        Tensor bound = CpuBackend.scalar().matmul(a.abs().to(DType.FLOAT64), b.abs().to(DType.FLOAT64));
        assertEquals(dtype, got.dtype(), "matmul result type");
        assertEquals(want.shape(), got.shape(), "matmul result shape");
        double rel = single ? 1e-5 : 1e-13;
        for (int i = 0; i < want.size(); i++) {
            double err = Math.abs(got.getFlat(i) - want.getFlat(i));
            if (!(err <= rel * bound.getFlat(i) + 1e-300)) {
                fail("matmul " + a.shape() + " x " + b.shape() + " " + dtype + ": element " + i + " fast=" + got.getFlat(i)
                        + " reference=" + want.getFlat(i) + " > " + rel + "·Σ|terms| (seed " + seed + ")");
            }
        }
    }

    static Tensor random(SplittableRandom rng, DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextDouble() * 2 - 1;
        }
        return Tensor.of(dtype, s, v);
    }
}
