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
 * <pre>{@code
 * Tensor w = Tensor.vector(1, -2, 3).variable();
 * Tensor loss = w.square().sum();                  // L = Σ w²
 * Tensor dw = Autodiff.grad(loss, w).get(w);       // ∂L/∂w = 2·w
 * double second = dw.get(1);                       // → -4.0
 * Autodiff.ValueAndGrad vg = Autodiff.valueAndGrad(x -> x.exp().sum(), Tensor.scalar(0));
 * double slope = vg.gradient().item();             // → 1.0
 * }</pre>
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

    /**
     * Gradients of a scalar {@code loss} with respect to each of {@code inputs}; an input the loss does not depend
     * on is an error ({@link Disconnected#ERROR}).
     *
     * @param loss a one-element tensor computed from the inputs
     * @param inputs variables (or tensors computed from them) the loss was computed from
     * @return ∂loss/∂input for each input, each of its input's shape and type
     * @throws IllegalArgumentException if the loss has more than one element or an input is not connected to it
     */
    public static Gradients grad(Tensor loss, Tensor... inputs) {
        return grad(loss, List.of(inputs), Disconnected.ERROR);
    }

    /**
     * Gradients of a scalar {@code loss} with respect to each of {@code inputs}; an input the loss does not depend
     * on is an error ({@link Disconnected#ERROR}).
     *
     * @param loss a one-element tensor computed from the inputs
     * @param inputs variables (or tensors computed from them) the loss was computed from
     * @return ∂loss/∂input for each input, each of its input's shape and type
     * @throws IllegalArgumentException if the loss has more than one element or an input is not connected to it
     */
    public static Gradients grad(Tensor loss, List<Tensor> inputs) {
        return grad(loss, inputs, Disconnected.ERROR);
    }

    /**
     * As {@link #grad(Tensor, List)}, choosing what happens to inputs the loss does not depend on.
     *
     * @param loss a one-element tensor
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected ERROR to throw for an unconnected input, ZERO to give it a gradient of zeros
     * @return ∂loss/∂input for each input
     * @throws IllegalArgumentException if the loss has more than one element, or an input is unconnected under ERROR
     */
    public static Gradients grad(Tensor loss, List<Tensor> inputs, Disconnected disconnected) {
        return grad(loss, inputs, disconnected, AfterBackward.KEEP_GRAPH);
    }

    /**
     * As {@link #grad(Tensor, List, Disconnected)}, choosing what is left of the graph afterwards. A training loop
     * that never looks at the graph again frees it as it goes:
     * <pre>
     * Gradients g = Autodiff.grad(loss, net.parameterValues(), Disconnected.ZERO, AfterBackward.FREE_GRAPH);
     * </pre>
     *
     * @param loss a one-element tensor
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected what an unconnected input gets
     * @param after KEEP_GRAPH, or FREE_GRAPH to release each node once its VJP has run
     * @return ∂loss/∂input for each input
     * @throws IllegalArgumentException if the loss has more than one element, or an input is unconnected under ERROR
     * @throws IllegalStateException if the graph was freed by an earlier FREE_GRAPH pass, or a VJP returns a
     *         gradient of the wrong shape (naming the op)
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
     * With a seed of ones it is the gradient of {@code output.sum()}.
     *
     * @param output the tensor to differentiate
     * @param seed the cotangent, of output's shape (cast to output's type)
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected what an unconnected input gets
     * @return seedᵀ·∂output/∂input for each input, of its input's shape and type
     * @throws IllegalArgumentException if the seed's shape differs from the output's, or an input is unconnected
     *         under ERROR
     */
    public static Gradients vjp(Tensor output, Tensor seed, List<Tensor> inputs, Disconnected disconnected) {
        return vjp(output, seed, inputs, disconnected, AfterBackward.KEEP_GRAPH);
    }

    /**
     * As {@link #vjp(Tensor, Tensor, List, Disconnected)}, choosing what is left of the graph afterwards.
     *
     * @param output the tensor to differentiate
     * @param seed the cotangent, of output's shape
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected what an unconnected input gets
     * @param after KEEP_GRAPH, or FREE_GRAPH to release each node once its VJP has run
     * @return seedᵀ·∂output/∂input for each input
     * @throws IllegalArgumentException if the seed's shape differs from the output's, or an input is unconnected
     *         under ERROR
     * @throws IllegalStateException if the graph was freed by an earlier FREE_GRAPH pass, or a VJP returns a
     *         gradient of the wrong shape (naming the op)
     */
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

    /**
     * The value of {@code fn} at {@code x} and its gradient there (JAX's {@code value_and_grad}).
     *
     * @param fn a function returning one element; it receives {@code x} as a fresh variable
     * @param x the point (its history, if any, is cut)
     * @return fn(x) with its graph cut, and ∂fn/∂x (zeros if fn does not depend on x)
     * @throws IllegalArgumentException if fn's result has more than one element
     */
    public static ValueAndGrad valueAndGrad(Function<Tensor, Tensor> fn, Tensor x) {
        Tensor xv = x.variable();
        Tensor value = fn.apply(xv);
        Tensor g = grad(value, List.of(xv), Disconnected.ZERO).get(xv);
        return new ValueAndGrad(value.stopGradient(), g);
    }

    /**
     * A value and the gradient of it.
     *
     * @param value the function's value, cut from the graph
     * @param gradient its gradient with respect to the argument, of the argument's shape
     */
    public record ValueAndGrad(Tensor value, Tensor gradient) {
    }

    /**
     * Runs {@code body} without recording a graph (inference, optimizer updates): results never require
     * gradients. Restores the previous setting afterwards, also when the body throws.
     *
     * @param <T> the body's result type
     * @param body the computation
     * @return what the body returned
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
     * Tensor y = Autodiff.customVjp("cube", in -&gt; in[0].mul(in[0]).mul(in[0]),
     *         (in, out, g) -&gt; new Tensor[] {g.mul(in[0].square()).mul(3)}, x);
     * </pre>
     * Check the rule with {@link GradCheck}.
     *
     * @param name the op's name in graphs and error messages
     * @param forward computes the output from (a copy of) the inputs array, without recording
     * @param vjp the gradient rule; it must return one gradient (or null for none) per input, of its input's shape
     * @param inputs the op's inputs
     * @return the output, with a graph node if any input requires a gradient
     */
    public static Tensor customVjp(String name, Function<Tensor[], Tensor> forward, CustomVjp vjp,
                                   Tensor... inputs) {
        Tensor value = noGrad(() -> forward.apply(inputs.clone()));
        return Graph.record(name, value, inputs, g -> vjp.apply(inputs, value, g));
    }

    /** The gradient rule of a {@link #customVjp} op: inputs (values), output (value), output gradient. */
    @FunctionalInterface
    public interface CustomVjp {
        /**
         * The inputs' gradients for one output gradient.
         *
         * @param inputs the op's inputs (values)
         * @param output the op's output (value)
         * @param gradOutput ∂L/∂output, of output's shape
         * @return ∂L/∂input for each input, of its shape, or null where an input gets no gradient
         */
        Tensor[] apply(Tensor[] inputs, Tensor output, Tensor gradOutput);
    }
}
