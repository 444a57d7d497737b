package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Autodiff.AfterBackward#FREE_GRAPH}: same gradients, nodes freed, saved values collectable, clear reuse error. */
class FreeGraphTest {
    /** A small graph with fan-out, a stopGradient and a reduction: x·sg(x) + exp(x)·w, summed. */
    private static Tensor loss(Tensor x, Tensor w) {
        Tensor e = x.exp();
        return x.mul(x.stopGradient()).add(e.mul(w)).add(e).sum();
    }

    @Test
    void freeingGivesTheSameGradientsAsKeeping() {
        Tensor x = Tensor.vector(0.3, -1.2, 2.0).variable();
        Tensor w = Tensor.vector(1.5, 0.25, -0.5).variable();
        Gradients kept = Autodiff.grad(loss(x, w), List.of(x, w), Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.KEEP_GRAPH);
        Gradients freed = Autodiff.grad(loss(x, w), List.of(x, w), Autodiff.Disconnected.ERROR,
                Autodiff.AfterBackward.FREE_GRAPH);
        assertArrayEquals(kept.get(x).toDoubleArray(), freed.get(x).toDoubleArray(), 0);
        assertArrayEquals(kept.get(w).toDoubleArray(), freed.get(w).toDoubleArray(), 0);
    }

    @Test
    void keepingAllowsASecondPassAndFreeingForbidsItNamingTheOp() {
        Tensor x = Tensor.vector(0.5, 1.0).variable();
        Tensor y = x.square().sum();
        Autodiff.grad(y, x);
        Autodiff.grad(y, List.of(x), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
        assertTrue(y.node().isFreed());
        assertTrue(y.node().inputs().isEmpty(), "a freed node lets go of its inputs");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autodiff.grad(y, x));
        assertTrue(e.getMessage().contains("'sum'") && e.getMessage().contains("FREE_GRAPH"), e.getMessage());
    }

    @Test
    void aNewGraphReachingAFreedTensorIsRefusedToo() {
        Tensor x = Tensor.vector(0.5, 1.0).variable();
        Tensor h = x.exp();
        Autodiff.grad(h.sum(), List.of(x), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autodiff.grad(h.mul(2).sum(), x));
        assertTrue(e.getMessage().contains("'exp'"), e.getMessage());
    }

    @Test
    void aValueOnlyTheVjpHeldBecomesGarbageDuringTheBackwardPass() throws InterruptedException {
        Tensor x = Tensor.vector(1, 2, 3).variable();
        List<WeakReference<Tensor>> watch = new ArrayList<>();
        Tensor y = scaleBySaved(x, watch);
        Tensor loss = y.sum();
        Tensor g = Autodiff.grad(loss, List.of(x), Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH).get(x);
        assertArrayEquals(new double[] {4, 5, 6}, g.toDoubleArray(), 0);
        for (int i = 0; i < 50 && watch.get(0).get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(watch.get(0).get(), "the freed node still kept the VJP's saved tensor alive");
        assertTrue(y.node().isFreed());
    }

    /** x·s with a saved s that only the result's VJP refers to; {@code watch} gets a weak reference to s. */
    private static Tensor scaleBySaved(Tensor x, List<WeakReference<Tensor>> watch) {
        Tensor saved = Tensor.vector(4, 5, 6);
        watch.add(new WeakReference<>(saved));
        return Autodiff.customVjp("scaleBySaved", in -> in[0].mul(saved),
                (in, out, g) -> new Tensor[] {g.mul(saved)}, x);
    }
}
