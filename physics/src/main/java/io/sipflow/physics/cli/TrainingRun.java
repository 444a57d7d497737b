package io.sipflow.physics.cli;

import io.sipflow.physics.train.HeatTraining;
import io.sipflow.physics.train.StepMetrics;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** One training run from the command line: train with progress output, then write the run's folder. */
final class TrainingRun {
    private TrainingRun() {
    }

    /** What {@code compare} needs from a finished run. */
    record Summary(TrainConfig config, List<TestMetrics> tests, double medianStepMs, double wallSeconds) {
        TestMetrics finalTest() {
            return tests.get(tests.size() - 1);
        }
    }

    static Summary execute(TrainConfig config, Path dir, CommonOptions common, PrintWriter out) throws IOException {
        String name = config.method().id();
        out.printf(Locale.ROOT, "%s: %d steps, batch %d, %dx%d, seed %d, lr %s, backend %s, %d threads -> %s%n",
                name, config.steps(), config.batch(), config.resolution(), config.resolution(), config.seed(),
                config.learningRate(), common.backend, common.effectiveThreads(), dir);
        out.flush();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Trainer trainer = new Trainer(config);
        try (ProgressReporter progress = new ProgressReporter(name, config.steps(), out, ProgressReporter.onTerminal())) {
            trainer.run(progress);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double median = medianStepMs(trainer.stepHistory());
        Summary summary = new Summary(config, trainer.testHistory(), median, wall);
        RunOutputs.write(trainer, dir, runJson(config, common, started, summary));
        TestMetrics last = summary.finalTest();
        out.printf(Locale.ROOT, "%s: final test x_l2 %.3f ± %.3f, x_l1 %.3f; median %.0f ms/step; %.1f s; wrote %s%n",
                name, last.xL2Mean(), last.xL2Std(), last.xL1Mean(), median, wall, dir);
        out.flush();
        return summary;
    }

    static double medianStepMs(List<StepMetrics> steps) {
        if (steps.isEmpty()) {
            return Double.NaN;
        }
        double[] ms = steps.stream().mapToDouble(StepMetrics::stepMs).toArray();
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    /** Every setting of the run, so it can be repeated, plus its headline results. */
    static String runJson(TrainConfig c, CommonOptions common, Instant started, Summary s) {
        TestMetrics t = s.finalTest();
        return String.format(Locale.ROOT, """
                {
                  "method": "%s",
                  "steps": %d,
                  "batch": %d,
                  "resolution": %d,
                  "seed": %d,
                  "learning_rate": %s,
                  "adam_epsilon": 1e-7,
                  "test_batch": %d,
                  "test_seed": %d,
                  "test_every": %d,
                  "diffusion_amount": %s,
                  "diffusion_dt": %s,
                  "uncertainty_scale": %s,
                  "network": "UNet(in=1, out=1, levels=4, filters=16, batch norm, ReLU, circular padding)",
                  "network_precision": "float32",
                  "physics_precision": "float64",
                  "backend": "%s",
                  "threads": %d,
                  "java": "%s",
                  "started": "%s",
                  "wall_seconds": %.3f,
                  "median_step_ms": %.3f,
                  "final_test_x_l2_mean": %.9g,
                  "final_test_x_l1_mean": %.9g
                }
                """, c.method().id(), c.steps(), c.batch(), c.resolution(), c.seed(), c.learningRate(),
                c.testBatch(), c.testSeed(), c.testEvery(), HeatTraining.AMOUNT, HeatTraining.DT,
                HeatTraining.UNCERTAINTY_SCALE, common.backend, common.effectiveThreads(),
                System.getProperty("java.version"), started, s.wallSeconds(), s.medianStepMs(), t.xL2Mean(),
                t.xL1Mean());
    }
}
