package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.UnaryOp;
import jdk.incubator.vector.FloatVector;
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
        // Two loops rather than one with a choice of vector inside: C2 boxes a vector that is a phi of two.
        FloatVector zero = FloatVector.zero(S);
        int i = lo;
        if (op == UnaryOp.RELU) {
            for (int end = hi - S.length(); i <= end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, i); // NaN stays NaN
            }
            for (; i < hi; i++) {
                y[i] = x[i] <= 0f ? 0f : x[i];
            }
        } else {
            FloatVector one = FloatVector.broadcast(S, 1f);
            for (int end = hi - S.length(); i <= end; i += S.length()) {
                FloatVector v = FloatVector.fromArray(S, x, i);
                zero.blend(one, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
            }
            for (; i < hi; i++) {
                y[i] = x[i] > 0f ? 1f : 0f;
            }
        }
        return true;
    }
}
