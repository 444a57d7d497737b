package io.sipflow.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A region (a training step) whose forward values go back to {@link BufferPool} when it closes, so the next step's
 * activations reuse the arrays instead of fresh ones.
 * <pre>{@code
 * try (BufferScope step = BufferScope.open("training step")) {
 *     Tensor loss = model(x).sub(y).square().sum();
 *     Gradients g = Autodiff.grad(loss, params, Disconnected.ZERO, AfterBackward.FREE_GRAPH);
 *     ... update the parameters ...
 *     step.keep(prediction);       // needed after the step
 * }                                // the graph's values are recycled here
 * }</pre>
 *
 * <p>What is recycled: the values of the recorded ops that a first-order {@link Autodiff.AfterBackward#FREE_GRAPH}
 * backward pass went through inside the scope, on this thread (the pass freed their nodes, so no later backward pass
 * can use them), when {@link BufferPool} issued their arrays. Never recycled: variables and other leaves (parameters),
 * constants made off the graph, the gradients a pass returned, tensors passed to {@link #keep} and their views, and
 * the graph of a pass that differentiates a recorded backward pass (second order: its values are gradients a method
 * may still use).
 *
 * <p>A recycled tensor that someone still holds throws an {@link IllegalStateException} on its next read, naming the
 * op that made it and this scope, rather than showing values that changed. The raw array of a recycled tensor
 * ({@link Tensor#floatData()}) must not be kept past the scope: keep the tensor, or a copy.
 *
 * <p>Scopes nest; a backward pass registers with the innermost open scope of its thread. With the system property
 * {@code sipflow.recycle=false} nothing is recycled.
 */
public final class BufferScope implements AutoCloseable {
    private static final ThreadLocal<Deque<BufferScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);

    private final String name;
    private final Thread owner = Thread.currentThread();
    private final List<Tensor> graphValues = new ArrayList<>();
    private final Set<Object> keptArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private BufferScope(String name) {
        this.name = name;
    }

    /**
     * Opens a scope on this thread.
     *
     * @param name what the scope is (shown in the error a read of a recycled tensor throws)
     * @return the scope; close it (try-with-resources) on the same thread
     */
    public static BufferScope open(String name) {
        BufferScope scope = new BufferScope(name);
        OPEN.get().push(scope);
        return scope;
    }

    /**
     * Marks tensors that must keep their values after the scope closes (null entries are skipped). Views of them
     * (same values: {@code stopGradient}, {@code constant}, reshapes) are kept with them.
     *
     * @param tensors the results the scope's caller returns or stores
     * @throws IllegalStateException if the scope is closed
     */
    public void keep(Tensor... tensors) {
        if (closed) {
            throw new IllegalStateException("BufferScope '" + name + "' is closed: keep its results before closing it");
        }
        for (Tensor t : tensors) {
            if (t != null && t.hostArray() != null) {
                keptArrays.add(t.hostArray());
            }
        }
    }

    /** The innermost open scope of this thread, or null. */
    static BufferScope current() {
        Deque<BufferScope> open = OPEN.get();
        return open.isEmpty() ? null : open.peek();
    }

    /** A value of a recorded op whose node a first-order FREE_GRAPH pass freed: recycled at close unless kept. */
    void addGraphValue(Tensor t) {
        graphValues.add(t);
    }

    /**
     * Recycles the graph values that were not kept and leaves the scope.
     *
     * @throws IllegalStateException if called on another thread than the one that opened the scope, or while an
     *         inner scope is still open
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("BufferScope '" + name + "' was opened on " + owner.getName()
                    + " and must be closed there, not on " + Thread.currentThread().getName());
        }
        Deque<BufferScope> open = OPEN.get();
        if (open.peek() != this) {
            throw new IllegalStateException("BufferScope '" + name + "' closed while an inner scope is still open");
        }
        open.pop();
        closed = true;
        for (Tensor t : graphValues) {
            Object array = t.hostArray();
            if (array != null && !keptArrays.contains(array)) {
                t.recycle("the output of '" + t.node().op() + "' (" + t.shape() + " " + t.dtype() + ") from "
                        + "BufferScope '" + name + "', which has closed (keep it with BufferScope.keep to use it after)");
            }
        }
        graphValues.clear();
    }
}
