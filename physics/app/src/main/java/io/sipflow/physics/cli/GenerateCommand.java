package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.physics.HeatExamples;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/** {@code sipflow generate}: heat examples as a .npy file. */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write random initial heat distributions (the seed's generator) as a (B, R, R) float64 .npy.")
final class GenerateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "16", description = "number of examples (default 16)")
    int batch;

    @Option(names = "--resolution", paramLabel = "R", defaultValue = "64", description = "grid size R x R (default 64)")
    int resolution;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "random seed (default 0)")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", required = true, description = "output .npy file")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (batch < 1 || resolution < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--batch and --resolution must be positive, got " + batch + " and " + resolution);
        }
        common.apply();
        Tensor x = HeatExamples.generate(batch, resolution, resolution, new SplittableRandom(seed));
        NpyFields.write(out, x);
        spec.commandLine().getOut().println("wrote " + out + " " + x.shape() + " float64");
        return 0;
    }
}
