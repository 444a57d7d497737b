package io.sipflow.autodiff.backend;

import java.util.concurrent.atomic.LongAdder;

/**
 * Splits index ranges over a fixed pool of worker threads (a {@link WorkerPool}: the calling thread works too). Work is divided into chunks whose boundaries depend
 * only on the problem size and grain, never on the thread count, so kernels that combine per-chunk partial results
 * in chunk order are bit-identical at any thread count.
 */
public final class Parallel {
    private static volatile WorkerPool pool = new WorkerPool(Runtime.getRuntime().availableProcessors());
    private static final LongAdder SPLITS = KernelCounts.counter("parallel split over threads");
    /**
     * Element operations a chunk needs before it is handed to another thread: a hand-off (claiming chunks from a shared
     * counter, moving the data to the other core's cache) costs about as much as this much plain work, more on a busy machine.
     */
    public static final long MIN_TASK_WORK = 1 << 15;

    private Parallel() {
    }

    /** {@return the pool loops run on now (for tests)} */
    static WorkerPool pool() {
        return pool;
    }

    /** A loop body over [lo, hi). */
    @FunctionalInterface
    public interface RangeBody {
        /**
         * Runs the loop over one range.
         *
         * @param lo first index
         * @param hi one past the last index
         */
        void run(int lo, int hi);
    }

    /**
     * {@return the number of worker threads kernels use (the available processors unless {@link #setThreads} changed
     * it)}
     */
    public static int threads() {
        return pool.size();
    }

    /**
     * Sets the number of worker threads for every kernel from now on (1 runs everything on the calling thread).
     * Results do not change with it, only the time.
     *
     * @param n the thread count, at least 1
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + n);
        }
        if (n != threads()) {
            WorkerPool old = pool;
            pool = new WorkerPool(n);
            old.shutdown();
        }
    }

    /**
     * Runs {@code body} over [0, n) in chunks of at least {@code grain} indices, in parallel when there is more
     * than one chunk and more than one thread; returns when every chunk has run.
     *
     * @param n the number of indices (nothing runs for n ≤ 0)
     * @param grain the smallest chunk worth a task
     * @param body the loop body, called once per chunk with disjoint ranges
     */
    public static void forRange(int n, int grain, RangeBody body) {
        int chunks = chunkCount(n, grain);
        if (chunks <= 1 || threads() == 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        if (pool.run(n, chunks, body)) {
            SPLITS.increment();
        }
    }

    /**
     * The grain of a {@link #forRange} loop whose every index costs about {@code workPerIndex} element operations:
     * enough indices per chunk that each is worth handing to another thread ({@value #MIN_TASK_WORK} operations,
     * the elementwise kernels' grain). A small tensor's loop then has one chunk and runs on the calling thread.
     * Only for {@link #forRange}, whose results do not depend on the split; {@link #forChunks} loops keep their
     * shape-fixed grains (their chunks are a summation order).
     *
     * @param workPerIndex element operations per index, at least 1 is assumed
     * @return the grain, at least 1
     */
    public static int grainFor(long workPerIndex) {
        return (int) Math.max(1, (MIN_TASK_WORK + Math.max(1, workPerIndex) - 1) / Math.max(1, workPerIndex));
    }

    /**
     * Number of chunks {@link #forChunks} makes of n indices: n / grain, at least 1 and at most 4096.
     *
     * @param n the number of indices
     * @param grain the smallest chunk
     * @return the chunk count, 0 for n ≤ 0
     */
    public static int chunkCount(int n, int grain) {
        return n <= 0 ? 0 : (int) Math.min(Math.max(1, (long) n / Math.max(1, grain)), 4096);
    }

    /**
     * Runs {@code body(chunk, lo, hi)} for every chunk; chunk boundaries depend only on n and grain, so per-chunk
     * partial results combined in chunk order are the same at any thread count.
     *
     * @param n the number of indices
     * @param grain the smallest chunk
     * @param body the body, called once per chunk
     */
    public static void forChunks(int n, int grain, ChunkBody body) {
        int chunks = chunkCount(n, grain);
        forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                body.run(c, chunkStart(n, chunks, c), chunkStart(n, chunks, c + 1));
            }
        });
    }

    /** A loop body over one chunk. */
    @FunctionalInterface
    public interface ChunkBody {
        /**
         * Runs the loop over one chunk.
         *
         * @param chunk the chunk's number, 0 to {@code chunkCount(n, grain) − 1}
         * @param lo first index of the chunk
         * @param hi one past its last index
         */
        void run(int chunk, int lo, int hi);
    }

    private static int chunkStart(int n, int chunks, int c) {
        return (int) ((long) n * c / chunks);
    }
}
