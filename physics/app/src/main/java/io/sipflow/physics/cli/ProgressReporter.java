package io.sipflow.physics.cli;

import io.sipflow.physics.train.StepMetrics;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.Trainer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a progress bar with ETA and the live x_l2 mean; otherwise (logs, pipes)
 * the seed's line every 10 steps, {@code x_l2 (batch=128) 10.493 ± 6.369 (2e+00...3e+01)  [sip step 10]}, and
 * each test result.
 */
final class ProgressReporter implements Trainer.Listener, AutoCloseable {
    private final PrintWriter out;
    private final String name;
    private final ProgressBar bar;
    private final java.util.function.IntConsumer onCheckpoint;
    private String lastTest = "";
    private String headline = "x_l2";

    ProgressReporter(String name, int steps, int done, PrintWriter out, boolean terminal,
                     java.util.function.IntConsumer onCheckpoint) {
        this.out = out;
        this.name = name;
        this.onCheckpoint = onCheckpoint;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(name).setInitialMax(steps)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250).build() : null;
        if (bar != null) {
            bar.stepTo(done);
        }
    }

    @Override
    public void onCheckpointDue(int step) {
        onCheckpoint.accept(step);
    }

    /** True when standard output is an interactive terminal. */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void onStep(StepMetrics m) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "%s %.3f%s", headline, m.headline().mean(), lastTest));
        } else if (m.step() % 10 == 0) {
            out.println(headline + " " + m.headline().format() + "  [" + name + " step " + m.step() + "]");
            out.flush();
        }
    }

    @Override
    public void onTest(TestMetrics t) {
        headline = t.headlineName();
        if (bar != null) {
            lastTest = String.format(Locale.ROOT, "  test %.3f", t.xL2Mean());
        } else {
            StringBuilder others = new StringBuilder();
            for (var e : t.means().entrySet()) {
                if (!e.getKey().equals(t.headlineName())) {
                    others.append(String.format(Locale.ROOT, "  %s %.3f", e.getKey(), e.getValue()));
                }
            }
            out.printf(Locale.ROOT, "%s test after %d steps: %s %.3f ± %.3f%s%n", name, t.step(), t.headlineName(),
                    t.headline().mean(), t.headline().std(), others);
            out.flush();
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
