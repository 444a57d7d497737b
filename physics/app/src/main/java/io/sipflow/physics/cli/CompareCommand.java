package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TestMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sipflow compare}: the README's main job, SIP against GD from identical weights and data. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every method from the same initial weights on the same batches and compare them.",
                "Writes DIR/<method>/ for each run, DIR/comparison.csv and DIR/comparison.png.",
                "Exit codes: 0 done, 1 error, 2 bad command line or output folder, 3 a method stopped on a NaN or infinity."})
final class CompareCommand implements Callable<Integer> {
    /** The methods and shared settings of a comparison, for --resume. */
    static final String COMPARE_JSON = "compare.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--methods", paramLabel = "METHOD", split = ",", defaultValue = "sip,gd",
            converter = TrainCommand.MethodConverter.class,
            description = "methods to train, comma-separated, each once: sip, gd, sgd (default sip,gd)")
    List<Method> methods;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/compare)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the comparison in DIR: finished methods are kept, interrupted ones resume")
    Path resume;

    @Mixin
    TrainOptions train;

    @Mixin
    CommonOptions common;

    /** Every method's config, validated before the first long run (also used by {@link HeapPlan}). */
    List<TrainConfig> configs() {
        CommandLine cl = spec.commandLine();
        List<TrainConfig> configs = new ArrayList<>();
        if (resume != null) {
            if (out != null) {
                throw new CommandLine.ParameterException(cl, "--resume DIR writes to DIR; drop --out");
            }
            TrainConfig base = train.resumed(resume, COMPARE_JSON, cl);
            for (Method m : recordedMethods(resume, cl)) {
                configs.add(base.withMethod(m));
            }
            return configs;
        }
        Set<Method> seen = EnumSet.noneOf(Method.class);
        for (Method m : methods) {
            if (!seen.add(m)) {
                throw new CommandLine.ParameterException(cl, "--methods names " + m.id() + " twice; give each method once");
            }
            configs.add(train.resolve(m, cl));
        }
        return configs;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<TrainConfig> configs = configs();
        common.apply();
        Path dir = resume != null ? resume : out != null ? out : Path.of("runs", "compare");
        List<String> results = new ArrayList<>(List.of("comparison.csv", "comparison.png"));
        for (TrainConfig c : configs) {
            results.add(c.method().id() + "/run.json");
        }
        try {
            dir = OutputFolder.check(dir, resume != null ? "--resume" : "--out", resume != null || train.overwrite,
                    results);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        for (TrainConfig c : configs) {
            TrainCommand.fits(c);
        }
        if (resume == null) {
            java.nio.file.Files.createDirectories(dir);
            Map<String, Object> json = new LinkedHashMap<>(configs.get(0).settings());
            json.put("methods", String.join(",", configs.stream().map(c -> c.method().id()).toList()));
            AtomicFiles.writeString(dir.resolve(COMPARE_JSON), Json.write(json));
        }
        PrintWriter log = cl.getOut();
        List<TrainingRun.Summary> runs = new ArrayList<>();
        for (TrainConfig c : configs) {
            Path runDir = dir.resolve(c.method().id());
            boolean canResume = resume != null
                    && java.nio.file.Files.isRegularFile(runDir.resolve(TrainOptions.CHECKPOINT_NPZ));
            runs.add(TrainingRun.execute(c, runDir, common, log, cl.getErr(), canResume, train.detectAnomaly));
        }
        AtomicFiles.writeString(dir.resolve("comparison.csv"), comparisonCsv(runs));
        AtomicFiles.writeBytes(dir.resolve("comparison.png"), comparisonPng(runs));
        log.println();
        log.print(comparisonCsv(runs));
        log.print(verdict(runs));
        log.println("wrote " + dir.resolve("comparison.csv") + " and " + dir.resolve("comparison.png"));
        log.flush();
        return runs.stream().anyMatch(TrainingRun.Summary::diverged) ? TrainingRun.DIVERGED : 0;
    }

    private static List<Method> recordedMethods(Path dir, CommandLine cl) {
        try {
            Object m = Json.read(java.nio.file.Files.readString(dir.resolve(COMPARE_JSON))).get("methods");
            List<Method> out = new ArrayList<>();
            for (String id : String.valueOf(m).split(",")) {
                out.add(Method.parse(id));
            }
            return out;
        } catch (java.io.IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(cl, "--resume " + dir + ": cannot read the methods in "
                    + dir.resolve(COMPARE_JSON) + ": " + e.getMessage());
        }
    }

    static String comparisonCsv(List<TrainingRun.Summary> runs) {
        StringBuilder sb = new StringBuilder("method");
        for (String name : runs.get(0).finalTest().means().keySet()) {
            sb.append(",final_test_").append(name);
        }
        sb.append(",median_step_ms,status\n");
        for (TrainingRun.Summary r : runs) {
            sb.append(r.config().method().id());
            for (double v : r.finalTest().means().values()) {
                sb.append(String.format(Locale.ROOT, ",%.6g", v));
            }
            sb.append(String.format(Locale.ROOT, ",%.1f,%s%n", r.medianStepMs(), r.diverged()
                    ? "diverged at step " + r.divergence().step() : "finished"));
        }
        return sb.toString();
    }

    /** "SIP final test x_l2 12.1 vs GD 20.3 (1.67x lower)" when both methods ran, else nothing. */
    static String verdict(List<TrainingRun.Summary> runs) {
        TrainingRun.Summary sip = null;
        TrainingRun.Summary gd = null;
        for (TrainingRun.Summary r : runs) {
            if (r.config().method() == Method.SIP) {
                sip = r;
            } else if (r.config().method() == Method.GD) {
                gd = r;
            }
        }
        if (sip == null || gd == null || sip.diverged() || gd.diverged()) {
            return sip != null && sip.diverged() || gd != null && gd.diverged()
                    ? "no verdict: a method diverged (see the status column)\n" : "";
        }
        double a = sip.finalTest().xL2Mean();
        double b = gd.finalTest().xL2Mean();
        return String.format(Locale.ROOT, "SIP final test %s %.3g vs GD %.3g: %s%n", sip.finalTest().headlineName(), a, b,
                a < b ? String.format(Locale.ROOT, "SIP is %.2fx lower", b / a)
                        : String.format(Locale.ROOT, "GD is %.2fx lower", a / b));
    }

    /** Test x_l2 over steps for every method, as the paper's figure. */
    static byte[] comparisonPng(List<TrainingRun.Summary> runs) {
        List<Charts.Series> series = new ArrayList<>();
        for (TrainingRun.Summary r : runs) {
            List<Integer> steps = new ArrayList<>();
            List<Double> l2 = new ArrayList<>();
            for (TestMetrics t : r.tests()) {
                steps.add(t.step());
                l2.add(t.xL2Mean());
            }
            String label = r.config().method().name() + (r.diverged() ? " (diverged at step "
                    + r.divergence().step() + ")" : "");
            series.add(new Charts.Series(label, steps, l2, true));
        }
        var c = runs.get(0).config();
        String headline = runs.get(0).finalTest().headlineName();
        return Charts.logChart("Test " + headline + " (held-out batch of " + c.testBatch() + ", " + c.resolution() + "x"
                + c.resolution() + ", train batch " + c.batch() + ")", "training step", headline + ", batch mean", series);
    }
}
