package io.sipflow.nn;

import io.sipflow.autodiff.backend.Backends;

import io.sipflow.autodiff.Tensor;

import java.util.Map;

/**
 * A training step met a NaN or an infinity: in the loss, in a parameter's gradient, or in a parameter's updated
 * value. The step that threw changed nothing (see {@link Training#updateWeights}); {@link #what()} says where, e.g.
 * "the gradient of inc.conv1.weight (12 of 144 values non-finite, first at index 3: NaN)".
 */
public final class NonFiniteException extends ArithmeticException {
    /** Where the non-finite values were, in words. */
    private final String what;

    /**
     * An exception with message "non-finite values in " + {@code what}.
     *
     * @param what where the values were, e.g. "the loss (NaN)"
     */
    public NonFiniteException(String what) {
        super("non-finite values in " + what);
        this.what = what;
    }

    /** {@return where the non-finite values were, in words} */
    public String what() {
        return what;
    }

    /**
     * Throws for the first of {@code named} tensors that holds a NaN or an infinity, describing it as
     * {@code prefix + name}. One reduction over all of them comes first, Σ_t Σ(0·t), which is 0 exactly when every
     * value is finite (0·±∞ and 0·NaN are NaN): a single value is read, so tensors resident on a device are only
     * copied to the host when something is wrong.
     *
     * @param prefix put before each name in the message, e.g. "the gradient of "
     * @param named the tensors to check, in the order they are reported
     * @throws NonFiniteException for the first tensor holding a NaN or an infinity
     */
    public static void checkAll(String prefix, Map<String, Tensor> named) {
        // in each tensor's own type: a cast could move a device tensor to the host; a device backend may fuse it
        Tensor probe = named.isEmpty() ? null
                : Backends.current().nonFiniteProbe(java.util.List.copyOf(named.values()));
        if (probe == null || Double.isFinite(probe.item())) {
            return;
        }
        for (Map.Entry<String, Tensor> e : named.entrySet()) {
            check(prefix + e.getKey(), e.getValue());
        }
    }

    /**
     * Throws if {@code t} holds a NaN or an infinity, describing it as {@code name} with count and first index.
     *
     * @param name how the message refers to the tensor
     * @param t the tensor to scan
     * @throws NonFiniteException if any value is NaN or infinite
     */
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
