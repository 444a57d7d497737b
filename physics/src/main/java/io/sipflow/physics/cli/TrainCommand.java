package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sipflow train}: one training run. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the U-Net to invert heat diffusion with SIP or GD updates.",
                "Writes metrics.csv, test.csv, model.npz, examples.png, curves.png, run.json to DIR."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", paramLabel = "sip|gd", defaultValue = "sip", converter = MethodConverter.class,
            description = "sip: scale-invariant physics updates (default); gd: gradient descent through the physics")
    Method method;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/<method>)")
    Path out;

    @Mixin
    TrainOptions train;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        var config = train.resolve(method, spec.commandLine());
        common.apply();
        Path dir = out != null ? out : Path.of("runs", method.id());
        TrainingRun.execute(config, dir, common, spec.commandLine().getOut());
        return 0;
    }

    /** "sip" / "gd" in any case. */
    static final class MethodConverter implements picocli.CommandLine.ITypeConverter<Method> {
        @Override
        public Method convert(String value) {
            return Method.parse(value);
        }
    }
}
