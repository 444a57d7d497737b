package io.sipflow.physics.cli;

import io.sipflow.autodiff.Anomaly;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.Stability;
import io.sipflow.physics.train.StepMetrics;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import io.sipflow.physics.train.TrainerState;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run from the command line: train with progress output and periodic checkpoints in DIR, then write
 * the run's files, each by an atomic rename, and its manifest last (see {@link OutputFolder}). A run that meets a non-finite value stops, writes what it has up to the last good
 * step (run.json says "status": "diverged") and says so in one line.
 */
final class TrainingRun {
    /** Exit code of a run that stopped on a non-finite value. */
    static final int DIVERGED = 3;
    /** The name of the run id in checkpoint.json, run.json and compare.json. */
    static final String RUN_ID = "run_id";

    private TrainingRun() {
    }

    /**
     * What {@code compare} needs from a finished run; {@code lastSteps} holds each metric's training-batch mean over
     * the last {@value #LAST_PERCENT} % of steps (the SIP authors' measure), {@code testSeconds} the summed step time
     * at each test (for curves over wall time).
     */
    record Summary(TrainConfig config, String problem, List<TestMetrics> tests, double medianStepMs,
                   double wallSeconds, Trainer.Divergence divergence, String unstableBecause,
                   Map<String, Double> lastSteps, List<Double> testSeconds) {
        /** A summary whose problem is named by its id alone (tests that build one by hand). */
        Summary(TrainConfig config, List<TestMetrics> tests, double medianStepMs, double wallSeconds,
                Trainer.Divergence divergence, String unstableBecause) {
            this(config, config.problem(), tests, medianStepMs, wallSeconds, divergence, unstableBecause, Map.of(),
                    List.of());
        }

        TestMetrics finalTest() {
            return tests.get(tests.size() - 1);
        }

        boolean diverged() {
            return divergence != null;
        }

        /** Its final result does not stand ({@link Stability}): null when it does, or when the run diverged. */
        boolean unstable() {
            return unstableBecause != null;
        }

        /** compare's and sweep's status column: "finished", "diverged at step N" or "unstable: why". */
        String status() {
            return diverged() ? "diverged at step " + divergence.step() : unstable() ? "unstable: " + unstableBecause
                    : "finished";
        }

        /** A run whose numbers are not a result: diverged or unstable (exit 3). */
        boolean failed() {
            return diverged() || unstable();
        }
    }

    /**
     * Trains {@code config} as run {@code runId} into {@code dir} (checked by {@link OutputFolder#check}, locked
     * and prepared by the caller); with {@code resume}, continues from DIR/checkpoint.npz (whose identity
     * {@link ResumeCheck} has checked).
     */
    static Summary execute(TrainConfig config, Path dir, String runId, CommonOptions common, PrintWriter out,
                           PrintWriter err, boolean resume, boolean detectAnomaly) throws IOException {
        return execute(new Trainer(config), dir, runId, common, out, err, resume, detectAnomaly);
    }

    /** As above, for a trainer built by the caller (its config is the run's). */
    static Summary execute(Trainer trainer, Path dir, String runId, CommonOptions common, PrintWriter out,
                           PrintWriter err, boolean resume, boolean detectAnomaly) throws IOException {
        try (GracefulStop stop = GracefulStop.install()) {
            return execute(trainer, dir, runId, common, out, err, resume, detectAnomaly, stop);
        }
    }

