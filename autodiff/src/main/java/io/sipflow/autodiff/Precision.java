package io.sipflow.autodiff;

/**
 * A per-thread precision scope, like PhiFlow's {@code math.precision(32)}:
 * <pre>
 * try (var p = Precision.use(DType.FLOAT32)) {
 *     prediction = net.forward(observation);   // inputs are cast to FLOAT32, results are FLOAT32
 * }
 * </pre>
 * Inside a scope, factories create tensors of the scope's type and every op casts its inputs to it (the cast
 * is a recorded op, so gradients flow back in the input's own type). Outside any scope, factories create
 * FLOAT64 and binary ops on mixed types promote to FLOAT64. Closing restores the previous setting, also
 * when the body throws; scopes nest.
 */
public final class Precision implements AutoCloseable {
    private static final ThreadLocal<DType> CURRENT = new ThreadLocal<>();

    private final DType previous;
    private final Thread owner;
    private boolean closed;

    private Precision(DType previous) {
        this.previous = previous;
        this.owner = Thread.currentThread();
    }

    /**
     * Opens a scope in which tensors are created and computed in {@code dtype}, on this thread.
     *
     * @param dtype the scope's type
     * @return the scope; close it on the same thread (try-with-resources) to restore the previous setting
     * @throws IllegalArgumentException if {@code dtype} is null
     */
    public static Precision use(DType dtype) {
        if (dtype == null) {
            throw new IllegalArgumentException("Precision.use: dtype must not be null");
        }
        Precision scope = new Precision(CURRENT.get());
        CURRENT.set(dtype);
        return scope;
    }

    /** Leaves any scope until the returned handle is closed; backward passes use it. */
    static Precision none() {
        Precision scope = new Precision(CURRENT.get());
        CURRENT.remove();
        return scope;
    }

    /** {@return the scope's type on this thread, or null outside any scope} */
    public static DType current() {
        return CURRENT.get();
    }

    /** {@return the type new tensors get when none is named: the scope's, else FLOAT64} */
    public static DType defaultType() {
        DType d = CURRENT.get();
        return d == null ? DType.FLOAT64 : d;
    }

    /**
     * The type a binary op computes in: the scope's, else the promotion of its inputs' types.
     *
     * @param a the first input's type
     * @param b the second input's type
     * @return the scope's type, else {@link DType#promote(DType, DType)}
     */
    public static DType resultType(DType a, DType b) {
        DType d = CURRENT.get();
        return d != null ? d : DType.promote(a, b);
    }

    /**
     * The type a unary op computes in: the scope's, else the input's.
     *
     * @param a the input's type
     * @return the scope's type, else {@code a}
     */
    public static DType resultType(DType a) {
        DType d = CURRENT.get();
        return d != null ? d : a;
    }

    /**
     * Restores the setting from before this scope; closing twice does nothing.
     *
     * @throws IllegalStateException if called on another thread than the one that opened the scope
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a Precision scope must be closed on the thread that opened it");
        }
        closed = true;
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
