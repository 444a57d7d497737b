package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.BinaryOps;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reverse-mode differentiation.
 * <pre>
 * Tensor w = Tensor.randn(rng, 3).variable();
 * Tensor loss = w.square().sum();
 * Tensor dw = Autodiff.grad(loss, w).get(w);       // 2·w
 * </pre>
 * The graph is walked once, in reverse topological order, iteratively (no recursion); gradients of a tensor used
 * several times are summed; each VJP result is checked against its input's shape, naming the op when it is wrong.
 */
public final class Autodiff {
    private Autodiff() {
    }

    /** What to do with an input the loss does not depend on. */
    public enum Disconnected {
        /** Throw an {@link IllegalArgumentException} naming the input (the default: usually a bug). */
        ERROR,
        /** Return a gradient of zeros. */
        ZERO
    }

    /** What a backward pass leaves of the graph it went through. */
    public enum AfterBackward {
        /** Keep every node: the same graph can be differentiated again (the default). */
        KEEP_GRAPH,
        /**
         * Free each node as soon as its VJP has run, as PyTorch's {@code backward()} does: the forward values a VJP
         * keeps (a convolution's input, a batch norm's statistics) die during the backward pass instead of after
         * it, which lowers the peak memory of a training step. Differentiating through a freed node again throws.
         */
        FREE_GRAPH
    }

    /** Gradients of a scalar {@code loss} with respect to each of {@code inputs}. */
    public static Gradients grad(Tensor loss, Tensor... inputs) {
        return grad(loss, List.of(inputs), Disconnected.ERROR);
    }

    /** Gradients of a scalar {@code loss} with respect to each of {@code inputs}. */
    public static Gradients grad(Tensor loss, List<Tensor> inputs) {
        return grad(loss, inputs, Disconnected.ERROR);
    }

    /** As {@link #grad(Tensor, List)}, choosing what happens to inputs the loss does not depend on. */
    public static Gradients grad(Tensor loss, List<Tensor> inputs, Disconnected disconnected) {
        return grad(loss, inputs, disconnected, AfterBackward.KEEP_GRAPH);
    }

