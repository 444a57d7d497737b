package io.sipflow.physics.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the network's weights are updated (see {@link TrainingStep}). */
public enum Method {
    /** Scale-invariant physics: regress the prediction onto x + P⁻¹(y* − P(x)), with Adam. */
    SIP,
    /** Gradient descent through the differentiable physics: minimise ½‖P(pred) − y*‖² with Adam. */
    GD,
    /** The same loss as GD with plain stochastic gradient descent. */
    SGD,
    /** Half-inverse gradients: Δθ = −η·V·Σ^(−1/2)·Uᵀ·∂L/∂y from the batch Jacobian's SVD. */
    HIG;

    /** {@return "sip", "gd", "sgd" or "hig", as on the command line and in file names} */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a method name.
     *
     * @param s a method's id, any case, surrounding blanks ignored
     * @return the method
     * @throws IllegalArgumentException for an unknown name, naming the valid ones
     */
    public static Method parse(String s) {
        List<String> ids = new ArrayList<>();
        for (Method m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
            ids.add(m.id());
        }
        throw new IllegalArgumentException("unknown method '" + s + "'; expected one of " + String.join(", ", ids));
    }
}
