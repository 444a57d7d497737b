package io.sipflow.gpu;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall-clock time per kernel, opt-in with {@code -Dsipflow.opencl.profile=FILE} (or {@code =true} for standard
 * error, which a command line tool may have closed by then): each launch is timed from the
 * call to its return (Aparapi waits for the kernel to finish before {@code execute} returns) and summed under the
 * op's name (the launch label up to its first space; with {@code -Dsipflow.opencl.profile.labels=true}, under the
 * whole label, which names the shapes); the table is written when the JVM exits. Off by default: the label is then
 * never looked at and the timing costs two clock reads per launch.
 */
final class LaunchProfile {
    private static final String TARGET = System.getProperty("sipflow.opencl.profile", "");
    static final boolean ENABLED = !TARGET.isEmpty() && !TARGET.equals("false");
    private static final boolean LABELS = Boolean.getBoolean("sipflow.opencl.profile.labels");
    private static final Map<String, long[]> TOTALS = new HashMap<>();

    static {
        if (ENABLED) {
            Runtime.getRuntime().addShutdownHook(new Thread(LaunchProfile::print, "sipflow-opencl-profile"));
        }
    }

    private LaunchProfile() {
    }

    /** Adds one launch of {@code nanos} under the first word of {@code what} (or all of it, see above). */
    static synchronized void record(String what, long nanos) {
        int space = LABELS ? -1 : what.indexOf(' ');
        String key = space < 0 ? what : what.substring(0, space);
        long[] t = TOTALS.computeIfAbsent(key, k -> new long[2]);
        t[0]++;
        t[1] += nanos;
    }

    /** The table: launches, total ms and share per op name, the largest first. */
    static synchronized String table() {
        List<Map.Entry<String, long[]>> rows = new ArrayList<>(TOTALS.entrySet());
        rows.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
        long all = 0;
        for (Map.Entry<String, long[]> r : rows) {
            all += r.getValue()[1];
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-32s %9s %11s %7s%n", "opencl kernel",
                "launches", "total ms", "share"));
        for (Map.Entry<String, long[]> r : rows) {
            sb.append(String.format(Locale.ROOT, "%-32s %9d %11.1f %6.1f%%%n", r.getKey(), r.getValue()[0],
                    r.getValue()[1] / 1e6, 100.0 * r.getValue()[1] / Math.max(1, all)));
        }
        return sb.toString();
    }

    private static void print() {
        if (TARGET.equals("true")) {
            System.err.print(table());
            return;
        }
        try {
            java.nio.file.Files.writeString(java.nio.file.Path.of(TARGET), table());
        } catch (java.io.IOException e) {
            System.err.println("sipflow.opencl.profile: cannot write " + TARGET + ": " + e);
        }
    }
}
