package io.sipflow.autodiff;

import java.util.List;

/**
 * One recorded op in the graph: its name, its inputs and its vector-Jacobian product. A backward pass run with
 * {@link Autodiff.AfterBackward#FREE_GRAPH} {@linkplain #free() frees} the node once its VJP has run: the inputs
 * and the values the VJP captured become garbage, only the op's name stays for error messages.
 */
public final class Node {
    private static final Tensor[] NONE = new Tensor[0];

    private final String op;
    private Tensor[] inputs;
    private Vjp vjp;
    private OutputVjp outputVjp;
    private AddingVjp addingVjp;
    private ConsumingVjp consumingVjp;
    private final boolean madeByBackward;
    private boolean freed;
    /**
     * Set by {@link BufferPool#recycleAfterBackward}: what the value is internal to; null for any other value. Kept
     * by {@link #free}, like the op's name: the pass that freed the node gives the value back afterwards.
     */
    private String internalTo;
    /** State only this node's VJP reads ({@link BufferPool#recycleWhenFreed}): given back when the node is freed. */
    private byte[] heldState;
    /**
     * Constants only this node's graph reads ({@link BufferPool#recycleWithGraphOf}), each with what made it: given
     * back when a freeing pass that freed this node ends. Kept by {@link #free}, like the internal mark.
     */
    private List<Tensor> companions = List.of();
    private List<String> companionOwners = List.of();

    Node(String op, Tensor[] inputs, Vjp vjp, OutputVjp outputVjp, boolean madeByBackward) {
        this.madeByBackward = madeByBackward;
        this.op = op;
        this.inputs = inputs;
        this.vjp = vjp;
        this.outputVjp = outputVjp;
    }

    /** {@return the op's name ("mul", "conv2d", ...), kept after the node is freed} */
    public String op() {
        return op;
    }

    /** {@return the tensors this op read; empty once the node is {@linkplain #isFreed() freed}} */
    public List<Tensor> inputs() {
        return List.of(inputs);
    }

    /** {@return true when a backward pass freed this node: the graph through it cannot be differentiated again} */
    public boolean isFreed() {
        return freed;
    }

    /** True when a recorded backward pass made this node: its value is a gradient, not a forward value. */
    boolean madeByBackward() {
        return madeByBackward;
    }

    /** Marks the value as read by nothing but the graph: given back once a freeing backward pass has run. */
    void markInternalTo(String owner) {
        internalTo = owner;
    }

    /** Keeps {@code state}, read by this node's VJP alone, until {@link #free} gives it back to the pool. */
    void holdUntilFreed(byte[] state) {
        heldState = state;
    }

    /** Adds {@code constant}, made by {@code owner}, to the constants given back after a pass that frees this node. */
    void addCompanion(Tensor constant, String owner) {
        if (companions.isEmpty()) {
            companions = new java.util.ArrayList<>(1);
            companionOwners = new java.util.ArrayList<>(1);
        }
        companions.add(constant);
        companionOwners.add(owner);
    }

    /** {@return the constants {@link #addCompanion} attached, in order} */
    List<Tensor> companions() {
        return companions;
    }

    /** {@return what made each of {@link #companions}, in the same order} */
    List<String> companionOwners() {
        return companionOwners;
    }

    /** {@return what marked the value internal ({@link #markInternalTo}), or null} */
    String internalTo() {
        return internalTo;
    }

    Tensor[] inputArray() {
        return inputs;
    }

    /** True when the op passes no gradient back (stopGradient and friends), or the node was freed. */
    boolean hasNoVjp() {
        return vjp == null && outputVjp == null;
    }

    /** The input gradients for output gradient {@code g}; {@code output} is the tensor this node is attached to. */
    Tensor[] applyVjp(Tensor output, Tensor g) {
        return vjp != null ? vjp.apply(g) : outputVjp.apply(output, g);
    }

    /** Sets the one-pass form of the VJP for an input that has a gradient already ({@link AddingVjp}). */
    void setAddingVjp(AddingVjp adding) {
        this.addingVjp = adding;
    }

    /** True when the op can add its VJP to its single input's earlier gradient in one pass. */
    boolean addsInOnePass() {
        return addingVjp != null && vjp != null && inputs.length == 1;
    }

    /** previous + the VJP for g, by {@link AddingVjp} ({@link #addsInOnePass} must hold). */
    Tensor applyAdding(Tensor g, Tensor previous) {
        return addingVjp.apply(g, previous);
    }

    /** Sets the form of the VJP that may overwrite a dead output gradient ({@link ConsumingVjp}). */
    void setConsumingVjp(ConsumingVjp consuming) {
        this.consumingVjp = consuming;
    }

    /** True when the VJP may write over its output gradient's array if the pass allows it. */
    boolean consumesGradient() {
        return consumingVjp != null && vjp != null;
    }

    /** {@link #applyVjp}, telling a {@link ConsumingVjp} whether g's array is dead after the call. */
    Tensor[] applyVjp(Tensor output, Tensor g, boolean gDead) {
        return consumingVjp != null ? consumingVjp.apply(g, gDead) : applyVjp(output, g);
    }

    /**
     * Drops the inputs and the VJP (and with it every value the VJP captured); gives the state held for the VJP back
     * to the pool, since the VJP can no longer run.
     */
    void free() {
        if (heldState != null) {
            BufferPool.giveBack(heldState);
            heldState = null;
        }
        inputs = NONE;
        vjp = null;
        outputVjp = null;
        addingVjp = null;
        consumingVjp = null;
        freed = true;
    }
}
