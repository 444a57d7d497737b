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
     * Whether the gradients a backward pass returns can themselves be differentiated (PyTorch's
     * {@code create_graph}). With {@link #YES} every VJP runs as recorded ops, so the gradients carry a graph back to
     * the inputs and {@code grad(Σ c·g², x)} or a Hessian-vector product works:
     * <pre>
     * Tensor g = Autodiff.grad(loss, List.of(x), Differentiable.YES).get(x);
     * Tensor hv = Autodiff.grad(g.mul(v).sum(), x).get(x);           // H·v
     * </pre>
     * An op whose VJP is not differentiable throws {@link UnsupportedOperationException} naming the op when such a
     * gradient is differentiated again; it never returns a wrong second derivative.
     */
    public enum Differentiable {
        /** First order (the default): the backward pass records nothing and its gradients are constants. */
        NO,
        /** The backward pass is recorded: the gradients can be differentiated again. Keeps the forward graph. */
        YES
    }

    /**
     * Gradients of a scalar {@code loss} with respect to each of {@code inputs}; an input the loss does not depend
     * on is an error ({@link Disconnected#ERROR}). The graph is kept ({@link AfterBackward#KEEP_GRAPH}): it can be
     * differentiated again, and its arrays are left to the collector. In a training loop pass
     * {@link AfterBackward#FREE_GRAPH} instead (as {@code Training.updateWeights} does): the modules' activations
     * then go back to {@link BufferPool} when the pass ends, and the next step reuses them.
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
     * As {@link #grad(Tensor, List)}; with {@link Differentiable#YES} the gradients can be differentiated again
     * (disconnected inputs get zeros):
     * <pre>
     * Tensor x = Tensor.vector(1, 2).variable();
     * Tensor g = Autodiff.grad(x.pow(3).sum(), List.of(x), Differentiable.YES).get(x);  // 3x²
     * Tensor h = Autodiff.grad(g.sum(), x).get(x);                                      // 6x = [6, 12]
     * </pre>
     *
     * @param loss a one-element tensor with a recorded graph
     * @param inputs the tensors to differentiate with respect to
     * @param differentiable whether the gradients are recorded
     * @return the gradients, by input
     */
    public static Gradients grad(Tensor loss, List<Tensor> inputs, Differentiable differentiable) {
        return grad(loss, inputs, Disconnected.ZERO, AfterBackward.KEEP_GRAPH, differentiable);
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
        return grad(loss, inputs, disconnected, after, Differentiable.NO);
    }

    /**
     * As {@link #grad(Tensor, List, Disconnected, AfterBackward)}, choosing whether the gradients are differentiable.
     *
     * @param loss a one-element tensor with a recorded graph
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected what an input the loss does not depend on gets
     * @param after what is left of the graph
     * @param differentiable whether the gradients are recorded
     * @return the gradients, by input
     */
    public static Gradients grad(Tensor loss, List<Tensor> inputs, Disconnected disconnected, AfterBackward after,
                                 Differentiable differentiable) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("grad: the loss must have one element, got shape " + loss.shape()
                    + "; sum it or use vjp(output, seed, inputs)");
        }
        return vjp(loss, Tensor.full(loss.dtype(), loss.shape(), 1.0), inputs, disconnected, after, differentiable);
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
        return vjp(output, seed, inputs, disconnected, after, Differentiable.NO);
    }

    /**
     * As {@link #vjp(Tensor, Tensor, List, Disconnected, AfterBackward)}, choosing whether the gradients are
     * differentiable (with respect to the forward's inputs and to {@code seed}). {@link Differentiable#YES} needs
     * {@link AfterBackward#KEEP_GRAPH}: the recorded backward reads the forward graph again when it is differentiated.
     *
     * @param output a tensor with a recorded graph
     * @param seed the cotangent, of output's shape
     * @param inputs the tensors to differentiate with respect to
     * @param disconnected what an input the output does not depend on gets
     * @param after what is left of the graph
     * @param differentiable whether the gradients are recorded
     * @return seedᵀ·∂output/∂input, by input
     */
    public static Gradients vjp(Tensor output, Tensor seed, List<Tensor> inputs, Disconnected disconnected,
                                AfterBackward after, Differentiable differentiable) {
        if (!seed.shape().equals(output.shape())) {
            throw new IllegalArgumentException("vjp: seed shape " + seed.shape() + " differs from output shape "
                    + output.shape());
        }
        boolean recordBackward = differentiable == Differentiable.YES;
        if (recordBackward && after == AfterBackward.FREE_GRAPH) {
            throw new IllegalArgumentException("vjp: Differentiable.YES needs AfterBackward.KEEP_GRAPH: the recorded"
                    + " gradients refer to the forward graph, which FREE_GRAPH would free");
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(output, seed.to(output.dtype()));
        boolean free = after == AfterBackward.FREE_GRAPH;
        boolean wasRecording = Graph.isRecording();
        boolean wasInRecordedBackward = Graph.inRecordedBackward();
        Graph.setRecording(recordBackward); // first order: the backward pass records nothing
        Graph.setInRecordedBackward(recordBackward);
        List<Tensor> internal = new java.util.ArrayList<>(); // values modules marked internal, freed by this pass
        List<Node> withCompanions = new java.util.ArrayList<>(); // freed nodes with constants to give back
        // Gradients are computed in the types the forward pass used, not in the caller's precision scope.
        try (Precision ignored = Precision.none()) {
            Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
            wanted.addAll(inputs);
            List<Tensor> order = Graph.topologicalOrder(output);
            Set<Tensor> leading = leadingToInputs(order, wanted);
            AdjointRecycler recycler = new AdjointRecycler(recordBackward);
            boolean firstOrderForward = free && !recordBackward && BufferPool.isEnabled() && !madeByBackward(order);
            BufferScope scope = firstOrderForward ? BufferScope.current() : null;
            for (int i = order.size() - 1; i >= 0; i--) {
                Tensor t = order.get(i);
                Tensor g = grads.get(t);
                if (g != null && t.node() != null && leading.contains(t)) {
                    propagate(t, g, grads, recordBackward, leading, recycler, !wanted.contains(t));
                    if (!wanted.contains(t)) {
                        grads.remove(t); // all its consumers are done: free the memory early
                        recycler.recycle(g, t, grads);
                    }
                }
                if (free) {
                    order.set(i, null); // the list must not keep the value alive either
                    if (t.node() != null) {
                        t.node().free(); // keeps the op's name and the internal mark
                        if (scope != null && !wanted.contains(t)) {
                            scope.addGraphValue(t);
                        }
                        if (firstOrderForward && t.node().internalTo() != null && !wanted.contains(t)
                                && t != output) {
                            internal.add(t);
                        }
                        if (firstOrderForward && !t.node().companions().isEmpty()) {
                            withCompanions.add(t.node());
                        }
                    }
                }
            }
        } finally {
            Graph.setRecording(wasRecording);
            Graph.setInRecordedBackward(wasInRecordedBackward);
        }
        Gradients result = collect(output, inputs, grads, disconnected);
        BufferScope scope = BufferScope.current();
        if (scope != null && free) {
            scope.keep(result.asList().toArray(new Tensor[0])); // a VJP may hand back a forward value as a gradient
        }
        recycleInternal(internal, withCompanions, result);
        return result;
    }

    /**
     * Gives back the values modules marked internal ({@link BufferPool#recycleAfterBackward}) whose nodes this pass
     * freed, and the constants attached to freed nodes ({@link BufferPool#recycleWithGraphOf}): nothing can read
     * them now. A returned gradient that shares one's array keeps it.
     */
    private static void recycleInternal(List<Tensor> internal, List<Node> withCompanions, Gradients result) {
        if (internal.isEmpty() && withCompanions.isEmpty()) {
            return;
        }
        Set<Object> returned = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor g : result.asList()) {
            if (g != null && g.hostArray() != null) {
                returned.add(g.hostArray());
            }
        }
        for (Tensor t : internal) {
            if (t.hostArray() != null && !returned.contains(t.hostArray())) {
                t.recycle("the output of '" + t.node().op() + "' (" + t.shape() + " " + t.dtype() + "), an activation "
                        + "inside '" + t.node().internalTo() + "', given back to the buffer pool when a backward pass "
                        + "freed its graph");
            }
        }
        for (Node node : withCompanions) {
            for (int i = 0; i < node.companions().size(); i++) {
                Tensor c = node.companions().get(i);
                if (c.hostArray() != null && !returned.contains(c.hostArray())) {
                    c.recycle("a constant made by '" + node.companionOwners().get(i) + "' (" + c.shape() + " "
                            + c.dtype() + "), given back to the buffer pool when a backward pass freed the graph "
                            + "that read it");
                }
            }
        }
    }

    /**
     * True when the graph holds nodes a recorded backward pass made: its values are gradients a second-order method
     * may still use after the pass, so none of the graph's values is given back.
     */
    private static boolean madeByBackward(List<Tensor> order) {
        for (Tensor t : order) {
            if (t.node() != null && t.node().madeByBackward()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The tensors of {@code order} (inputs before outputs) from which a wanted input can be reached: only their
     * gradients can contribute to the result, so no other tensor's gradient is kept or propagated. (Differentiating a
     * recorded backward pass with respect to its seed alone would otherwise carry adjoints through the whole forward
     * graph as well.)
     */
    private static Set<Tensor> leadingToInputs(List<Tensor> order, Set<Tensor> wanted) {
        Set<Tensor> leading = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : order) {
            // a freed node no longer lists its inputs: it counts as leading, so that reaching it is reported
            boolean leads = wanted.contains(t) || t.node() != null && t.node().isFreed();
            if (!leads && t.node() != null) {
                for (Tensor in : t.node().inputArray()) {
                    if (in != null && leading.contains(in)) {
                        leads = true;
                        break;
                    }
                }
            }
            if (leads) {
                leading.add(t);
            }
        }
        return leading;
    }

    /** Runs t's VJP for g; {@code gLeaves} = g leaves the map afterwards (t is not a wanted input). */
    private static void propagate(Tensor t, Tensor g, Map<Tensor, Tensor> grads, boolean recordBackward,
                                  Set<Tensor> leading, AdjointRecycler recycler, boolean gLeaves) {
        Node node = t.node();
        Tensor[] inputs = node.inputArray();
        if (node.isFreed()) {
            throw new IllegalStateException("grad: the graph through '" + node.op() + "' " + t.shape() + " "
                    + t.dtype() + " was freed by an earlier backward pass with AfterBackward.FREE_GRAPH;"
                    + " run the forward pass again, or use KEEP_GRAPH to differentiate one graph twice");
        }
        if (node.hasNoVjp()) {
            return; // stopGradient and friends
        }
        if (addInOnePass(node, g, grads, recordBackward, leading, recycler)) {
            return;
        }
        // g's array may be overwritten by the VJP where the recycler would give it back after this call anyway
        boolean gDead = gLeaves && !recordBackward && !Anomaly.isOn() && node.consumesGradient()
                && recycler.soleHolder(g, t, grads);
        Tensor[] inGrads = node.applyVjp(t, g, gDead);
        List<Tensor[]> summed = new java.util.ArrayList<>(0); // {previous, added, input}
        List<Tensor[]> unused = new java.util.ArrayList<>(0); // {gradient, input}: computed for an input that needs none
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
            if (in == null || gk == null) {
                continue;
            }
            if (!in.requiresGrad() || !leading.contains(in)) {
                unused.add(new Tensor[] {gk, in}); // a constant's gradient (sub's −g for its subtrahend, say)
                continue;
            }
            if (!gk.shape().equals(in.shape())) {
                throw new IllegalStateException("VJP of '" + node.op() + "' returned a gradient of shape "
                        + gk.shape() + " for input " + k + " of shape " + in.shape());
            }
            if (recordBackward && g.requiresGrad() && !gk.requiresGrad()) {
                // a VJP is linear in g: a result that lost g's graph was computed off the graph
                gk = SecondOrder.firstOrderOnly(node.op(), "its VJP is not recorded as ops", gk, g);
            }
            gk = gk.to(in.dtype());
            Tensor previous = grads.get(in);
            if (previous == null) {
                grads.put(in, gk);
            } else {
                grads.put(in, BinaryOps.add(previous, gk));
                summed.add(new Tensor[] {previous, gk, in});
            }
        }
        // The summands are dead unless a gradient still held shares their array; checked once every input's
        // gradient is in the map, since a VJP may return one tensor for several inputs.
        for (Tensor[] sum : summed) {
            recycler.recycle(sum[0], sum[2], grads);
            recycler.recycle(sum[1], sum[2], grads);
        }
        // Gradients for inputs that need none are dead at once, under the same rules (made in this pass, no held
        // gradient shares the array: a VJP may return one tensor for a constant and for an input that needs it).
        for (Tensor[] dead : unused) {
            recycler.recycle(dead[0], dead[1], grads);
        }
    }

    /**
     * A first-order pass through a single-input node whose input has a gradient already and whose VJP can add
     * itself to it ({@link AddingVjp}): the sum in one pass instead of the VJP's result and then an add, the same
     * bits ({@code previous + vjp(g)}, as the general path below computes it when the types agree). Returns false,
     * doing nothing, where the general path must run.
     */
    private static boolean addInOnePass(Node node, Tensor g, Map<Tensor, Tensor> grads, boolean recordBackward,
                                        Set<Tensor> leading, AdjointRecycler recycler) {
        if (recordBackward || !node.addsInOnePass() || Anomaly.isOn()) {
            return false;
        }
        Tensor in = node.inputArray()[0];
        Tensor previous = in == null ? null : grads.get(in);
        if (previous == null || !in.requiresGrad() || !leading.contains(in) || previous.dtype() != in.dtype()
                || !previous.shape().equals(in.shape())) {
            return false;
        }
        Tensor sum = node.applyAdding(g, previous);
        if (!sum.shape().equals(in.shape()) || sum.dtype() != in.dtype()) {
            throw new IllegalStateException("adding VJP of '" + node.op() + "' returned " + sum.shape() + " "
                    + sum.dtype() + " for input " + in.shape() + " " + in.dtype());
        }
        grads.put(in, sum);
        recycler.recycle(previous, in, grads);
        return true;
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
     * The Hessian-vector product H·v of the scalar {@code fn} at {@code x} (v of x's shape), by differentiating the
     * recorded gradient: H·v = ∇ₓ⟨∇ₓf(x), v⟩. Costs about two backward passes; H is never formed.
     * <pre>
     * Tensor x = Tensor.vector(1, 2).variable();
     * Tensor hv = Autodiff.hvp(t -> t.pow(3).sum(), x, Tensor.vector(1, 0));   // diag(6x)·[1, 0] = [6, 0]
     * </pre>
     * The result is a constant in x's type. An op on the way that has no second derivative throws
     * {@link UnsupportedOperationException} naming it.
     *
     * @param fn a scalar function
     * @param x where the Hessian is taken
     * @param v the vector, of x's shape
     * @return H·v, of x's shape
     */
    public static Tensor hvp(Function<Tensor, Tensor> fn, Tensor x, Tensor v) {
        Tensor xv = x.variable();
        return hvp(fn.apply(xv), List.of(xv), List.of(v), AfterBackward.FREE_GRAPH).get(0);
    }

    /**
     * Hessian-vector products of a recorded scalar {@code loss} with respect to several inputs at once (a network's
     * parameters): (H·v)ᵢ = ∂/∂xᵢ Σⱼ ⟨∂loss/∂xⱼ, vⱼ⟩, each vᵢ of its input's shape. The forward graph is kept, so
     * the same loss can give further products.
     *
     * @param loss a one-element tensor with a recorded graph
     * @param inputs the tensors the Hessian is taken with respect to
     * @param vectors one per input, of its shape
     * @return (H·v)ᵢ, one per input
     */
    public static List<Tensor> hvp(Tensor loss, List<Tensor> inputs, List<Tensor> vectors) {
        return hvp(loss, inputs, vectors, AfterBackward.KEEP_GRAPH);
    }

    /**
     * As {@link #hvp(Tensor, List, List)}; {@link AfterBackward#FREE_GRAPH} frees the forward and the recorded
     * backward graph during the second backward pass, which lowers the peak memory of a single product (the loss
     * then cannot be differentiated again).
     *
     * @param loss a one-element tensor with a recorded graph
     * @param inputs the tensors the Hessian is taken with respect to
     * @param vectors one per input, of its shape
     * @param after what is left of the graph afterwards
     * @return (H·v)ᵢ, one per input
     */
    public static List<Tensor> hvp(Tensor loss, List<Tensor> inputs, List<Tensor> vectors, AfterBackward after) {
        if (inputs.size() != vectors.size()) {
            throw new IllegalArgumentException("hvp: " + inputs.size() + " inputs but " + vectors.size() + " vectors");
        }
        Gradients g = grad(loss, inputs, Differentiable.YES);
        Tensor gv = null;
        // Summed from the last input to the first: the second pass then reaches each input's gradient op just before
        // the backward ops whose cotangent it read (a network lists its parameters from the first layer to the last),
        // so each adjoint is consumed soon after it is made, instead of one per layer being held from the start.
        for (int i = inputs.size() - 1; i >= 0; i--) {
            Tensor in = inputs.get(i);
            Tensor vi = vectors.get(i);
            if (!vi.shape().equals(in.shape())) {
                throw new IllegalArgumentException("hvp: vector " + i + " has shape " + vi.shape() + ", its input "
                        + in.shape());
            }
            Tensor term = g.get(i).mul(vi.constant().to(g.get(i).dtype())).sum();
            gv = gv == null ? term : gv.add(term);
        }
        if (gv == null || !gv.requiresGrad()) { // the gradient does not depend on the inputs: H = 0
            return zerosLike(inputs);
        }
        return grad(gv, inputs, Disconnected.ZERO, after).asList();
    }

    /**
     * The Jacobian-vector product J·v of {@code fn} at {@code x} (forward mode, v of x's shape, the result of fn's
     * output shape), by the double-VJP trick: u ↦ Jᵀu is linear in u, and its own VJP with seed v is J·v.
     * <pre>
     * Tensor x = Tensor.vector(1, 2).variable();
     * Tensor jv = Autodiff.jvp(t -> t.square(), x, Tensor.vector(1, 1));   // diag(2x)·[1, 1] = [2, 4]
     * </pre>
     * Every op on the way needs a differentiable VJP (see {@link Differentiable}); the result is a constant.
     *
     * @param fn a function of x
     * @param x where the Jacobian is taken
     * @param v the tangent, of x's shape
     * @return J·v, of fn's output shape
     */
    public static Tensor jvp(Function<Tensor, Tensor> fn, Tensor x, Tensor v) {
        if (!v.shape().equals(x.shape())) {
            throw new IllegalArgumentException("jvp: vector has shape " + v.shape() + ", x has " + x.shape());
        }
        Tensor xv = x.variable();
        Tensor y = fn.apply(xv);
        Tensor u = Tensor.full(y.dtype(), y.shape(), 0.0).variable(); // any u: Jᵀu is linear in it
        Tensor jtu = vjp(y, u, List.of(xv), Disconnected.ZERO, AfterBackward.KEEP_GRAPH, Differentiable.YES).get(0);
        if (!jtu.requiresGrad()) { // y does not depend on x
            return Tensor.full(y.dtype(), y.shape(), 0.0);
        }
        return vjp(jtu, v.constant().to(jtu.dtype()), List.of(u), Disconnected.ZERO).get(0);
    }

    private static List<Tensor> zerosLike(List<Tensor> inputs) {
        List<Tensor> zeros = new java.util.ArrayList<>(inputs.size());
        for (Tensor in : inputs) {
            zeros.add(Tensor.full(in.dtype(), in.shape(), 0.0));
        }
        return zeros;
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
     * Whether ops on this thread record a graph now: false inside {@link #noGrad} and while a first-order backward
     * pass runs (its VJPs are then plain computations, which an op's VJP may compute in a fused way), true otherwise
     * and in a recorded ({@link Differentiable#YES}) backward pass. PyTorch's {@code torch.is_grad_enabled()}.
     * A VJP that has a fused kernel for several gradients takes it only when nothing is recorded:
     * <pre>{@code
     * Tensor[] grads = Autodiff.isRecording()
     *         ? new Tensor[] {recordedGradientOfX(g), recordedGradientOfW(g)}   // differentiable again
     *         : fusedGradients(g);                                               // one pass, the same bits
     * }</pre>
     *
     * @return true while ops record their gradients
     */
    public static boolean isRecording() {
        return Graph.isRecording();
    }

    /**
     * Adds an op without touching the library: {@code forward} computes the value from the inputs (untracked),
     * {@code vjp} maps the output's gradient to the inputs' gradients.
     * <pre>
     * Tensor y = Autodiff.customVjp("cube", in -&gt; in[0].mul(in[0]).mul(in[0]),
     *         (in, out, g) -&gt; new Tensor[] {g.mul(in[0].square()).mul(3)}, x);
     * </pre>
     * <b>Second order.</b> Under {@link Differentiable#YES} the VJP runs recorded, on the op's inputs and its
     * (recorded) output: a VJP written with tensor ops, like the one above, is differentiated like any library op.
     * A VJP whose gradient does not reach the inputs or the output through ops (it read their values into a new
     * tensor) gets a gradient that throws {@link UnsupportedOperationException} naming the op when it is
     * differentiated again, instead of a wrong second derivative. A linear op, whose VJP rightly ignores its inputs,
     * is declared with {@link #customLinearVjp}.
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
        Tensor[] output = {value}; // the recorded output once it exists, for a VJP that uses it (as exp's does)
        Tensor recorded = Graph.record(name, value, inputs, g -> SecondOrder.customGradients(name, vjp, inputs,
                output[0], g));
        output[0] = recorded;
        return recorded;
    }

    /**
     * {@link #customVjp} for an op that is linear in its inputs (a filter, a stencil, a transform), whose VJP therefore
     * depends on the output gradient alone: the adjoint, applied to g.
     * <pre>
     * Tensor y = Autodiff.customLinearVjp("diffuse", in -> Fft2.filter(in[0], kernel),
     *         (in, out, g) -> new Tensor[] {Diffuse.fourier(g, kappa, dt)}, u);   // self-adjoint
     * </pre>
     * <b>Second order.</b> Its second derivative is zero, so a recorded backward pass only needs the VJP to be
     * differentiable in g: written with ops, or with linear custom ops like this one, it is; a VJP that returns g's
     * values off the graph gets a gradient that throws {@link UnsupportedOperationException} naming the op when it is
     * differentiated again. Declaring a non-linear op linear gives wrong second derivatives.
     *
     * @param name the op's name in errors and graphs
     * @param forward the value from the inputs' values
     * @param vjp the adjoint: input gradients from g
     * @param inputs the op's inputs
     * @return the value, recorded
     */
    public static Tensor customLinearVjp(String name, Function<Tensor[], Tensor> forward, CustomVjp vjp,
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
