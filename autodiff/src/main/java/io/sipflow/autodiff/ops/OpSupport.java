package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;

/** What every op does before computing: pick the backend and bring inputs to the op's type. */
final class OpSupport {
    private OpSupport() {
    }

    static Backend backend() {
        return Backends.current();
    }

    /** Type a binary op computes in (the scope's, else the promotion), see {@link Precision}. */
    static DType resultType(Tensor a, Tensor b) {
        return Precision.resultType(a.dtype(), b.dtype());
    }

    /** {@code t} in type {@code d}; a recorded cast when it changes anything. */
    static Tensor as(Tensor t, DType d) {
        return t.dtype() == d ? t : CastOps.to(t, d);
    }

    /** {@code t} in the unary result type (the scope's, else its own). */
    static Tensor asResult(Tensor t) {
        return as(t, Precision.resultType(t.dtype()));
    }

    static void requireNonNull(String op, Tensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            if (ts[i] == null) {
                throw new IllegalArgumentException(op + ": input " + i + " is null");
            }
        }
    }
}
