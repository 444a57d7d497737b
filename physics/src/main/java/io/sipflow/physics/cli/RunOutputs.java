package io.sipflow.physics.cli;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Checkpoint;
import io.sipflow.nn.UNet;
import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.plot.FieldGrid;
import io.sipflow.physics.train.HeatTraining;
import io.sipflow.physics.train.StepMetrics;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The files a training run leaves in its folder, each written atomically. */
final class RunOutputs {
    static final String METRICS_HEADER = "step,loss,x_l2_mean,x_l2_std,x_l2_min,x_l2_max,y_l2_mean,step_ms";
    static final String TEST_HEADER = "step,x_l2_mean,x_l2_std,x_l1_mean";
    static final int EXAMPLE_ROWS = 3;

    private RunOutputs() {
    }

    /** metrics.csv, test.csv, model.npz, examples.png, curves.png and run.json of a finished run. */
    static void write(Trainer trainer, Path dir, String runJson) throws IOException {
        AtomicFiles.writeString(dir.resolve("metrics.csv"), metricsCsv(trainer.stepHistory()));
        AtomicFiles.writeString(dir.resolve("test.csv"), testCsv(trainer.testHistory()));
        saveModel(trainer.network(), dir.resolve("model.npz"));
        AtomicFiles.writeBytes(dir.resolve("examples.png"), examplesPng(trainer.network(), trainer.testBatch()));
        AtomicFiles.writeBytes(dir.resolve("curves.png"), curvesPng(trainer));
        AtomicFiles.writeString(dir.resolve("run.json"), runJson);
    }

    static void saveModel(UNet net, Path target) throws IOException {
        AtomicFiles.write(target, tmp -> Checkpoint.save(tmp, net));
    }

    static String metricsCsv(List<StepMetrics> steps) {
        StringBuilder sb = new StringBuilder(METRICS_HEADER).append('\n');
        for (StepMetrics m : steps) {
            sb.append(String.format(Locale.ROOT, "%d,%.9g,%.9g,%.9g,%.9g,%.9g,%.9g,%.3f%n", m.step(), m.loss(),
                    m.xL2().mean(), m.xL2().std(), m.xL2().min(), m.xL2().max(), m.yL2Mean(), m.stepMs()));
        }
        return sb.toString();
    }

    static String testCsv(List<TestMetrics> tests) {
        StringBuilder sb = new StringBuilder(TEST_HEADER).append('\n');
        for (TestMetrics t : tests) {
            sb.append(String.format(Locale.ROOT, "%d,%.9g,%.9g,%.9g%n", t.step(), t.xL2Mean(), t.xL2Std(),
                    t.xL1Mean()));
        }
        return sb.toString();
    }

    /** Ground truth, observation and prediction of the first test examples, as in the notebook's last cell. */
    static byte[] examplesPng(UNet net, Tensor xGt) {
        int rows = Math.min(EXAMPLE_ROWS, xGt.dim(0));
        Tensor x = xGt.slice(0, 0, rows);
        Tensor y = HeatTraining.observe(x);
        Tensor pred = Autodiff.noGrad(() -> HeatTraining.predict(net::forward, y));
        return FieldGrid.png(List.of(new FieldGrid.Column("Ground Truth", x, 0),
                new FieldGrid.Column("Observation", y, 1), new FieldGrid.Column("NN Prediction", pred, 0)), rows);
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
        List<Double> testL2 = new ArrayList<>();
        for (TestMetrics t : trainer.testHistory()) {
            testSteps.add(t.step());
            testL2.add(t.xL2Mean());
        }
        String method = trainer.config().method().name();
        return Charts.logChart(method + " training (batch " + trainer.config().batch() + ", "
                        + trainer.config().resolution() + "x" + trainer.config().resolution() + ")", "step",
                "l2 per example (batch mean)", List.of(
                        new Charts.Series("x_l2 (train batches, " + w + "-step mean)", steps, xl2, false),
                        new Charts.Series("y_l2 (train batches, " + w + "-step mean)", steps, yl2, false),
                        new Charts.Series("x_l2 (test batch)", testSteps, testL2, true)));
    }
}
