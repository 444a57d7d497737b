package io.sipflow.physics.cli;

import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainingStep;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The settings of a training run, shared by {@code train} and {@code compare}. Precedence: an explicit flag, then
 * {@code --preset}, then the problem's suggestions, then {@link TrainConfig.Builder}'s defaults (the one place
 * they are written down). With {@code --resume DIR} the settings come from DIR/checkpoint.json instead, and only
 * {@code --steps} may change them.
 */
public final class TrainOptions {
    /** Where a run in progress keeps its settings (and {@code checkpoint.npz} its state). */
    static final String CHECKPOINT_JSON = "checkpoint.json";
    static final String CHECKPOINT_NPZ = "checkpoint.npz";

    /** Named configurations. */
    enum Preset {
        /** The seed notebook: 64×64, batch 128, 500 steps. */
        SEED
    }

    @Option(names = "--problem", paramLabel = "NAME", description = "the inverse problem (default heat)")
    String problem;

    @Option(names = "--preset", paramLabel = "NAME", description = "seed: the notebook's 64x64, batch 128, 500 steps")
    Preset preset;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default 300)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "B", description = "examples per step (default 32)")
    Integer batch;

    @Option(names = "--resolution", paramLabel = "R", description = "grid size R x R, a multiple of 8 (default 32)")
    Integer resolution;

    @Option(names = "--seed", paramLabel = "S", description = "seed of initial weights and training data (default 0)")
    Long seed;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default 1e-3)")
    Double lr;

    @Option(names = "--momentum", paramLabel = "MU",
            description = "SGD's momentum factor in [0, 1) (default 0; poisson: 0.9); the Adam methods ignore it")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD: Nesterov's momentum instead of heavy-ball (needs --momentum > 0)")
    boolean nesterov;

    @Option(names = "--test-batch", paramLabel = "B", description = "size of the held-out test batch (default 64)")
    Integer testBatch;

    @Option(names = "--test-seed", paramLabel = "S", description = "seed of the held-out test batch (default 1)")
    Long testSeed;

    @Option(names = "--test-every", paramLabel = "N", description = "evaluate the test batch every N steps (default 50)")
    Integer testEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "write DIR/checkpoint.npz every N steps, 0 = only at the end (default 100)")
    Integer checkpointEvery;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "a setting of the problem (sin: xi, angle), may be repeated")
    java.util.Map<String, Double> options;

    @Option(names = "--xi", paramLabel = "XI", split = ",",
            description = "sin problem: conditioning xi, the same as --option xi=XI (default 10); sweep takes several")
    java.util.List<Double> xi;

    @Option(names = "--angle", paramLabel = "DEG",
            description = "sin problem: rotation in degrees, the same as --option angle=DEG (default 45)")
    Double angle;

    @Option(names = "--overwrite", description = "replace the results of an earlier run in the output folder")
    boolean overwrite;

    @Option(names = "--detect-anomaly",
            description = "check every op's values and gradients; name the first that produces a NaN or infinity (slow)")
    boolean detectAnomaly;

    /** The run's settings for {@code method}; inconsistent values are a usage error (exit 2). */
    TrainConfig resolve(Method method, CommandLine cl) {
        try {
            TrainConfig c = resolve(method);
            TrainingStep.requireFeasible(c);
            return c;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    private TrainConfig resolve(Method method) {
        TrainConfig.Builder b = preset == Preset.SEED ? TrainConfig.seedPreset() : TrainConfig.builder();
        String id = problem != null ? problem : "heat";
        var defaults = Problems.named(id).defaults();
        // The method and the user's problem options first: the problem's suggested settings may depend on them
        // (the sin problem's SGD and HIG rates scale with xi); its registration only fills in missing options.
        b.problem(id).method(method);
        var known = defaults.apply(TrainConfig.builder().problem(id).method(method)).options().keySet();
        for (var e : userOptions().entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("--option " + e.getKey() + ": problem " + id + " has "
                        + (known.isEmpty() ? "no options" : "the options " + String.join(", ", known)));
            }
            b.option(e.getKey(), e.getValue());
        }
        b = defaults.apply(b);
        if (steps != null) b.steps(steps);
        if (batch != null) b.batch(batch);
        if (resolution != null) b.resolution(resolution);
        if (seed != null) b.seed(seed);
        if (lr != null) b.learningRate(lr);
        if (momentum != null) b.momentum(momentum);
        if (nesterov) b.nesterov(true);
        if (testBatch != null) b.testBatch(testBatch);
        if (testSeed != null) b.testSeed(testSeed);
        if (testEvery != null) b.testEvery(testEvery);
        if (checkpointEvery != null) b.checkpointEvery(checkpointEvery);
        return b.build();
    }

    /** --option NAME=VALUE, with --xi and --angle as the sin problem's shorthands. */
    private java.util.Map<String, Double> userOptions() {
        java.util.Map<String, Double> all = new java.util.LinkedHashMap<>();
        if (options != null) {
            all.putAll(options);
        }
        if (xi != null) {
            if (xi.size() != 1) {
                throw new IllegalArgumentException("--xi takes one value here, got " + xi + "; sweep --xi "
                        + String.join(",", xi.stream().map(String::valueOf).toList()) + " trains at each of them");
            }
            shorthand(all, "xi", xi.get(0));
        }
        if (angle != null) {
            shorthand(all, "angle", angle);
        }
        return all;
    }

    /** --xi or --angle, which must not contradict the same setting given by --option. */
    private static void shorthand(java.util.Map<String, Double> all, String name, double value) {
        Double option = all.get(name);
        if (option != null && Double.compare(option, value) != 0) {
            throw new IllegalArgumentException("--" + name + " " + value + " contradicts --option " + name + "="
                    + option + "; give " + name + " once");
        }
        all.put(name, value);
    }

    /**
     * The settings recorded in {@code dir} by the run to resume, with {@code --steps} applied; every other
     * setting flag is refused (the run continues as it started).
     */
    TrainConfig resumed(Path dir, String file, CommandLine cl) {
        if (overwrite) {
            throw new CommandLine.ParameterException(cl, "--resume continues the run in " + dir + " and --overwrite"
                    + " would replace it; give one of them");
        }
        if (problem != null || preset != null || batch != null || resolution != null || seed != null || lr != null
                || momentum != null || nesterov
                || testBatch != null || testSeed != null || testEvery != null || options != null || xi != null
                || angle != null) {
            throw new CommandLine.ParameterException(cl, "--resume continues with the settings recorded in " + dir
                    + "; only --steps (and --checkpoint-every) may be given with it");
        }
        TrainConfig recorded = readRecorded(dir, file, cl);
        TrainConfig.Builder b = recorded.toBuilder();
        if (steps != null) {
            if (steps < recorded.steps()) {
                throw new CommandLine.ParameterException(cl, "--steps " + steps + " is fewer than the " + recorded.steps()
                        + " the run in " + dir + " was started with; --steps may only extend it");
            }
            b.steps(steps);
        }
        if (checkpointEvery != null) {
            b.checkpointEvery(checkpointEvery);
        }
        try {
            return b.build(); // only TrainConfig.RESUMABLE settings differ from the recorded ones
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** The config in DIR/{@code file}, or a usage error saying what is missing or unreadable. */
    static TrainConfig readRecorded(Path dir, String file, CommandLine cl) {
        Path json = dir.resolve(file);
        boolean single = file.equals(CHECKPOINT_JSON);
        if (!Files.isRegularFile(json) || single && !Files.isRegularFile(dir.resolve(CHECKPOINT_NPZ))) {
            throw new CommandLine.ParameterException(cl, "--resume " + dir + ": no run to resume there (it needs "
                    + (single ? CHECKPOINT_JSON + " and " + CHECKPOINT_NPZ + ", written by train"
                    : file + ", written by compare") + ")");
        }
        try {
            return TrainConfig.fromSettings(Json.read(Files.readString(json)));
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(cl, "--resume " + dir + ": cannot read the settings in " + json
                    + ": " + (e instanceof NoSuchFileException ? "file not found" : e.getMessage()));
        }
    }
}
