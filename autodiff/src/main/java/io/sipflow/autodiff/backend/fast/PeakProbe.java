package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A short measurement of this machine's FLOAT32 multiply-add peak through the Vector API: every thread of
 * {@link Parallel} runs 12 independent FMA chains on the preferred species (enough to cover the FMA latency of
 * two pipes; 12 accumulators and 2 operands fit the 16 registers of AVX2). The best of a few rounds, in GFLOP/s,
 * counting an FMA as 2 flops per lane. What the kernels can reach at most, as measured, not as specified.
 */
final class PeakProbe {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int ITERATIONS = 1 << 21;

    private PeakProbe() {
    }

    static double gflops() {
        int threads = Parallel.threads();
        double best = 0;
        float[] sink = new float[threads];
        for (int round = 0; round < 20; round++) { // best of many short rounds: some run undisturbed
            long t = System.nanoTime();
            Parallel.forRange(threads, 1, (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    sink[i] = chains(ITERATIONS, 1f + i * 1e-9f);
                }
            });
            double seconds = (System.nanoTime() - t) / 1e9;
            best = Math.max(best, 2.0 * 12 * S.length() * ITERATIONS * threads / seconds / 1e9);
        }
        return sink[0] == 12345f ? -best : best; // read the sink: the chains cannot be dropped as dead code
    }

    /** 12 chains a ← a·m + c, n times; m slightly below 1 keeps the values finite. */
    private static float chains(int n, float seed) {
        FloatVector m = FloatVector.broadcast(S, 0.999999f);
        FloatVector c = FloatVector.broadcast(S, 1e-6f);
        FloatVector a0 = FloatVector.broadcast(S, seed), a1 = a0.add(1f), a2 = a0.add(2f), a3 = a0.add(3f);
        FloatVector a4 = a0.add(4f), a5 = a0.add(5f), a6 = a0.add(6f), a7 = a0.add(7f);
        FloatVector a8 = a0.add(8f), a9 = a0.add(9f), a10 = a0.add(10f), a11 = a0.add(11f);
        for (int i = 0; i < n; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
