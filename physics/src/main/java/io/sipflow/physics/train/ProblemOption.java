package io.sipflow.physics.train;

import java.util.Locale;
import java.util.function.DoublePredicate;

/**
 * One setting a problem declares for {@code --option NAME=VALUE}: its name (run.json records it as
 * {@code option.NAME}), its default, one line of help, and which values it accepts.
 * <pre>
 *   ProblemOption.of("xi", 10, "conditioning: stretches one direction of x by xi", v -> v > 0, "> 0")
 * </pre>
 *
 * @param name         the option's name, letters, digits and underscores
 * @param defaultValue its value where the user gave none
 * @param help         one line for {@code sipflow help train}
 * @param valid        which values it accepts
 * @param requirement  what {@code valid} asks for, in words ("> 0"), for the error message
 */
public record ProblemOption(String name, double defaultValue, String help, DoublePredicate valid, String requirement) {
    /**
     * Checks the name and that {@code valid} accepts the default.
     *
     * @param name         the option's name, letters, digits and underscores
     * @param defaultValue its value where the user gave none
     * @param help         one line for help
     * @param valid        which values it accepts
     * @param requirement  what {@code valid} asks for, in words
     * @throws IllegalArgumentException for a name that is not a plain identifier or a default {@code valid} refuses
     */
    public ProblemOption {
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("problem option name '" + name
                    + "' must start with a letter and hold only letters, digits and underscores");
        }
        if (!valid.test(defaultValue)) {
            throw new IllegalArgumentException("problem option " + name + ": its default " + defaultValue
                    + " is not " + requirement);
        }
    }

    /**
     * An option with a range check; NaN and infinities are refused as well.
     *
     * @param name         the option's name
     * @param defaultValue its value where the user gave none
     * @param help         one line for help
     * @param valid        which finite values it accepts
     * @param requirement  what {@code valid} asks for, in words ("&gt; 0")
     * @return the option
     */
    public static ProblemOption of(String name, double defaultValue, String help, DoublePredicate valid,
                                   String requirement) {
        return new ProblemOption(name, defaultValue, help, v -> Double.isFinite(v) && valid.test(v),
                "a finite number " + requirement);
    }

    /**
     * An option that takes any finite number.
     *
     * @param name         the option's name
     * @param defaultValue its value where the user gave none
     * @param help         one line for help
     * @return the option
     */
    public static ProblemOption of(String name, double defaultValue, String help) {
        return new ProblemOption(name, defaultValue, help, Double::isFinite, "a finite number");
    }

    /**
     * Checks one value of this option.
     *
     * @param problem the problem's id, for the message
     * @param value   the value given
     * @return {@code value}
     * @throws IllegalArgumentException naming the problem, the option and what it accepts
     */
    public double check(String problem, double value) {
        if (!valid.test(value)) {
            throw new IllegalArgumentException("--option " + name + "=" + value + ": problem " + problem
                    + " needs " + name + " to be " + requirement);
        }
        return value;
    }

    /** {@return "xi=10: conditioning ...": the name, the default and the help, for help text} */
    public String describe() {
        return String.format(Locale.ROOT, "%s=%s: %s", name, number(defaultValue), help);
    }

    /** 10 rather than 10.0; other values as Java prints them. */
    static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
