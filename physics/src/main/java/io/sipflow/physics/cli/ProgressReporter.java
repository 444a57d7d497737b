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
    private String lastTest = "";

    ProgressReporter(String name, int steps, PrintWriter out, boolean terminal) {
        this.out = out;
        this.name = name;
        this.bar = terminal ? new ProgressBarBuilder().setTaskName(name).setInitialMax(steps)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250).build() : null;
    }

    /** True when standard output is an interactive terminal. */
    static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void onStep(StepMetrics m) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(String.format(Locale.ROOT, "x_l2 %.3f%s", m.xL2().mean(), lastTest));
        } else if (m.step() % 10 == 0) {
            out.println("x_l2 " + m.xL2().format() + "  [" + name + " step " + m.step() + "]");
            out.flush();
        }
    }

    @Override
    public void onTest(TestMetrics t) {
        if (bar != null) {
            lastTest = String.format(Locale.ROOT, "  test %.3f", t.xL2Mean());
        } else {
            out.printf(Locale.ROOT, "%s test after %d steps: x_l2 %.3f ± %.3f  x_l1 %.3f%n", name, t.step(),
                    t.xL2Mean(), t.xL2Std(), t.xL1Mean());
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
