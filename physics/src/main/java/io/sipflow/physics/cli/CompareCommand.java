package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TestMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code sipflow compare}: the README's main job, SIP against GD from identical weights and data. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every method from the same initial weights on the same batches and compare them.",
                "Writes DIR/<method>/ for each run, DIR/comparison.csv and DIR/comparison.png."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--methods", paramLabel = "METHOD", split = ",", defaultValue = "sip,gd",
            converter = TrainCommand.MethodConverter.class, description = "methods to train, comma-separated: sip,gd (default)")
    List<Method> methods;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/compare)")
    Path out;

    @Mixin
    TrainOptions train;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        List<TrainingRun.Summary> runs = new ArrayList<>();
        for (Method m : methods) {
            train.resolve(m, spec.commandLine()); // validate every config before the first long run
        }
        common.apply();
        Path dir = out != null ? out : Path.of("runs", "compare");
        PrintWriter log = spec.commandLine().getOut();
        for (Method m : methods) {
            runs.add(TrainingRun.execute(train.resolve(m, spec.commandLine()), dir.resolve(m.id()), common, log));
        }
        AtomicFiles.writeString(dir.resolve("comparison.csv"), comparisonCsv(runs));
        AtomicFiles.writeBytes(dir.resolve("comparison.png"), comparisonPng(runs));
        log.println();
        log.print(comparisonCsv(runs));
        log.print(verdict(runs));
        log.println("wrote " + dir.resolve("comparison.csv") + " and " + dir.resolve("comparison.png"));
        log.flush();
        return 0;
    }

    static String comparisonCsv(List<TrainingRun.Summary> runs) {
        StringBuilder sb = new StringBuilder("method,final_test_x_l2,final_test_x_l1,median_step_ms\n");
        for (TrainingRun.Summary r : runs) {
            TestMetrics t = r.finalTest();
            sb.append(String.format(Locale.ROOT, "%s,%.6g,%.6g,%.1f%n", r.config().method().id(), t.xL2Mean(),
                    t.xL1Mean(), r.medianStepMs()));
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
        if (sip == null || gd == null) {
            return "";
        }
        double a = sip.finalTest().xL2Mean();
        double b = gd.finalTest().xL2Mean();
        return String.format(Locale.ROOT, "SIP final test x_l2 %.3f vs GD %.3f: %s%n", a, b,
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
            series.add(new Charts.Series(r.config().method().name(), steps, l2, true));
        }
        var c = runs.get(0).config();
        return Charts.logChart("Test x_l2 (held-out batch of " + c.testBatch() + ", " + c.resolution() + "x"
                + c.resolution() + ", train batch " + c.batch() + ")", "training step", "x_l2 = ½Σ(x_gt − x)², mean", series);
    }
}
