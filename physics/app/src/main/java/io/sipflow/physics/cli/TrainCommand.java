package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.RunIdentity;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainingMemory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sipflow train}: one training run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingOptions.class,
        description = {"Train a network to invert the physics with SIP, GD or SGD updates.",
                "Writes metrics.csv, test.csv, model.npz, curves.png, run.json, the checkpoint and (for problems with",
                "pictures: heat, poisson, sin, and any whose x is an (B, n, n) field) examples.png to DIR.",
                "Exit codes: 0 done, 1 error, 2 bad command line or output folder, 3 stopped on a NaN or infinity or ended unstable."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", paramLabel = "sip|gd|sgd", defaultValue = "sip", converter = MethodConverter.class,
            description = "sip: scale-invariant physics updates (default); gd: Adam through the physics; sgd: plain SGD")
    Method method;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/<method>)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the run in DIR from its last checkpoint, with its recorded settings (--steps may extend it)")
    Path resume;

    @Mixin
    TrainOptions train;

    @Mixin
    CommonOptions common;

    /** The config this command line runs (also used by {@link HeapPlan}). */
    TrainConfig config() {
        CommandLine cl = spec.commandLine();
        if (resume != null) {
            if (out != null) {
                throw new CommandLine.ParameterException(cl, "--resume DIR writes to DIR; drop --out");
            }
            TrainConfig recorded = train.resumed(resume, TrainOptions.CHECKPOINT_JSON, cl);
            if (cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--method")
                    && method != recorded.method()) {
                throw new CommandLine.ParameterException(cl, "--method " + method.id() + " differs from the method "
                        + recorded.method().id() + " the run in " + resume + " was started with; --resume continues"
                        + " a run as it started (drop --method)");
            }
            return recorded;
        }
        return train.resolve(method, cl);
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        TrainConfig config = config();
        common.apply();
        Path given = resume != null ? resume : out != null ? out : Path.of("runs", config.method().id());
        String flag = resume != null ? "--resume" : "--out";
        OutputFolder.Mode mode = resume != null ? OutputFolder.Mode.RESUME
                : train.overwrite ? OutputFolder.Mode.OVERWRITE : OutputFolder.Mode.NEW;
        Path dir = OutputFolder.usage(cl, () -> OutputFolder.check(given, flag, mode));
        fits(config);
        try (RunLock lock = OutputFolder.usage(cl, () -> RunLock.acquire(dir, flag, given))) {
            String runId = resume != null ? OutputFolder.usage(cl, () -> ResumeCheck.runId(dir, config))
                    : RunIdentity.newRunId();
            OutputFolder.usage(cl, () -> OutputFolder.prepare(given, flag, dir, mode));
            TrainingRun.Summary s = TrainingRun.execute(config, dir, runId, common, cl.getOut(), cl.getErr(),
                    resume != null, train.detectAnomaly);
            return s.failed() ? TrainingRun.DIVERGED : 0;
        }
    }

    /** One line (exit 1) when the run cannot fit on this machine, before any work. */
    static void fits(TrainConfig config) {
        try {
            TrainingMemory.checkFits(config, TrainingMemory.machineBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** A method name in any case. */
    static final class MethodConverter implements CommandLine.ITypeConverter<Method> {
        @Override
        public Method convert(String value) {
            return Method.parse(value);
        }
    }
}
