package io.sipflow.autodiff;

import io.sipflow.autodiff.backend.Parallel;

/**
 * The worker threads the CPU kernels share, and their parallel-for for code that runs beside the ops on plain
 * arrays (the FFT physics). Work is cut into chunks whose boundaries depend only on the problem size and grain,
 * never on the thread count, so code that writes per-chunk results gives the same bits at any thread count.
 */
public final class Threads {
    private Threads() {
    }

    /** A loop body over chunk number {@code chunk}, covering indices [lo, hi). */
    @FunctionalInterface
    public interface ChunkBody {
        /**
         * Runs the body over one chunk.
         *
         * @param chunk the chunk's number, from 0
         * @param lo first index of the chunk
         * @param hi one past its last index
         */
        void run(int chunk, int lo, int hi);
    }

    /** {@return the number of worker threads (the available processors unless {@link #set} changed it)} */
    public static int count() {
        return Parallel.threads();
    }

    /**
     * Sets the number of worker threads (1 runs everything on the calling thread); results stay the same bits.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void set(int n) {
        Parallel.setThreads(n);
    }

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code grain} indices, in parallel when it can; returns
     * when all chunks have run.
     *
     * @param n the number of indices
     * @param grain the smallest chunk worth a task
     * @param body called once per chunk with disjoint ranges
     */
    public static void forChunks(int n, int grain, ChunkBody body) {
        Parallel.forChunks(n, grain, body::run);
    }
}