    /**
     * As {@link #grad(Tensor, List, Disconnected)}, choosing what is left of the graph afterwards. A training loop
     * that never looks at the graph again frees it as it goes:
     * <pre>
     * Gradients g = Autodiff.grad(loss, net.parameterValues(), Disconnected.ZERO, AfterBackward.FREE_GRAPH);
     * </pre>
     */
    public static Gradients grad(Tensor loss, List<Tensor> inputs, Disconnected disconnected, AfterBackward after) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("grad: the loss must have one element, got shape " + loss.shape()
                    + "; sum it or use vjp(output, seed, inputs)");
        }
        return vjp(loss, Tensor.full(loss.dtype(), loss.shape(), 1.0), inputs, disconnected, after);
    }

    /**
     * The vector-Jacobian product seedᵀ·∂output/∂input for each input: reverse mode from a non-scalar output.
     */
    public static Gradients vjp(Tensor output, Tensor seed, List<Tensor> inputs, Disconnected disconnected) {
        return vjp(output, seed, inputs, disconnected, AfterBackward.KEEP_GRAPH);
    }

    /** As {@link #vjp(Tensor, Tensor, List, Disconnected)}, choosing what is left of the graph afterwards. */
    public static Gradients vjp(Tensor output, Tensor seed, List<Tensor> inputs, Disconnected disconnected,
                                AfterBackward after) {
        if (!seed.shape().equals(output.shape())) {
            throw new IllegalArgumentException("vjp: seed shape " + seed.shape() + " differs from output shape "
                    + output.shape());
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, seed.to(output.dtype()));
        boolean wasRecording = Graph.isRecording();
        Graph.setRecording(false); // backward is not itself differentiated
        // Gradients are computed in the types the forward pass used, not in the caller's precision scope.
        try (Precision ignored = Precision.none()) {
            Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
            wanted.addAll(inputs);
            List<Tensor> order = Graph.topologicalOrder(output);
            boolean free = after == AfterBackward.FREE_GRAPH;
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.get(t);
                if (g != null && t.node() != null) {
                    propagate(t, g, grads);
                    if (!wanted.contains(t)) {
                        grads.remove(t); // all its consumers are done: free the memory early
                    }
                }
                if (free) {
                    order.set(i, null); // the list must not keep the value alive either
                    if (t.node() != null) {
                        t.node().free();
                    }
                }
            }
        } finally {
            Graph.setRecording(wasRecording);
        }
        return collect(output, inputs, grads, disconnected);
    }

    private static void propagate(Tensor t, Tensor g, Map<Tensor, Tensor> grads) {
        Node node = t.node();
        Tensor[] inputs = node.inputArray();
        if (node.isFreed()) {
            throw new IllegalStateException("grad: the graph through '" + node.op() + "' " + t.shape() + " "
                    + t.dtype() + " was freed by an earlier backward pass with AfterBackward.FREE_GRAPH;"
                    + " run the forward pass again, or use KEEP_GRAPH to differentiate one graph twice");
        }
        Vjp vjp = node.vjp();
        if (vjp == null) {
            return; // stopGradient and friends
        }
        Tensor[] inGrads = vjp.apply(g);
        if (Anomaly.isOn()) {
            Anomaly.checkBackward(node.op(), g, inGrads, inputs);
        }
        if (inGrads.length != inputs.length) {
            throw new IllegalStateException("VJP of '" + node.op() + "' returned " + inGrads.length
                    + " gradients for " + inputs.length + " inputs");
        }
        for (int k = 0; k < inputs.length; k++) {
            Tensor in = inputs[k];
            Tensor gk = inGrads[k];
            if (in == null || gk == null || !in.requiresGrad()) {
                continue;
            }
            if (!gk.shape().equals(in.shape())) {
                throw new IllegalStateException("VJP of '" + node.op() + "' returned a gradient of shape "
                        + gk.shape() + " for input " + k + " of shape " + in.shape());
            }
            gk = gk.to(in.dtype());
            Tensor previous = grads.get(in);
            grads.put(in, previous == null ? gk : BinaryOps.add(previous, gk));
        }
    }

    private static Gradients collect(Tensor output, List<Tensor> inputs, Map<Tensor, Tensor> grads,
                                     Disconnected disconnected) {
        Map<Tensor, Tensor> result = new IdentityHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            Tensor g = grads.get(in);
            if (g == null) {
                if (disconnected == Disconnected.ERROR) {
                    throw new IllegalArgumentException("grad: input " + i + " " + in.shape() + " " + in.dtype()
                            + " is not connected to the output"
                            + (in.requiresGrad() ? "" : " (it is not a variable: call .variable() on it first)")
                            + "; pass Disconnected.ZERO to get zeros instead");
                }
                g = Tensor.full(in.dtype(), in.shape(), 0.0);
            }
            result.put(in, g);
        }
        return new Gradients(inputs, result);
    }

    /** The value of {@code fn} at {@code x} and its gradient there ({@code fn} must return one element). */
    public static ValueAndGrad valueAndGrad(Function<Tensor, Tensor> fn, Tensor x) {
        Tensor xv = x.variable();
        Tensor value = fn.apply(xv);
        Tensor g = grad(value, List.of(xv), Disconnected.ZERO).get(xv);
        return new ValueAndGrad(value.stopGradient(), g);
    }

    /** A value and the gradient of it. */
    public record ValueAndGrad(Tensor value, Tensor gradient) {
    }

    /**
     * Runs {@code body} without recording a graph (inference, optimizer updates): results never require
     * gradients. Restores the previous setting afterwards.
     */
    public static <T> T noGrad(java.util.function.Supplier<T> body) {
        boolean was = Graph.isRecording();
        Graph.setRecording(false);
        try {
            return body.get();
        } finally {
            Graph.setRecording(was);
        }
    }

    /**
     * Adds an op without touching the library: {@code forward} computes the value from the inputs (untracked),
     * {@code vjp} maps the output's gradient to the inputs' gradients.
     * <pre>
     * Tensor y = Autodiff.customVjp("cube", in -> in[0].mul(in[0]).mul(in[0]),
     *         (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3)}, x);
     * </pre>
     */
    public static Tensor customVjp(String name, Function<Tensor[], Tensor> forward, CustomVjp vjp,
                                   Tensor... inputs) {
        Tensor value = noGrad(() -> forward.apply(inputs.clone()));
        return Graph.record(name, value, inputs, g -> vjp.apply(inputs, value, g));
    }

    /** The gradient rule of a {@link #customVjp} op: inputs (values), output (value), output gradient. */
    @FunctionalInterface
    public interface CustomVjp {
        Tensor[] apply(Tensor[] inputs, Tensor output, Tensor gradOutput);
    }
}
