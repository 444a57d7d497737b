package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.RunIdentity;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code sipflow sweep}: every method at every conditioning ξ of the sin problem, the SIP paper's Fig. 5 as one
 * command. Each (ξ, method) run is an ordinary training run in DIR/xi_&lt;ξ&gt;/&lt;method&gt;/; sweep.csv has one row per
 * run with its final test metrics, sweep.png the final relative x-distance x_dist/ξ against ξ per method (the
 * paper's measure: exact solutions lie 2πξ/10 apart, so the raw distance grows with ξ).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every method at every conditioning xi of the sin problem (the SIP paper's Fig. 5).",
                "Writes DIR/xi_<xi>/<method>/ for each run, DIR/sweep.csv and DIR/sweep.png.",
                "Exit codes: 0 done, 1 error, 2 bad command line or output folder, 3 a run stopped on a NaN or infinity or ended unstable."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--methods", paramLabel = "METHOD", split = ",", defaultValue = "sip,gd,sgd,hig",
            converter = TrainCommand.MethodConverter.class,
            description = "methods to train at each xi, comma-separated (default sip,gd,sgd,hig)")
    List<Method> methods;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/sweep)")
    Path out;

    @Mixin
    TrainOptions train;

    @Mixin
    CommonOptions common;

    /** The runs in order: for each ξ, each method. */
    List<TrainConfig> configs() {
        CommandLine cl = spec.commandLine();
        if (train.problem == null) {
            train.problem = "sin";
        }
        if (!train.problem.equals("sin")) {
            throw new CommandLine.ParameterException(cl, "sweep varies xi, which only the sin problem has; got --problem "
                    + train.problem);
        }
        List<Double> xis = train.xi != null ? List.copyOf(train.xi) : List.of(1.0, 10.0, 100.0);
        Set<Method> seen = EnumSet.noneOf(Method.class);
        for (Method m : methods) {
            if (!seen.add(m)) {
                throw new CommandLine.ParameterException(cl, "--methods names " + m.id() + " twice; give each method once");
            }
        }
        List<TrainConfig> configs = new ArrayList<>();
        try {
            for (double xi : xis) {
                train.xi = List.of(xi);
                for (Method m : methods) {
                    configs.add(train.resolve(m, cl));
                }
            }
        } finally {
            train.xi = xis;
        }
        return configs;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        List<TrainConfig> configs = configs();
        common.apply();
        Path given = out != null ? out : Path.of("runs", "sweep");
        OutputFolder.Mode mode = train.overwrite ? OutputFolder.Mode.OVERWRITE : OutputFolder.Mode.NEW;
        Path dir = OutputFolder.usage(cl, () -> OutputFolder.check(given, "--out", mode));
        try (RunLock lock = OutputFolder.usage(cl, () -> RunLock.acquire(dir, "--out", given))) {
            OutputFolder.usage(cl, () -> OutputFolder.prepare(given, "--out", dir, mode));
            String runId = RunIdentity.newRunId();
            PrintWriter log = cl.getOut();
            List<TrainingRun.Summary> runs = new ArrayList<>();
            List<String> owned = new ArrayList<>(List.of("sweep.csv", "sweep.png"));
            for (TrainConfig c : configs) {
                String sub = folder(c.option("xi")) + "/" + c.method().id();
                owned.add(sub + "/");
                Path runDir = dir.resolve(sub);
                try (RunLock l = OutputFolder.usage(cl, () -> RunLock.acquire(runDir, "--out", given.resolve(sub)))) {
                    runs.add(TrainingRun.execute(c, runDir, runId + "-" + sub.replace('/', '-'), common, log,
                            cl.getErr(), false, train.detectAnomaly));
                }
            }
            String csv = sweepCsv(runs);
            AtomicFiles.writeString(dir.resolve("sweep.csv"), csv);
            AtomicFiles.writeBytes(dir.resolve("sweep.png"), sweepPng(runs));
            OutputFolder.writeManifest(dir, runId, owned);
            log.println();
            log.print(csv);
            log.println("wrote " + dir.resolve("sweep.csv") + " and " + dir.resolve("sweep.png"));
            log.flush();
            return runs.stream().anyMatch(TrainingRun.Summary::failed) ? TrainingRun.DIVERGED : 0;
        }
    }

    /** "xi_10", "xi_2.5". */
    static String folder(double xi) {
        return "xi_" + (xi == Math.rint(xi) ? String.valueOf((long) xi) : String.valueOf(xi));
    }

    /** One row per run: xi, method, every final test metric, x_dist/ξ, timing and status. */
    static String sweepCsv(List<TrainingRun.Summary> runs) {
        StringBuilder sb = new StringBuilder("xi,method");
        for (String name : runs.get(0).finalTest().means().keySet()) {
            sb.append(",final_test_").append(name);
        }
        sb.append(",final_test_x_dist_over_xi,steps,median_step_ms,wall_seconds,status\n");
        for (TrainingRun.Summary r : runs) {
            TestMetrics t = r.finalTest();
            sb.append(String.format(Locale.ROOT, "%s,%s", r.config().option("xi"), r.config().method().id()));
            for (double v : t.means().values()) {
                sb.append(String.format(Locale.ROOT, ",%.6g", v));
            }
            sb.append(String.format(Locale.ROOT, ",%.6g,%d,%.1f,%.1f,%s%n", t.mean("x_dist") / r.config().option("xi"),
                    t.step(), r.medianStepMs(), r.wallSeconds(),
                    r.status()));
        }
        return sb.toString();
    }

    /** "GD" or "HIG (unstable at xi 100)": method m's name in sweep.png's legend, with the ξ where it failed. */
    static String legend(Method m, List<TrainingRun.Summary> runs) {
        List<String> failed = new ArrayList<>();
        for (TrainingRun.Summary r : runs) {
            if (r.config().method() == m && r.failed()) {
                failed.add((r.diverged() ? "diverged" : "unstable") + " at xi "
                        + folder(r.config().option("xi")).substring("xi_".length()));
            }
        }
        return m.name() + (failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")");
    }

    /** Final x_dist/ξ against ξ (both axes logarithmic), one curve per method. */
    static byte[] sweepPng(List<TrainingRun.Summary> runs) {
        List<Charts.Series> series = new ArrayList<>();
        for (Method m : Method.values()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (TrainingRun.Summary r : runs) {
                if (r.config().method() == m) {
                    xs.add(r.config().option("xi"));
                    ys.add(r.finalTest().mean("x_dist") / r.config().option("xi"));
                }
            }
            if (!xs.isEmpty()) {
                series.add(new Charts.Series(legend(m, runs), xs, ys, true));
            }
        }
        TrainConfig c = runs.get(0).config();
        return Charts.logLogChart("sin problem, angle " + c.option("angle") + "°: final test x_dist / xi (test batch "
                + c.testBatch() + ")", "xi", "relative x-distance x_dist / xi", series);
    }
}
