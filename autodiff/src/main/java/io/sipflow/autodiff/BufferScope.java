package io.sipflow.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

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
 * <p><b>Inference.</b> {@link #noGrad} opens a scope that also records nothing (as {@link Autodiff#noGrad}) and
 * recycles, when it closes, every value an op computed inside it from an array {@link BufferPool} issued inside it,
 * except the kept ones: a test-set evaluation's activations go back to the pool and the next evaluation reuses them.
 * <pre>{@code
 * try (BufferScope eval = BufferScope.noGrad("evaluation")) {
 *     Tensor x = net.forward(y);
 *     double error = x.sub(xTrue).square().mean().item();   // values read inside: nothing to keep
 *     eval.keep(x);                                          // only if x is used after the scope
 * }
 * }</pre>
 * Values made before the scope (inputs, parameters) and their views are never touched, even when an op inside returns
 * one of them unchanged; a value stored for later inside the scope must be kept ({@link #keep}, or
 * {@link #keepInOpenScopes} for a module's state such as batch-norm statistics).
 *
 * <p>Scopes nest; a backward pass registers with the innermost open scope of its thread, an op's value with the
 * innermost open {@link #noGrad} scope. With the system property {@code sipflow.recycle=false} nothing is recycled.
 */
public final class BufferScope implements AutoCloseable {
    private static final ThreadLocal<Deque<BufferScope>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);
    /** Open {@link #noGrad} scopes on all threads: ops look for one only while some is open. */
    private static final AtomicInteger INFERENCE_OPEN = new AtomicInteger();

    private final String name;
    private final Thread owner = Thread.currentThread();
    private final List<Tensor> graphValues = new ArrayList<>();
    private final Set<Object> keptArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    /** For a {@link #noGrad} scope: the values ops computed inside it; null for a training-step scope. */
    private final List<Tensor> computed;
    /** The op that computed each of {@link #computed}, for the error a later read throws. */
    private final List<String> computedBy;
    /** For a {@link #noGrad} scope: arrays the pool issued after this mark were issued inside it. */
    private final long issueMark;
    private final boolean wasRecording;
    private boolean closed;

    private BufferScope(String name, boolean inference) {
        this.name = name;
        this.computed = inference ? new ArrayList<>() : null;
        this.computedBy = inference ? new ArrayList<>() : null;
        this.issueMark = BufferPool.issueMark();
        this.wasRecording = Graph.isRecording();
    }

    /**
     * Opens a scope on this thread.
     *
     * @param name what the scope is (shown in the error a read of a recycled tensor throws)
     * @return the scope; close it (try-with-resources) on the same thread
     */
    public static BufferScope open(String name) {
        BufferScope scope = new BufferScope(name, false);
        OPEN.get().push(scope);
        return scope;
    }

    /**
     * Opens an inference scope on this thread: until it closes nothing is recorded (as inside {@link Autodiff#noGrad}),
     * and at close every value an op computed inside it goes back to {@link BufferPool}, except the kept ones; a
     * later read of such a value throws an {@link IllegalStateException} naming the op and this scope.
     *
     * @param name what the scope is (shown in the error a read of a recycled value throws)
     * @return the scope; close it (try-with-resources) on the same thread
     */
    public static BufferScope noGrad(String name) {
        BufferScope scope = new BufferScope(name, true);
        OPEN.get().push(scope);
        INFERENCE_OPEN.incrementAndGet();
        Graph.setRecording(false);
        return scope;
    }

    /**
     * Keeps {@code tensors} in every scope open on this thread: for state that outlives any scope a caller may have
     * opened around it (a module's buffers, a parameter's new value). Does nothing when no scope is open.
     *
     * @param tensors the values to keep (null entries are skipped)
     */
    public static void keepInOpenScopes(Tensor... tensors) {
        Deque<BufferScope> open = OPEN.get();
        for (BufferScope scope : open) {
            scope.keep(tensors);
        }
    }

    /** Called by {@link Graph#record} for a value it returns without a node: noted by the innermost noGrad scope. */
    static void noteComputed(String op, Tensor value) {
        if (INFERENCE_OPEN.get() == 0) {
            return;
        }
        for (BufferScope scope : OPEN.get()) {
            if (scope.computed != null) {
                scope.computed.add(value);
                scope.computedBy.add(op);
                return;
            }
        }
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
        if (computed != null) {
            INFERENCE_OPEN.decrementAndGet();
            Graph.setRecording(wasRecording);
            recycleComputed();
        }
        for (Tensor t : graphValues) {
            Object array = t.hostArray();
            if (array != null && !keptArrays.contains(array)) {
                t.recycle("the output of '" + t.node().op() + "' (" + t.shape() + " " + t.dtype() + ") from "
                        + "BufferScope '" + name + "', which has closed (keep it with BufferScope.keep to use it after)");
            }
        }
        graphValues.clear();
    }

    /**
     * Recycles the values ops computed inside this noGrad scope from arrays issued inside it, unless kept; a second
     * holder of a recycled array (a value wrapped twice) is marked dead too, so none of them shows reused values.
     */
    private void recycleComputed() {
        Set<Object> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < computed.size(); i++) {
            Tensor t = computed.get(i);
            Object array = t.hostArray();
            if (array != null && !keptArrays.contains(array) && BufferPool.issuedSince(array, issueMark)
                    && t.recycle(what(i))) {
                gone.add(array);
            }
        }
        for (int i = 0; i < computed.size(); i++) {
            Object array = computed.get(i).hostArray();
            if (array != null && gone.contains(array)) {
                computed.get(i).retire(what(i));
            }
        }
        computed.clear();
        computedBy.clear();
    }

    private String what(int i) {
        Tensor t = computed.get(i);
        return "the output of '" + computedBy.get(i) + "' (" + t.shape() + " " + t.dtype() + ") from "
                + "BufferScope.noGrad '" + name + "', which has closed (keep it with BufferScope.keep to use it after)";
    }
}
