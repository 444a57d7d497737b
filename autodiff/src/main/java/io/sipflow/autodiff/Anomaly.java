package io.sipflow.autodiff;

import java.util.StringJoiner;

/**
 * Anomaly detection, like PyTorch's {@code torch.autograd.detect_anomaly}: inside {@link #detect()} every op's
 * forward value and every VJP's gradients are checked, and the first NaN or infinity throws
 * {@link AnomalyException} naming the op and the shapes involved.
 * <pre>
 * try (Anomaly.Scope s = Anomaly.detect()) {
 *     Autodiff.grad(loss(), params);       // AnomalyException: forward of 'log' produced 3 non-finite values …
 * }
 * </pre>
 * Forward values are checked while a graph is being recorded (not under {@link Autodiff#noGrad}). Off (the
 * default) it costs one static boolean read per op; on, every value is scanned (slow: for debugging).
 */
public final class Anomaly {
    private static volatile boolean on;

    private Anomaly() {
    }

    /**
     * Switches detection on, on all threads, until the scope closes.
     *
     * @return the scope; close it (try-with-resources) to restore the previous setting
     */
    public static Scope detect() {
        return new Scope();
    }

    /** Restores the previous setting when closed. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous = on;

        private Scope() {
            on = true;
        }

        @Override
        public void close() {
            on = previous;
        }
    }

    static boolean isOn() {
        return on;
    }

    /** Called by {@link Graph#record} with each op's value. */
    static void checkForward(String op, Tensor value, Tensor[] inputs) {
        int bad = countNonFinite(value);
        if (bad > 0) {
            throw new AnomalyException(op, "the forward pass of '" + op + "' produced " + bad + " non-finite value"
                    + (bad == 1 ? "" : "s") + " (first " + firstNonFinite(value) + ") in its output "
                    + describe(value) + " from inputs " + describe(inputs));
        }
    }

    /** Called by the backward sweep with the gradients a VJP returned for its inputs. */
    static void checkBackward(String op, Tensor gradOut, Tensor[] inGrads, Tensor[] inputs) {
        for (int k = 0; k < inGrads.length; k++) {
            if (inGrads[k] != null && countNonFinite(inGrads[k]) > 0) {
                throw new AnomalyException(op, "the VJP of '" + op + "' produced " + countNonFinite(inGrads[k])
                        + " non-finite values (first " + firstNonFinite(inGrads[k]) + ") in the gradient of input " + k
                        + " " + describe(inGrads[k]) + "; the incoming gradient " + describe(gradOut) + ", inputs "
                        + describe(inputs));
            }
        }
    }

    private static String describe(Tensor[] ts) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (Tensor t : ts) {
            j.add(t == null ? "none" : describe(t));
        }
        return j.toString();
    }

    private static String describe(Tensor t) {
        int bad = countNonFinite(t);
        return t.shape() + " " + t.dtype() + (bad > 0 ? " with " + bad + " non-finite" : " finite");
    }

    private static int countNonFinite(Tensor t) {
        int n = 0;
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.getFlat(i))) {
                n++;
            }
        }
        return n;
    }

    private static String firstNonFinite(Tensor t) {
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.getFlat(i))) {
                return t.getFlat(i) + " at index " + i;
            }
        }
        return "none";
    }
}
