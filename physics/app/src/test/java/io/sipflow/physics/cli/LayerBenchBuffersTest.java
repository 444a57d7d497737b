package io.sipflow.physics.cli;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Threads;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The layer lines of {@code sipflow bench} give every result back to the buffer pool, as the training step does:
 * a line that allocated its outputs anew on every call timed the JVM's allocation and collections as well as the
 * layer (at 128 × 64² on JDK 17, ReLU's line took 15 to 320 ms a call; given back, 10 ms).
 */
class LayerBenchBuffersTest {
    @Test
    void warmLayerCallsMakeNoNewPoolArrays() {
        int threadsBefore = Threads.count();
        Threads.set(1);
        try {
            // 4 × 64²: the U-Net's levels run down to 8², where 16 channels are the pool's smallest array (4096
            // values; smaller arrays are always new and not counted, as the pooled outputs of the 8² level)
            new LayerBench(4, 64, 0, 1).run(new PrintWriter(new StringWriter()));
            BufferPool.Counts before = BufferPool.counts();
            new LayerBench(4, 64, 1, 3).run(new PrintWriter(new StringWriter()));
            assertEquals(0, BufferPool.counts().allocatedSince(before),
                    "pool arrays allocated by the second run's layer calls (each should reuse the first run's)");
        } finally {
            Threads.set(threadsBefore);
        }
    }
}
