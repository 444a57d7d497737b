package io.sipflow.autodiff.backend;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Parallel#grainFor}: a loop over little work stays on the calling thread, a big one is split. */
class ParallelGrainTest {
    private final int threadsBefore = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void theGrainMakesEachChunkWorthATask() {
        assertEquals(Parallel.MIN_TASK_WORK, Parallel.grainFor(1));
        assertEquals(Parallel.MIN_TASK_WORK, Parallel.grainFor(0), "work below 1 counts as 1");
        assertEquals(1, Parallel.grainFor(Parallel.MIN_TASK_WORK));
        assertEquals(1, Parallel.grainFor(Long.MAX_VALUE));
        assertEquals(2, Parallel.grainFor(Parallel.MIN_TASK_WORK / 2));
        assertEquals(2, Parallel.grainFor(Parallel.MIN_TASK_WORK / 2 + 1), "rounded up: a chunk never falls short");
    }

    @Test
    void aLoopOverLittleWorkRunsOnTheCallingThreadInOneCall() {
        Parallel.setThreads(2);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        Parallel.forRange(16, Parallel.grainFor(100), (lo, hi) -> {
            ran.add(Thread.currentThread());
            calls.incrementAndGet();
            assertEquals(0, lo);
            assertEquals(16, hi);
        });
        assertEquals(Set.of(Thread.currentThread()), ran);
        assertEquals(1, calls.get());
    }

    @Test
    void aLoopOverMuchWorkIsSplitIntoChunksOfAtLeastTheGrain() {
        Parallel.setThreads(2);
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger covered = new AtomicInteger();
        int grain = Parallel.grainFor(Parallel.MIN_TASK_WORK / 4);
        Parallel.forRange(64, grain, (lo, hi) -> {
            calls.incrementAndGet();
            covered.addAndGet(hi - lo);
            assertTrue(hi - lo >= grain, "chunk " + lo + ".." + hi + " shorter than the grain " + grain);
        });
        assertEquals(64, covered.get());
        assertEquals(64 / grain, calls.get());
    }
}
