package io.sipflow.nn;

import io.sipflow.autodiff.Tensor;

/**
 * A training step met a NaN or an infinity: in the loss, in a parameter's gradient, or in a parameter's updated
 * value. The step that threw changed nothing (see {@link Training#updateWeights}); {@link #what()} says where, e.g.
 * "the gradient of inc.conv1.weight (12 of 144 values non-finite, first at index 3: NaN)".
 */
public final class NonFiniteException extends ArithmeticException {
    private final String what;

    public NonFiniteException(String what) {
        super("non-finite values in " + what);
        this.what = what;
    }

    /** Where the non-finite values were, in words. */
    public String what() {
        return what;
    }

    /** Throws if {@code t} holds a NaN or an infinity, describing it as {@code name} with count and first index. */
    public static void check(String name, Tensor t) {
        int n = t.size();
        int count = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(t.getFlat(i))) {
                count++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (count > 0 && n == 1) {
            throw new NonFiniteException(name + " (" + t.getFlat(first) + ")");
        }
        if (count > 0) {
            throw new NonFiniteException(name + " (" + count + " of " + n + " values non-finite, first at index "
                    + first + ": " + t.getFlat(first) + ")");
        }
    }
}
