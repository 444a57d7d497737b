package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.ProblemOption;
import io.sipflow.physics.train.ProblemProvider;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The "Problems" section at the end of {@code train}, {@code compare} and {@code sweep} help: every problem on the
 * class path with its one line, its options and the settings it suggests. Rendered when help is shown, so a
 * user's problem that fails to load breaks only the help that lists it, never {@code --version}.
 */
final class ProblemHelp {
    private ProblemHelp() {
    }

    /** Adds the section to {@code cl}'s help, after the options. */
    static void addTo(CommandLine cl) {
        cl.getCommandSpec().usageMessage().sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                help -> text());
    }

    static String text() {
        StringBuilder sb = new StringBuilder(String.format(
                "%nProblems (--problem NAME; each --option shown with its default):%n"));
        for (ProblemProvider p : Problems.all()) {
            sb.append(String.format(Locale.ROOT, "  %-8s %s%n", p.id(), p.description()));
            for (ProblemOption o : p.options()) {
                sb.append(String.format(Locale.ROOT, "           --option %s%n", o.describe()));
            }
            sb.append(String.format(Locale.ROOT, "           suggests (your flags win): %s%n", suggested(p)));
        }
        sb.append(String.format("A problem of your own: its jar on SIPFLOW_CLASSPATH (see docs/library.md).%n"));
        return sb.toString();
    }

    /**
     * "steps 300, batch 32, resolution 32, lr 0.001, … (sip)" for a SIP run of {@code p}: every setting a problem
     * may suggest ({@link Setting#suggested()}) that its run would record.
     */
    private static String suggested(ProblemProvider p) {
        try {
            TrainConfig c = Problems.withSuggestions(TrainConfig.builder().problem(p.id()).method(Method.SIP),
                    Map.of()).build();
            List<String> parts = new ArrayList<>();
            for (Setting<?> s : Settings.all()) {
                if (s.suggested() && s.recordedIn(c)) {
                    parts.add(s.flag().substring(2) + " " + c.get(s));
                }
            }
            return String.join(", ", parts) + " (sip)";
        } catch (RuntimeException e) {
            return "cannot say: " + e.getMessage();
        }
    }
}
