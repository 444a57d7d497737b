package io.sipflow.physics.train;

import java.util.Locale;

/** How the network's weights are updated. */
public enum Method {
    /** Scale-invariant physics: regress the prediction onto x + P⁻¹(y* − P(x)). */
    SIP,
    /** Gradient descent through the differentiable physics: minimise ½‖P(pred) − y*‖². */
    GD;

    /** "sip" or "gd", as on the command line and in file names. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses "sip" / "gd" (any case), naming the valid values otherwise. */
    public static Method parse(String s) {
        for (Method m : values()) {
            if (m.id().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + s + "'; expected sip or gd");
    }
}
