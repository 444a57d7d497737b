package io.sipflow.physics.cli;

import io.sipflow.nn.Checkpoint;
import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.plot.ExamplePictures;
import io.sipflow.physics.train.StepMetrics;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.Trainer;
import io.sipflow.physics.train.TrainerState;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files a training run leaves in its folder, each written by its own atomic rename (a reader sees the old
 * file or the new one, never half of one), then the manifest listing them as the run's own, last: a folder
 * without a manifest holds a run that has not finished writing. The run's checkpoint goes with them, so a
 * finished run can be extended with {@code --resume DIR --steps N}.
 */
final class RunOutputs {
    static final String METRICS_HEADER = "step,loss,x_l2_mean,x_l2_std,x_l2_min,x_l2_max,y_l2_mean,step_ms,wall_s";
    static final String TEST_HEADER = "step,x_l2_mean,x_l2_std,x_l1_mean";

    private RunOutputs() {
    }

    /**
     * metrics.csv, test.csv, model.npz, examples.png, curves.png, checkpoint.npz, checkpoint.json and run.json of
     * a finished (or stopped) run {@code runId} into {@code dir}, then the manifest. Errors name {@code dir}.
     */
    static void write(Trainer trainer, Path dir, String runId, String runJson) throws IOException {
        List<String> owned = new ArrayList<>();
        try {
            String headline = trainer.testHistory().get(0).headlineName();
            AtomicFiles.writeString(dir.resolve(own(owned, "metrics.csv")), metricsCsv(headline, trainer.stepHistory()));
            AtomicFiles.writeString(dir.resolve(own(owned, "test.csv")), testCsv(trainer.testHistory()));
            Checkpoint.save(dir.resolve(own(owned, "model.npz")), trainer.network());
            byte[] examples = ExamplePictures.png(trainer.problem(), trainer.network(), trainer.testBatch());
            if (examples != null) {
                AtomicFiles.writeBytes(dir.resolve(own(owned, "examples.png")), examples);
            }
            AtomicFiles.writeBytes(dir.resolve(own(owned, "curves.png")), curvesPng(trainer));
            TrainingRun.saveCheckpoint(trainer, dir.resolve(own(owned, TrainOptions.CHECKPOINT_NPZ)), runId);
            AtomicFiles.writeString(dir.resolve(own(owned, TrainOptions.CHECKPOINT_JSON)),
                    TrainingRun.checkpointJson(TrainingRun.continuation(trainer), runId));
            AtomicFiles.writeString(dir.resolve(own(owned, "run.json")), runJson);
            OutputFolder.writeManifest(dir, runId, owned);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot write the results to " + dir + ": " + describe(e), e);
        }
    }

    private static String own(List<String> owned, String name) {
        owned.add(name);
        return name;
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }

    static String metricsCsv(String headline, List<StepMetrics> steps) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "step,loss,%1$s_mean,%1$s_std,%1$s_min,%1$s_max,y_l2_mean,step_ms,wall_s%n", headline));
        double wallMs = 0;
        for (StepMetrics m : steps) {
            wallMs += m.stepMs(); // wall_s: the summed step time through this step, what a time budget counts
            sb.append(String.format(Locale.ROOT, "%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.3f,%.3f%n", m.step(), m.loss(),
                    m.headline().mean(), m.headline().std(), m.headline().min(), m.headline().max(), m.yL2Mean(),
                    m.stepMs(), wallMs / 1e3));
        }
        return sb.toString();
    }

    /** step, the headline's mean and std, then every other metric's mean. */
    static String testCsv(List<TestMetrics> tests) {
        TestMetrics first = tests.get(0);
        StringBuilder sb = new StringBuilder("step,").append(first.headlineName()).append("_mean,")
                .append(first.headlineName()).append("_std");
        for (String name : first.means().keySet()) {
            if (!name.equals(first.headlineName())) {
                sb.append(',').append(name).append("_mean");
            }
        }
        sb.append('\n');
        for (TestMetrics t : tests) {
            sb.append(String.format(Locale.ROOT, "%d,%.9g,%.9g", t.step(), t.headline().mean(), t.headline().std()));
            for (String name : t.means().keySet()) {
                if (!name.equals(t.headlineName())) {
                    sb.append(String.format(Locale.ROOT, ",%.9g", t.mean(name)));
                }
            }
            sb.append(String.format("%n"));
        }
        return sb.toString();
    }

    /** Steps averaged in each point of the training curves: single batches are noisy (fresh data every step). */
    static final int SMOOTHING = 10;

    /**
     * Training x_l2 and y_l2 (batch means, running mean over {@value #SMOOTHING} steps, drawn at the window's
     * centre) and test x_l2 over steps, log scale. The raw per-step values are in metrics.csv.
     */
    static byte[] curvesPng(Trainer trainer) {
        List<StepMetrics> history = trainer.stepHistory();
        int w = Math.max(1, Math.min(SMOOTHING, history.size()));
        List<Double> steps = new ArrayList<>();
        List<Double> xl2 = new ArrayList<>();
        List<Double> yl2 = new ArrayList<>();
        double sx = 0;
        double sy = 0;
        for (int i = 0; i < history.size(); i++) {
            sx += history.get(i).xL2().mean();
            sy += history.get(i).yL2Mean();
            if (i >= w) {
                sx -= history.get(i - w).xL2().mean();
                sy -= history.get(i - w).yL2Mean();
            }
            if (i >= w - 1) {
                steps.add(i - (w - 1) / 2.0);
                xl2.add(sx / w);
                yl2.add(sy / w);
            }
        }
        List<Integer> testSteps = new ArrayList<>();
        String headline = trainer.testHistory().get(0).headlineName();
        List<Double> testL2 = new ArrayList<>();
        for (TestMetrics t : trainer.testHistory()) {
            testSteps.add(t.step());
            testL2.add(t.xL2Mean());
        }
        String method = trainer.config().method().id().toUpperCase(java.util.Locale.ROOT);
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series(headline + " (train batches, " + w + "-step mean)", steps, xl2, false));
        if (!headline.equals("y_l2")) { // the sin problem's headline is y_l2 itself
            series.add(new Charts.Series("y_l2 (train batches, " + w + "-step mean)", steps, yl2, false));
        }
        series.add(new Charts.Series(headline + " (test batch)", testSteps, testL2, true));
        double zero = trainer.zeroEstimateMetrics().get(headline); // the reference a trained network must beat
        int last = Math.max(1, testSteps.get(testSteps.size() - 1));
        series.add(new Charts.Series(headline + " of x = 0 (test batch)", List.of(0, last), List.of(zero, zero), false,
                true));
        return Charts.logChart(method + " training (" + trainer.problem().describe() + ", batch "
                        + trainer.config().batch() + ")", "step",
                "l2 per example (batch mean)", series);
    }
}
