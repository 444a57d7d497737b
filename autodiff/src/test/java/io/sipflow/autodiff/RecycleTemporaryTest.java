package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BufferPool#recycleTemporary(Tensor, String, Tensor...)} gives a temporary's array back unless a value that
 * lives on holds it, and {@link BufferPool#counts} shows the array being reused.
 */
class RecycleTemporaryTest {
    private static final int LENGTH = 2 * BufferPool.MIN_LENGTH;

    private static Tensor full(double v) {
        return Tensor.full(DType.FLOAT32, Shape.of(LENGTH), v);
    }

    private static Tensor pooledValue(float v) {
        return full(v).add(full(0)); // an array the pool issued
    }

    @Test
    void aTemporaryGoesBackAndItsNextLikeIsTheRecycledArray() {
        Tensor t = pooledValue(1f);
        BufferPool.Counts before = BufferPool.counts();
        BufferPool.recycleTemporary(t, "RecycleTemporaryTest");
        IllegalStateException e = assertThrows(IllegalStateException.class, t::toFloatArray);
        assertTrue(e.getMessage().contains("RecycleTemporaryTest") && e.getMessage().contains("(8192,) float32"),
                e.getMessage());
        Tensor next = full(2).mul(full(1));
        BufferPool.Counts after = BufferPool.counts();
        assertEquals(1, after.recycled() - before.recycled(), "given back");
        assertTrue(after.reused() - before.reused() >= 1, "the multiplication's output reused it");
        assertEquals(2f, next.toFloatArray()[LENGTH - 1]);
    }

    @Test
    void aTemporaryThatALiveValueSharesStays() {
        Tensor t = pooledValue(3f);
        Tensor view = t.reshape(2, BufferPool.MIN_LENGTH); // the same array
        BufferPool.recycleTemporary(t, "RecycleTemporaryTest", Tensor.scalar(0.0), view);
        float[] expected = new float[LENGTH];
        java.util.Arrays.fill(expected, 3f);
        assertArrayEquals(expected, t.toFloatArray());
        assertArrayEquals(expected, view.toFloatArray());
    }

    @Test
    void aValueOnTheGraphStays() {
        Tensor w = full(1).variable();
        Tensor y = w.mul(full(2)); // has a node: a backward pass may read it
        BufferPool.recycleTemporary(y, "RecycleTemporaryTest");
        assertEquals(2f, y.toFloatArray()[0]);
    }

    @Test
    void anInternalValueGoesBackNowUnderNoGradAndAfterAFreeingPassWhileRecording() {
        Tensor[] held = new Tensor[1];
        Autodiff.noGrad(() -> {
            held[0] = pooledValue(4f);
            BufferPool.recycleInternal(held[0], "RecycleTemporaryTest", full(0));
            return null;
        });
        assertThrows(IllegalStateException.class, held[0]::toFloatArray, "under noGrad: at once");

        Tensor w = full(1).variable();
        Tensor h = w.mul(full(3)); // on the graph
        Tensor y = h.mul(full(2));
        BufferPool.recycleInternal(h, "RecycleTemporaryTest", y);
        assertEquals(3f, h.toFloatArray()[0], "while recording: kept until the backward pass");
        Autodiff.grad(y.sum(), java.util.List.of(w), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
        IllegalStateException e = assertThrows(IllegalStateException.class, h::toFloatArray);
        assertTrue(e.getMessage().contains("RecycleTemporaryTest"), e.getMessage());
    }
}
