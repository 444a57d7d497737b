package io.sipflow.physics.cli;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Threads;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layer lines of {@code sipflow bench} give every result back to the buffer pool, as the training step does:
 * a line that allocated its outputs anew on every call timed the JVM's allocation and collections instead of the
 * layer (on JDK 17 the batch-norm and ReLU lines were up to 2–20× their step's cost at 128 × 64²).
 */
class LayerBenchBuffersTest {
    @Test
    void warmLayerCallsMakeNoNewPoolArrays() {
        int threadsBefore = Threads.count();
        Threads.set(1);
        try {
            // 4 × 32²: every layer's output holds at least the pool's smallest array (4 × 16 × 8² values)
            new LayerBench(4, 32, 0, 1).run(new PrintWriter(new StringWriter()));
            BufferPool.Counts before = BufferPool.counts();
            new LayerBench(4, 32, 1, 3).run(new PrintWriter(new StringWriter()));
            assertEquals(0, BufferPool.counts().allocatedSince(before),
                    "pool arrays allocated by the second run's layer calls (each should reuse the first run's)");
        } finally {
            Threads.set(threadsBefore);
        }
    }
}
