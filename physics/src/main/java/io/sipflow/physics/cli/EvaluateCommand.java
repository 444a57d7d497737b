package io.sipflow.physics.cli;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Checkpoint;
import io.sipflow.nn.UNet;
import io.sipflow.physics.HeatExamples;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sipflow evaluate}: test metrics and example pictures of a saved model. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Test a saved model on a fresh batch: prints x_l2 and x_l1, writes examples.png."})
final class EvaluateCommand implements Callable<Integer> {
    private static final Pattern RESOLUTION = Pattern.compile("\"resolution\"\\s*:\\s*(\\d+)");

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE", required = true, description = "model.npz written by train")
    Path model;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "128", description = "test examples (default 128)")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the test batch (default 1)")
    long seed;

    @Option(names = "--resolution", paramLabel = "R",
            description = "grid size (default: from run.json beside the model, else 64)")
    Integer resolution;

    @Option(names = "--out", paramLabel = "DIR", description = "where examples.png goes (default: the model's folder)")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--batch must be positive, got " + batch);
        }
        if (!Files.exists(model)) {
            throw new NoSuchFileException(model.toString(), null, "given by --model");
        }
        common.apply();
        Path folder = model.toAbsolutePath().getParent();
        int r = resolution != null ? resolution : resolutionFromRunJson(folder.resolve("run.json"));
        UNet net = Trainer.newNetwork(0);
        try {
            Checkpoint.load(model, net);
        } catch (RuntimeException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot load --model " + model + " as a U-Net checkpoint (.npz from"
                    + " sipflow train): " + e.getMessage(), e);
        }
        Tensor xGt = HeatExamples.generate(batch, r, r, new SplittableRandom(seed));
        TestMetrics t = Trainer.evaluate(net, xGt, 0);
        Path dir = out != null ? out : folder;
        AtomicFiles.writeBytes(dir.resolve("examples.png"), RunOutputs.examplesPng(net, xGt));
        spec.commandLine().getOut().printf(Locale.ROOT,
                "%s on %d examples (%dx%d, seed %d): x_l2 %.3f ± %.3f, x_l1 %.3f; wrote %s%n", model, batch, r, r,
                seed, t.xL2Mean(), t.xL2Std(), t.xL1Mean(), dir.resolve("examples.png"));
        return 0;
    }

    private static int resolutionFromRunJson(Path runJson) throws java.io.IOException {
        if (Files.exists(runJson)) {
            Matcher m = RESOLUTION.matcher(Files.readString(runJson));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 64;
    }
}