    /** The run, ended between two steps with a checkpoint of the last one when {@code stop} is requested. */
    private static Summary execute(Trainer trainer, Path dir, String runId, CommonOptions common,
                                   PrintWriter out, PrintWriter err, boolean resume, boolean detectAnomaly,
                                   GracefulStop stop) throws IOException {
        TrainConfig config = trainer.config();
        String name = config.method().id();
        Path checkpoint = dir.resolve(TrainOptions.CHECKPOINT_NPZ);
        if (resume) {
            try {
                TrainerState.restore(trainer, checkpoint, runId);
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cannot resume from " + checkpoint + ": " + e.getMessage(), e);
            }
        }
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(TrainOptions.CHECKPOINT_JSON), checkpointJson(config, runId));
        out.printf(Locale.ROOT, "%s: %s%d steps, %s, batch %d, seed %d, lr %s, backend %s, %d threads -> %s%n",
                name, resume ? "resuming at step " + trainer.stepHistory().size() + " of " : "", config.steps(),
                trainer.problem().describe(), config.batch(), config.seed(), config.learningRate(),
                common.backend, common.effectiveThreads(), dir);
        out.flush();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        try (ProgressReporter progress = new ProgressReporter(name, config.steps(), trainer.stepHistory().size(), out,
                ProgressReporter.onTerminal(), step -> saveCheckpoint(trainer, checkpoint, runId));
             Anomaly.Scope anomaly = detectAnomaly ? Anomaly.detect() : null) {
            trainer.run(progress, stop::requested);
        }
        if (stop.requested() && trainer.divergence() == null && trainer.stepHistory().size() < config.steps()) {
            saveCheckpoint(trainer, checkpoint, runId);
            out.flush();
            // printed here, while the shutdown still waits for this run: once it is closed the JVM may halt
            err.printf(Locale.ROOT, "%s: stopped by a signal after step %d of %d; wrote its checkpoint %s (--resume"
                    + " continues from there)%n", name, trainer.stepHistory().size(), config.steps(), checkpoint);
            err.flush();
            throw new GracefulStop.RunStopped();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double median = medianStepMs(trainer.stepHistory());
        String unstable = trainer.divergence() != null ? null
                : Stability.unstableBecause(trainer.testHistory(), trainer.zeroEstimateMetrics());
        Summary summary = new Summary(config, trainer.problem().describe(), trainer.testHistory(), median, wall,
                trainer.divergence(), unstable, lastSteps(trainer), testSeconds(trainer));
        RunOutputs.write(trainer, dir, runId, runJson(trainer, runId, common, started, summary));
        TestMetrics last = summary.finalTest();
        if (trainer.stoppedByTimeBudget()) {
            out.printf(Locale.ROOT, "%s: time budget of %.0f s used up after step %d of %d (--resume continues with %d"
                    + " steps as its step budget)%n", name, config.timeBudgetSeconds(), trainer.stepHistory().size(),
                    config.steps(), trainer.stepHistory().size());
        }
        if (summary.diverged()) {
            Trainer.Divergence d = summary.divergence();
            out.flush();
            err.printf(Locale.ROOT, "%s: diverged at step %d: %s; that update was not applied."
                    + " Wrote the %d good steps to %s (last good checkpoint: %s)%n", name, d.step(), because(d), d.step(),
                    dir, checkpoint);
            err.flush();
        } else {
            out.printf(Locale.ROOT, "%s: final test %s %.3f ± %.3f; median %.0f ms/step; %.1f s; wrote %s%n", name,
                    last.headlineName(), last.headline().mean(), last.headline().std(), median, wall, dir);
            if (summary.unstable()) {
                out.flush();
                err.printf(Locale.ROOT, "%s: unstable: %s (run.json says \"status\": \"unstable\")%n", name,
                        unstable);
                err.flush();
            }
        }
        out.flush();
        return summary;
    }

    /** run.json's prefix for where a preset run differs from what it reproduces: "preset_difference.1", … */
    static final String PRESET_DIFFERENCE = "preset_difference.";

    /** The share of the last steps whose training-batch means the SIP authors report, in percent. */
    static final int LAST_PERCENT = 10;

    /** Every metric's training-batch mean over the last {@value #LAST_PERCENT} % of the steps made. */
    static Map<String, Double> lastSteps(Trainer trainer) {
        Map<String, Double> m = new LinkedHashMap<>();
        List<StepMetrics> steps = trainer.stepHistory();
        if (!steps.isEmpty()) {
            for (String name : steps.get(steps.size() - 1).means().keySet()) {
                m.put(name, trainer.meanOverLastSteps(name, LAST_PERCENT));
            }
        }
        return m;
    }

