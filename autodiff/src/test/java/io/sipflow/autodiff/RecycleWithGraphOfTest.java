package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BufferPool#recycleWithGraphOf}: a constant fed into a graph goes back when a freeing first-order pass that
 * freed the given result ends, not before: the op that reads it (w·c, whose VJP for w reads c) runs after the result's
 * own node in the reverse pass, so giving c back when that node is freed would make the pass read a recycled array.
 */
class RecycleWithGraphOfTest {
    private static final int LENGTH = 2 * BufferPool.MIN_LENGTH;

    /** A constant whose array the pool issued, element i = 1 + i mod 7. */
    private static Tensor constant() {
        double[] v = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            v[i] = 1 + i % 7;
        }
        return Tensor.of(DType.FLOAT32, Shape.of(LENGTH), v).add(Tensor.full(DType.FLOAT32, Shape.of(LENGTH), 0.0));
    }

    /** Σ 2·(w·c): the result r = (w·c)·2 is computed from c, and w·c, which reads c, lies between them. */
    private static Gradients freeingGradient(Tensor w, Tensor c) {
        Tensor r = w.mul(c).mul(Tensor.full(DType.FLOAT32, Shape.scalar(), 2.0));
        BufferPool.recycleWithGraphOf(c, r, "RecycleWithGraphOfTest");
        return Autodiff.grad(r.sum(), List.of(w), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
    }

    @Test
    void aFreeingPassGivesTheConstantBackWhenItEnds() {
        Tensor w = Tensor.full(DType.FLOAT32, Shape.of(LENGTH), 1.0).variable();
        Tensor c = constant();
        float[] twice = c.mul(Tensor.full(DType.FLOAT32, Shape.scalar(), 2.0)).toFloatArray();
        BufferPool.Counts before = BufferPool.counts();
        Gradients g = freeingGradient(w, c);
        assertArrayEquals(twice, g.get(0).toFloatArray(), "dΣ/dw = 2c, read from c during the pass");
        assertTrue(BufferPool.counts().recycled() > before.recycled());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::toFloatArray);
        assertTrue(e.getMessage().contains("RecycleWithGraphOfTest"), e.getMessage());
    }

    @Test
    void aKeepingPassOrAnArrayALiveValueSharesLeavesItAlone() {
        Tensor w = Tensor.full(DType.FLOAT32, Shape.of(LENGTH), 1.0).variable();
        Tensor c = constant();
        float[] values = c.toFloatArray();
        Tensor r = w.mul(c).mul(Tensor.full(DType.FLOAT32, Shape.scalar(), 2.0));
        BufferPool.recycleWithGraphOf(c, r, "RecycleWithGraphOfTest");
        Gradients first = Autodiff.grad(r.sum(), List.of(w), Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.KEEP_GRAPH);
        assertArrayEquals(values, c.toFloatArray(), "KEEP_GRAPH: the graph may run again");
        Gradients second = Autodiff.grad(r.sum(), List.of(w), Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.KEEP_GRAPH);
        assertArrayEquals(first.get(0).toFloatArray(), second.get(0).toFloatArray());

        Tensor shared = constant();
        Tensor view = shared.reshape(2, BufferPool.MIN_LENGTH); // the same array, still in use
        Tensor r2 = w.mul(shared);
        BufferPool.recycleWithGraphOf(shared, r2, "RecycleWithGraphOfTest", view);
        Autodiff.grad(r2.sum(), List.of(w), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
        assertArrayEquals(values, view.reshape(LENGTH).toFloatArray(), "a live view keeps the array");
    }
}
