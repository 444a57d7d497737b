package io.sipflow.autodiff.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The pool behind {@link Parallel}: every index runs once, failures reach the caller, nested loops run. */
class WorkerPoolTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void everyIndexRunsExactlyOnceAtAnyThreadCount() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            Parallel.setThreads(threads);
            for (int round = 0; round < 200; round++) {
                int n = 1 + round * 7;
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, 1 + round % 5, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertEquals(1, hits.get(i), "index " + i + " of " + n + " at " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aFailingChunkThrowsInTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Parallel.forRange(64, 1,
                (lo, hi) -> {
                    if (lo <= 40 && 40 < hi) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        AtomicIntegerArray hits = new AtomicIntegerArray(8);
        Parallel.forRange(8, 1, (lo, hi) -> hits.incrementAndGet(lo));
        assertEquals(8, java.util.stream.IntStream.range(0, 8).map(hits::get).sum(), "the pool works after a failure");
    }

    @Test
    void aLoopInsideALoopRuns() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(16 * 16);
        Parallel.forRange(16, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                int row = i;
                Parallel.forRange(16, 1, (a, b) -> {
                    for (int j = a; j < b; j++) {
                        hits.incrementAndGet(row * 16 + j);
                    }
                });
            }
        });
        for (int k = 0; k < 256; k++) {
            assertEquals(1, hits.get(k), "cell " + k);
        }
    }
}
