package io.sipflow.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Records ops for reverse mode and shows the recorded graph.
 *
 * <p>{@link #record} is the one place where nodes are made: every op in {@code io.sipflow.autodiff.ops} computes
 * its value, then hands the value, its inputs and its VJP here. A node is kept only when some input
 * {@link Tensor#requiresGrad() requires a gradient} and recording is on (see {@link Autodiff#noGrad(java.util.function.Supplier)}).
 */
public final class Graph {
    private static final ThreadLocal<Boolean> RECORDING_OFF = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private static final ThreadLocal<Boolean> IN_RECORDED_BACKWARD = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Graph() {
    }

    /**
     * Attaches a node to {@code value} if any input requires a gradient; otherwise returns {@code value}.
     *
     * @param op     the op's name, shown in errors and in {@link #toDot}
     * @param value  the op's result, computed without the graph
     * @param inputs the tensors the op read
     * @param vjp    gradients for {@code inputs} given the gradient of the result; null for an op through which no
     *               gradient flows (shown in the graph, like {@code stopGradient})
     * @return {@code value} with a node attached, or {@code value} itself when nothing is recorded
     */
    public static Tensor record(String op, Tensor value, Tensor[] inputs, Vjp vjp) {
        return record(op, value, inputs, vjp, null);
    }

    /**
     * As {@link #record(String, Tensor, Tensor[], Vjp)} for a VJP that reads the op's output (eˣ, √x): it is handed
     * the recorded output, so that a recorded backward pass differentiates through the output too.
     *
     * @param op the op's name
     * @param value the op's result
     * @param inputs the tensors the op read
     * @param vjp gradients for inputs given the recorded output and its gradient
     * @return value, with a node when an input requires a gradient
     */
    public static Tensor recordWithOutput(String op, Tensor value, Tensor[] inputs, OutputVjp vjp) {
        return record(op, value, inputs, null, vjp);
    }

    private static Tensor record(String op, Tensor value, Tensor[] inputs, Vjp vjp, OutputVjp outputVjp) {
        if (Anomaly.isOn() && !RECORDING_OFF.get()) { // not inside a VJP: the sweep checks those whole
            Anomaly.checkForward(op, value, inputs);
        }
        if (RECORDING_OFF.get() || !anyRequiresGrad(inputs)) {
            BufferScope.noteComputed(op, value);
            return value;
        }
        return value.withNode(new Node(op, inputs.clone(), vjp, outputVjp, IN_RECORDED_BACKWARD.get()));
    }

    /**
     * Single-input form of {@link #record(String, Tensor, Tensor[], Vjp)}.
     *
     * @param op the op's name
     * @param value the op's result, computed without the graph
     * @param input the tensor the op read
     * @param vjp the gradient for {@code input} given the gradient of the result, as a one-element array
     * @return {@code value} with a node attached, or {@code value} itself when nothing is recorded
     */
    public static Tensor record(String op, Tensor value, Tensor input, Vjp vjp) {
        return record(op, value, new Tensor[] {input}, vjp);
    }

    /**
     * As {@link #record(String, Tensor, Tensor, Vjp)}, with the same VJP also in a form that adds its result to a
     * gradient the input already has ({@link AddingVjp}), which first-order backward passes use when the input is
     * read by more than one op.
     *
     * @param op the op's name
     * @param value the op's result, computed without the graph
     * @param input the tensor the op read
     * @param vjp the gradient for {@code input} given the gradient of the result, as a one-element array
     * @param adding previous + vjp(g)[0], bit for bit, in one pass
     * @return {@code value} with a node attached, or {@code value} itself when nothing is recorded
     */
    public static Tensor record(String op, Tensor value, Tensor input, Vjp vjp, AddingVjp adding) {
        Tensor out = record(op, value, new Tensor[] {input}, vjp);
        if (out != value && out.node() != null) { // a node was attached here
            out.node().setAddingVjp(adding);
        }
        return out;
    }

    /**
     * As {@link #record(String, Tensor, Tensor[], Vjp)}, with a VJP that first-order backward passes may let write
     * over the output gradient's array when nothing reads it afterwards ({@link ConsumingVjp}); elsewhere it is
     * called with {@code gradOutputDead} false.
     *
     * @param op the op's name
     * @param value the op's result, computed without the graph
     * @param inputs the tensors the op read
     * @param vjp gradients for {@code inputs} given the gradient of the result and whether its array is dead
     * @return {@code value} with a node attached, or {@code value} itself when nothing is recorded
     */
    public static Tensor recordConsuming(String op, Tensor value, Tensor[] inputs, ConsumingVjp vjp) {
        Tensor out = record(op, value, inputs, g -> vjp.apply(g, false));
        if (out != value && out.node() != null) { // a node was attached here
            out.node().setConsumingVjp(vjp);
        }
        return out;
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    static boolean isRecording() {
        return !RECORDING_OFF.get();
    }

    static void setRecording(boolean on) {
        RECORDING_OFF.set(!on);
    }

    /** True while a recorded ({@link Autodiff.Differentiable#YES}) backward pass runs on this thread. */
    static boolean inRecordedBackward() {
        return IN_RECORDED_BACKWARD.get();
    }

    /** Marks the nodes made from now on as made by a recorded backward pass (second-order graphs). */
    static void setInRecordedBackward(boolean on) {
        IN_RECORDED_BACKWARD.set(on);
    }

    /**
     * Every tensor that {@code root} depends on through recorded nodes, in topological order (inputs before the
     * tensors computed from them; {@code root} last). Iterative, so a 100,000-op chain does not overflow the stack.
     *
     * @param root the tensor whose history is walked
     * @return the tensors that require a gradient (and {@code root}), each once, inputs first
     */
    public static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> order = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object[]> stack = new ArrayDeque<>(); // {tensor, next input index}
        stack.push(new Object[] {root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.node() == null ? new Tensor[0] : t.node().inputArray();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) {
                    stack.push(new Object[] {in, 0});
                }
            } else {
                stack.pop();
                order.add(t);
            }
        }
        return order;
    }

    /**
     * Graphviz text of the graph that produced {@code root}: one box per tensor (op, shape, dtype), arrows from
     * inputs to outputs. Render with {@code dot -Tpng}.
     *
     * @param root the tensor whose history is drawn (drawn bold)
     * @return a {@code digraph} in the dot language
     */
    public static String toDot(Tensor root) {
        Map<Tensor, Integer> ids = new IdentityHashMap<>();
        StringBuilder sb = new StringBuilder("digraph sipflow {\n  rankdir=LR;\n  node [shape=box, fontname=monospace];\n");
        for (Tensor t : topologicalOrder(root)) {
            int id = ids.size();
            ids.put(t, id);
            String label = (t.node() != null ? t.node().op() : t.isVariable() ? "variable" : "constant")
                    + "\\n" + t.shape() + " " + t.dtype();
            sb.append("  t").append(id).append(" [label=\"").append(label).append("\"");
            if (t == root) {
                sb.append(", style=bold");
            }
            sb.append("];\n");
            if (t.node() != null) {
                for (Tensor in : t.node().inputArray()) {
                    if (in != null && ids.containsKey(in)) {
                        sb.append("  t").append(ids.get(in)).append(" -> t").append(id).append(";\n");
                    }
                }
            }
        }
        return sb.append("}\n").toString();
    }
}