    /** The summed step time, in seconds, when each test ran (a test at step k follows k steps). */
    static List<Double> testSeconds(Trainer trainer) {
        List<StepMetrics> steps = trainer.stepHistory();
        double[] cumulative = new double[steps.size() + 1];
        for (int i = 0; i < steps.size(); i++) {
            cumulative[i + 1] = cumulative[i] + steps.get(i).stepMs() / 1e3;
        }
        return trainer.testHistory().stream().map(t -> cumulative[Math.min(t.step(), steps.size())]).toList();
    }

    /**
     * The settings a resume continues with: the run's own, except that a run whose time budget ran out continues
     * with the steps it reached as its step budget (and no time budget), so its resume is reproducible.
     */
    static TrainConfig continuation(Trainer trainer) {
        return trainer.stoppedByTimeBudget()
                ? trainer.config().toBuilder().steps(trainer.stepHistory().size()).timeBudgetSeconds(0).build()
                : trainer.config();
    }

    /** Why a run stopped: "non-finite values in …" or "a physics solve that did not converge …". */
    static String because(Trainer.Divergence d) {
        return d.solverFailed() ? d.what() : "non-finite values in " + d.what();
    }

    /** checkpoint.json: the run's settings, which a resume continues with, and its id. */
    static String checkpointJson(TrainConfig config, String runId) {
        Map<String, Object> json = new LinkedHashMap<>(config.settings());
        json.put(RUN_ID, runId);
        return Json.write(json);
    }

    /**
     * Writes the checkpoint, then removes temporary files a killed write left in its folder: the run holds the
     * folder's lock, so no other write is in flight there.
     */
    static void saveCheckpoint(Trainer trainer, Path checkpoint, String runId) {
        try {
            TrainerState.save(trainer, checkpoint, runId);
            RunFiles.removeTemporaries(checkpoint.getParent());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the checkpoint " + checkpoint, e);
        }
    }

    static double medianStepMs(List<StepMetrics> steps) {
        if (steps.isEmpty()) {
            return Double.NaN;
        }
        double[] ms = steps.stream().mapToDouble(StepMetrics::stepMs).toArray();
        Arrays.sort(ms);
        return ms.length % 2 == 1 ? ms[ms.length / 2] : (ms[ms.length / 2 - 1] + ms[ms.length / 2]) / 2;
    }

    /** Every setting of the run (from its config and its problem), so it can be repeated, plus its results. */
    static String runJson(Trainer trainer, String runId, CommonOptions common, Instant started, Summary s) {
        Map<String, Object> json = new LinkedHashMap<>(trainer.config().settings());
        json.putAll(trainer.problem().settings());
        json.put(RUN_ID, runId);
        json.put("backend", common.backend);
        json.put("threads", common.effectiveThreads());
        json.put("java", System.getProperty("java.version"));
        json.put("started", started.toString());
        json.put("status", s.diverged() ? "diverged" : s.unstable() ? "unstable" : "finished");
        json.put("diverged_at_step", s.diverged() ? s.divergence().step() : null);
        json.put("diverged_because", s.diverged() ? because(s.divergence()) : null);
        boolean solver = s.diverged() && s.divergence().solverFailed();
        json.put("solver_iterations", solver ? s.divergence().solverIterations() : null);
        json.put("solver_residual", solver ? s.divergence().solverResidual() : null);
        json.put("unstable_because", s.unstableBecause());
        json.put("steps_done", trainer.stepHistory().size());
        json.put("wall_seconds", s.wallSeconds());
        json.put("median_step_ms", s.medianStepMs());
        TestMetrics t = s.finalTest();
        for (Map.Entry<String, Double> e : t.means().entrySet()) {
            json.put("final_test_" + e.getKey() + "_mean", e.getValue());
        }
        if (trainer.config().timeBudgetSeconds() > 0) {
            json.put("stopped_by_time_budget", trainer.stoppedByTimeBudget());
        }
        json.put("trained_seconds", trainer.trainedSeconds());
        s.lastSteps().forEach((name, v) -> json.put("train_" + name + "_last" + LAST_PERCENT + "pct_mean", v));
        List<String> differences = Problems.presetDifferences(trainer.config());
        for (int i = 0; i < differences.size(); i++) { // run.json is flat: one numbered entry per difference
            json.put(PRESET_DIFFERENCE + (i + 1), differences.get(i));
        }
        return Json.write(json);
    }
}
