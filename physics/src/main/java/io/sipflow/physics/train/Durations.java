package io.sipflow.physics.train;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the command line and run.json write them: "600s", "10m", "1.5h", or plain seconds ("90", "600.0"). */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?)\\s*([smh]?)\\s*");

    private Durations() {
    }

    /**
     * The seconds in {@code text}: a non-negative number with an optional unit s, m or h.
     *
     * @param text e.g. "600s", "10m", "1.5h", "90"
     * @return the duration in seconds
     * @throws IllegalArgumentException naming the text when it is not such a duration
     */
    public static double seconds(String text) {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; give e.g. 600s, 10m or 1.5h"
                    + " (0: no budget)");
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "m" -> v * 60;
            case "h" -> v * 3600;
            default -> v;
        };
    }
}
