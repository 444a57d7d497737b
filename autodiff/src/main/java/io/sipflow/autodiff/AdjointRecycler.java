package io.sipflow.autodiff;

import java.util.Map;

/**
 * One backward pass's return of dead adjoints to {@link BufferPool}, so the next adjoint (or the next step's
 * activation) of the same size reuses the array instead of a fresh one.
 *
 * <p>An adjoint is dead when it has left the pass's gradient map (every consumer's VJP has run, or it was summed
 * into an accumulated gradient) and it is not a gradient the caller asked for. Its array is recycled only when:
 * <ul>
 *   <li>the pass is not recorded: a recorded pass (second order) keeps its adjoints as part of the graph it builds;</li>
 *   <li>the tensor was stored during this pass, so it is not a forward value (or anyone's earlier tensor) that a VJP
 *       handed back as a gradient;</li>
 *   <li>no gradient still in the map holds the same array (a VJP may return its cotangent itself, a view of it, or
 *       the same array re-wrapped, for one or more inputs);</li>
 *   <li>{@link BufferPool} issued the array and has not had it back (a user's array, or one already given back,
 *       never is).</li>
 * </ul>
 * A tensor that escaped anyway (a custom VJP that kept its cotangent in a field) throws on its next read, naming
 * the op, instead of showing changed values.
 */
final class AdjointRecycler {
    private final boolean on;
    private final long firstSerial;

    /** Starts a pass: storage made from now on belongs to it. */
    AdjointRecycler(boolean recordedPass) {
        this.on = !recordedPass && BufferPool.isEnabled();
        this.firstSerial = Storage.nextSerial();
    }

    /**
     * Recycles {@code dead}'s array if the rules above allow it.
     *
     * @param dead  an adjoint that has just left {@code grads}
     * @param of    the tensor whose gradient it was, named in the error a later read would throw
     * @param grads the gradients still held (wanted inputs included)
     */
    void recycle(Tensor dead, Tensor of, Map<Tensor, Tensor> grads) {
        if (!on || dead == null || !dead.storedSince(firstSerial)) {
            return;
        }
        Object array = dead.hostArray();
        if (array == null || !BufferPool.isIssued(array)) { // small and user arrays: skip the scan below
            return;
        }
        for (Tensor live : grads.values()) {
            if (live.holdsArray(array)) {
                return;
            }
        }
        dead.recycle("the gradient of " + describe(of) + " (" + dead.shape() + " " + dead.dtype() + "), whose array"
                + " the backward pass recycled once every op that needed it had run; keep a copy (toFloatArray(),"
                + " toDoubleArray()) made inside the VJP if it must outlive the pass");
    }

    /**
     * True when {@code t}, the gradient of {@code of}, would be recycled by the rules above once it leaves the map:
     * made in this pass, its array issued by the pool, and no other entry of {@code grads} holding that array. A VJP
     * may then write over that array instead of taking a fresh one.
     *
     * @param t the gradient held for {@code of}
     * @param of the tensor whose gradient it is (its own entry in {@code grads} is not counted)
     * @param grads the gradients held
     */
    boolean soleHolder(Tensor t, Tensor of, Map<Tensor, Tensor> grads) {
        if (!on || t == null || !t.storedSince(firstSerial)) {
            return false;
        }
        Object array = t.hostArray();
        if (array == null || !BufferPool.isIssued(array)) {
            return false;
        }
        for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
            if (e.getKey() != of && e.getValue().holdsArray(array)) {
                return false;
            }
        }
        return true;
    }

    private static String describe(Tensor t) {
        return t.node() != null ? "'" + t.node().op() + "'" : t.isVariable() ? "a variable" : "a constant";
    }
}
