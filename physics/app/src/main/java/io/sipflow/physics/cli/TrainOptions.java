package io.sipflow.physics.cli;

import io.sipflow.physics.train.ProblemProvider;
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
        SEED,
        /** The SIP paper's settings for the problem ({@link io.sipflow.physics.train.ProblemProvider#applyPreset}). */
        PAPER
    }

    @Option(names = "--problem", paramLabel = "NAME", description = "the inverse problem, listed below (default heat)")
    String problem;

    @Option(names = "--preset", paramLabel = "NAME", converter = PresetConverter.class,
            description = "seed: the heat notebook's 64x64, batch 128, 500 steps; paper: the SIP authors' settings"
                    + " for the problem (heat, poisson, sin; docs/results.md); run.json says where a run still"
                    + " differs from theirs")
    Preset preset;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = "sin problem: arithmetic of the network, data, physics and Newton step (default float64;"
                    + " --preset paper: float32)")
    String dtype;

    @Option(names = "--sip-loss", paramLabel = "l2-sum|l1-mean",
            description = "sin problem: SIP's network loss, sum of 1/2|pred - target|^2 (default) or the authors'"
                    + " L1 averaged over the batch (--preset paper)")
    String sipLoss;

    @Option(names = "--time-budget", paramLabel = "DURATION", converter = DurationSeconds.class,
            description = "stop each run once its steps took this long (e.g. 600s, 10m, 1.5h; 0 = none); it also"
                    + " stops at --steps; run.json records the steps reached and --resume continues with that count")
    Double timeBudget;

    @Option(names = "--steps", paramLabel = "N", description = "training steps (default: the problem's, below)")
    Integer steps;

    @Option(names = "--batch", paramLabel = "B", description = "examples per step (default: the problem's)")
    Integer batch;

    @Option(names = "--resolution", paramLabel = "R", description = "problems on a grid: size R x R, a multiple of 8 (default: the problem's)")
    Integer resolution;

    @Option(names = "--seed", paramLabel = "S", description = "seed of initial weights and training data (default 0)")
    Long seed;

    @Option(names = "--lr", paramLabel = "RATE", description = "learning rate (default: the problem's)")
    Double lr;

    @Option(names = "--momentum", paramLabel = "MU",
            description = "SGD's momentum factor in [0, 1) (default 0; poisson: 0.9); the Adam methods ignore it")
    Double momentum;

    @Option(names = "--nesterov", description = "SGD: Nesterov's momentum instead of heavy-ball (needs --momentum > 0)")
    boolean nesterov;

    @Option(names = "--test-batch", paramLabel = "B", description = "size of the held-out test batch (default: the problem's)")
    Integer testBatch;

    @Option(names = "--test-seed", paramLabel = "S", description = "seed of the held-out test batch (default 1)")
    Long testSeed;

    @Option(names = "--test-every", paramLabel = "N", description = "evaluate the test batch every N steps (default: the problem's)")
    Integer testEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N",
            description = "write DIR/checkpoint.npz every N steps, 0 = only at the end (default: the problem's)")
    Integer checkpointEvery;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "a setting the problem declares (listed below), may be repeated")
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
        ProblemProvider provider = Problems.named(id);
        if (!provider.usesResolution() && (resolution != null || preset == Preset.SEED)) {
            throw new IllegalArgumentException((resolution != null ? "--resolution" : "--preset") + ": problem " + id
                    + " has no grid; drop it");
        }
        // The method and the user's options first: the problem's suggestions may depend on them (the sin
        // problem's SGD and HIG rates scale with xi). Explicit flags win over every suggestion.
        b = Problems.withSuggestions(b.problem(id).method(method), userOptions());
        if (preset == Preset.PAPER) {
            b = Problems.withPreset(b, "paper").options(userOptions()); // the user's options win over the preset's
        }
        if (dtype != null) b.dtype(TrainConfig.parseDType(dtype));
        if (sipLoss != null) b.sipLoss(io.sipflow.physics.problem.SipLoss.parse(sipLoss));
        if (timeBudget != null) b.timeBudgetSeconds(timeBudget);
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
                || momentum != null || nesterov || dtype != null || sipLoss != null || timeBudget != null
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

    /** "seed" or "paper", in any case. */
    static final class PresetConverter implements CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("unknown preset '" + value + "'; expected seed or paper");
            }
        }
    }

    /** A duration in seconds: "600s", "10m", "1.5h", "90" (seconds), "0" (no budget). */
    static final class DurationSeconds implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            return parseSeconds(value);
        }
    }

    /**
     * Seconds in {@code text}: a non-negative number with an optional unit s, m or h.
     *
     * @throws CommandLine.TypeConversionException naming the text when it is not a duration
     */
    static double parseSeconds(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*([0-9]+(?:\\.[0-9]*)?)\\s*([smh]?)\\s*")
                .matcher(text);
        if (!m.matches()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration; give e.g. 600s, 10m or"
                    + " 1.5h (0: no budget)");
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "m" -> v * 60;
            case "h" -> v * 3600;
            default -> v;
        };
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
