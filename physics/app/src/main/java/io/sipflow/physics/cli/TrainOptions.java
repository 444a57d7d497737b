package io.sipflow.physics.cli;

import io.sipflow.physics.train.ProblemProvider;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
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
 * {@code --preset}, then the problem's suggestions, then the defaults declared in {@link Settings} (the one place
 * each setting is written down; {@link SettingOptions} adds its option). With {@code --resume DIR} the settings
 * come from DIR/checkpoint.json instead, and only the resumable ones may change.
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

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    @Option(names = "--preset", paramLabel = "NAME", description = "seed: the heat notebook's 64x64, batch 128, 500 steps")
    Preset preset;

    @Option(names = "--option", paramLabel = "NAME=VALUE",
            description = "a setting the problem declares (listed below), may be repeated")
    java.util.Map<String, String> options;

    @Option(names = "--overwrite", description = "replace the results of an earlier run in the output folder")
    boolean overwrite;

    @Option(names = "--detect-anomaly",
            description = "check every op's values and gradients; name the first that produces a NaN or infinity (slow)")
    boolean detectAnomaly;

    /**
     * The value given on the command line for {@code s} (its option is added by {@link SettingOptions}), or null
     * when it was not given.
     */
    <T> T given(Setting<T> s) {
        CommandLine.Model.OptionSpec o = command == null ? null : command.findOption(s.flag());
        return o == null ? null : s.type().cast(o.getValue());
    }

    /** The run's settings for {@code method}; inconsistent values are a usage error (exit 2). */
    TrainConfig resolve(Method method, CommandLine cl) {
        return resolve(method, cl, Settings.PROBLEM.defaultValue(), java.util.Map.of());
    }

    /**
     * The run's settings for {@code method}, with {@code defaultProblem} when --problem is not given and the
     * problem options in {@code optionValues} instead of those given (sweep's one value out of several).
     */
    TrainConfig resolve(Method method, CommandLine cl, String defaultProblem, java.util.Map<String, Double> optionValues) {
        try {
            TrainConfig c = resolveOrThrow(method, defaultProblem, optionValues);
            TrainingStep.requireFeasible(c);
            return c;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** The problem this command line names, or {@code defaultProblem}. */
    String problem(String defaultProblem) {
        String p = given(Settings.PROBLEM);
        return p != null ? p : defaultProblem;
    }

    private TrainConfig resolveOrThrow(Method method, String defaultProblem, java.util.Map<String, Double> optionValues) {
        TrainConfig.Builder b = preset == Preset.SEED ? TrainConfig.seedPreset() : TrainConfig.builder();
        String id = problem(defaultProblem);
        ProblemProvider provider = Problems.named(id);
        if (!provider.usesResolution() && (given(Settings.RESOLUTION) != null || preset != null)) {
            throw new IllegalArgumentException((preset == null ? Settings.RESOLUTION.flag() : "--preset")
                    + ": problem " + id + " has no grid; drop it");
        }
        java.util.Map<String, Double> userOptions = new java.util.LinkedHashMap<>(singleOptions(optionValues.keySet()));
        userOptions.putAll(optionValues);
        // The method and the user's options first: the problem's suggestions may depend on them (the sin
        // problem's SGD and HIG rates scale with xi). Explicit flags win over every suggestion.
        b = Problems.withSuggestions(b.problem(id).method(method), userOptions);
        for (Setting<?> s : Settings.all()) {
            if (!s.chosenByCommand()) {
                setGiven(b, s);
            }
        }
        return b.build();
    }

    /** Sets {@code s} on {@code b} if it was given, its range checked with the flag named. */
    private <T> void setGiven(TrainConfig.Builder b, Setting<T> s) {
        T v = given(s);
        if (v != null) {
            try {
                b.set(s, s.check(v));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(s.flag() + " " + v + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * --option NAME=VALUE with one number each, except the names in {@code varied} (sweep's), which may be a
     * comma-separated list ({@link #optionLists()}).
     */
    private java.util.Map<String, Double> singleOptions(java.util.Set<String> varied) {
        java.util.Map<String, Double> single = new java.util.LinkedHashMap<>();
        optionLists().forEach((name, values) -> {
            if (varied.contains(name)) {
                return;
            }
            if (values.size() != 1) {
                throw new IllegalArgumentException("--option " + name + " takes one value here, got "
                        + options.get(name) + "; sweep --option " + name + "=" + options.get(name)
                        + " trains at each of them");
            }
            single.put(name, values.get(0));
        });
        return single;
    }

    /** --option NAME=V1,V2,...: each name's values, in order. */
    java.util.Map<String, java.util.List<Double>> optionLists() {
        java.util.Map<String, java.util.List<Double>> all = new java.util.LinkedHashMap<>();
        if (options == null) {
            return all;
        }
        options.forEach((name, text) -> {
            java.util.List<Double> values = new java.util.ArrayList<>();
            for (String part : text.split(",", -1)) {
                try {
                    values.add(Double.parseDouble(part.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--option " + name + "=" + text + ": '" + part
                            + "' is not a number");
                }
            }
            all.put(name, java.util.List.copyOf(values));
        });
        return all;
    }

    /**
     * The settings recorded in {@code dir} by the run to resume, with the resumable settings given applied
     * ({@code --steps} may only extend the run); every other setting flag is refused (the run continues as it
     * started).
     */
    TrainConfig resumed(Path dir, String file, CommandLine cl) {
        if (overwrite) {
            throw new CommandLine.ParameterException(cl, "--resume continues the run in " + dir + " and --overwrite"
                    + " would replace it; give one of them");
        }
        java.util.List<String> fixed = new java.util.ArrayList<>();
        for (Setting<?> s : Settings.all()) {
            if (!s.chosenByCommand() && !s.resumable() && given(s) != null) {
                fixed.add(s.flag());
            }
        }
        if (preset != null) {
            fixed.add("--preset");
        }
        if (options != null) {
            fixed.add("--option");
        }
        if (!fixed.isEmpty()) {
            throw new CommandLine.ParameterException(cl, String.join(", ", fixed) + ": --resume continues with the"
                    + " settings recorded in " + dir + "; only " + resumableFlags() + " may be given with it");
        }
        TrainConfig recorded = readRecorded(dir, file, cl);
        Integer steps = given(Settings.STEPS);
        if (steps != null && steps < recorded.steps()) {
            throw new CommandLine.ParameterException(cl, "--steps " + steps + " is fewer than the " + recorded.steps()
                    + " the run in " + dir + " was started with; --steps may only extend it");
        }
        try {
            TrainConfig.Builder b = recorded.toBuilder();
            for (Setting<?> s : Settings.all()) {
                if (s.resumable()) {
                    setGiven(b, s);
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** "--steps and --checkpoint-every": the flags of the settings a resume may change. */
    static String resumableFlags() {
        java.util.List<String> flags = Settings.all().stream().filter(Setting::resumable).map(Setting::flag).toList();
        return flags.size() == 1 ? flags.get(0)
                : String.join(", ", flags.subList(0, flags.size() - 1)) + " and " + flags.get(flags.size() - 1);
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
