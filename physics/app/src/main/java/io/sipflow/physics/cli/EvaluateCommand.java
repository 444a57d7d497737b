package io.sipflow.physics.cli;

import io.sipflow.physics.plot.ExamplePictures;
import io.sipflow.nn.Checkpoint;
import io.sipflow.nn.Module;
import io.sipflow.nn.NonFiniteException;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code sipflow evaluate}: test metrics and example pictures of a saved model. The problem, grid and test batch
 * come from the run.json beside the model (flags override them); evaluating never changes the model.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test a saved model on a fresh batch: prints its metrics, writes examples.png.",
                "Problem, resolution and test batch come from the run.json beside the model unless given.",
                "Exit codes: 0 done, 1 error, 2 bad command line, 3 the model's metrics are NaN or infinite."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "model.npz written by train")
    Path model;

    @Option(names = "--batch", paramLabel = "B", description = "test examples (default: run.json's test_batch)")
    Integer batch;

    @Option(names = "--seed", paramLabel = "S", description = "seed of the test batch (default: run.json's test_seed)")
    Long seed;

    @Option(names = "--resolution", paramLabel = "R", description = "grid size (default: run.json's resolution)")
    Integer resolution;

    @Option(names = "--out", paramLabel = "DIR", description = "where examples.png goes (default: the model's folder)")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (batch != null && batch < 1) {
            throw new CommandLine.ParameterException(cl, "--batch must be positive, got " + batch);
        }
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString(), null, "given by --model");
        }
        TrainConfig config = recorded(cl);
        common.apply();
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(0);
        try {
            Checkpoint.load(model, net);
        } catch (RuntimeException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load --model " + model + " as a " + problem.id()
                    + " network checkpoint (.npz from sipflow train): " + e.getMessage(), e);
        }
        Problem.Batch test = problem.sample(config.testBatch(), new SplittableRandom(config.testSeed()));
        TestMetrics t = Trainer.evaluate(problem, net, test, 0);
        // the metrics come first: a failure to write examples.png (a read-only folder) must not lose them
        cl.getOut().printf(Locale.ROOT, "%s on %d examples (%dx%d, seed %d): %s%n", model, config.testBatch(),
                config.resolution(), config.resolution(), config.testSeed(), describe(t));
        cl.getOut().flush();
        String nonFinite = nonFiniteMetrics(t);
        if (nonFinite != null) {
            cl.getErr().println("sipflow evaluate: " + model + ": " + new NonFiniteException("the test metrics ("
                    + nonFinite + ")").getMessage() + "; the model's outputs are not numbers on this batch, so no"
                    + " examples.png");
            cl.getErr().flush();
            return TrainingRun.DIVERGED;
        }
        Path dir = out != null ? out : model.toAbsolutePath().getParent();
        byte[] png = ExamplePictures.png(problem, net, test);
        if (png != null) {
            try {
                AtomicFiles.writeBytes(dir.resolve("examples.png"), png);
            } catch (java.io.IOException e) {
                throw new java.io.IOException(e.getMessage() + " (the metrics above are complete; --out DIR writes"
                        + " examples.png elsewhere)", e);
            }
            cl.getOut().println("wrote " + dir.resolve("examples.png"));
        }
        return 0;
    }

    /** "x_l2 3.784 ± 2.037, x_l1 17.680": every metric's mean, and the headline's spread. */
    private static String describe(TestMetrics t) {
        StringBuilder metrics = new StringBuilder();
        for (Map.Entry<String, Double> e : t.means().entrySet()) {
            metrics.append(metrics.length() == 0 ? "" : ", ").append(e.getKey()).append(' ')
                    .append(String.format(Locale.ROOT, "%.3f", e.getValue()));
            if (e.getKey().equals(t.headlineName())) {
                metrics.append(String.format(Locale.ROOT, " ± %.3f", t.headline().std()));
            }
        }
        return metrics.toString();
    }

    /** "x_l2 NaN, x_l1 Infinity": the metrics that are not finite, or null when all are. */
    static String nonFiniteMetrics(TestMetrics t) {
        StringBuilder bad = new StringBuilder();
        t.means().forEach((name, mean) -> {
            if (!Double.isFinite(mean)) {
                bad.append(bad.length() == 0 ? "" : ", ").append(name).append(' ').append(mean);
            }
        });
        if (!Double.isFinite(t.headline().std()) && bad.length() == 0) {
            bad.append(t.headlineName()).append(" std ").append(t.headline().std());
        }
        return bad.length() == 0 ? null : bad.toString();
    }

    /**
     * The run's settings from run.json beside the model, overridden by the flags. Without a readable run.json the
     * grid must be given (--resolution); the message says which file was missing or what was wrong with it.
     */
    private TrainConfig recorded(CommandLine cl) {
        Path runJson = model.toAbsolutePath().getParent().resolve("run.json");
        TrainConfig.Builder b;
        if (Files.isRegularFile(runJson)) {
            try {
                b = TrainConfig.fromSettings(Json.read(Files.readString(runJson))).toBuilder();
            } catch (java.io.IOException | RuntimeException e) {
                if (resolution == null) {
                    throw new CommandLine.ParameterException(cl, "cannot read " + runJson + " beside the model ("
                            + e.getMessage() + "); pass --resolution R (and --batch, --seed) to evaluate without it");
                }
                b = TrainConfig.builder();
            }
        } else if (resolution == null) {
            throw new CommandLine.ParameterException(cl, "no run.json beside " + model + " to say its grid size; pass"
                    + " --resolution R (and --batch, --seed) to evaluate it");
        } else {
            b = TrainConfig.builder();
        }
        if (resolution != null) b.resolution(resolution);
        if (batch != null) b.testBatch(batch);
        if (seed != null) b.testSeed(seed);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }
}
