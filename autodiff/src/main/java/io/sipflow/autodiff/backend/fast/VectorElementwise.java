package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 relu and its derivative (step) with the Vector API. The scalar {@code x > 0 ? x : 0} compiles to a
 * branch that random signs mispredict half the time; a compare and blend has no branch. Same values as
 * {@link UnaryOp#apply} (NaN and −0 give 0, as {@code x > 0} is false for them).
 */
final class VectorElementwise {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorElementwise() {
    }

    /** y[lo..hi) = op(x[lo..hi)) for RELU and STEP; false for any other op. */
    static boolean unary(UnaryOp op, float[] x, float[] y, int lo, int hi) {
        if (op != UnaryOp.RELU && op != UnaryOp.STEP) {
            return false;
        }
        boolean relu = op == UnaryOp.RELU;
        FloatVector zero = FloatVector.zero(S);
        FloatVector one = FloatVector.broadcast(S, 1f);
        int i = lo;
        for (int end = hi - S.length(); i <= end; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            VectorMask<Float> positive = v.compare(VectorOperators.GT, 0f);
            zero.blend(relu ? v : one, positive).intoArray(y, i);
        }
        for (; i < hi; i++) {
            y[i] = x[i] > 0f ? (relu ? x[i] : 1f) : 0f;
        }
        return true;
    }
}
