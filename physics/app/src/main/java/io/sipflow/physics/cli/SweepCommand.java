package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.BuiltInProblems;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.RunIdentity;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code sipflow sweep}: every method at every conditioning ξ of the sin problem ({@code --option xi=1,10,100}),
 * the SIP paper's Fig. 5 as one command. Each (ξ, method) run is an ordinary training run in DIR/xi_&lt;ξ&gt;/&lt;method&gt;/; sweep.csv has one row per
 * run with its final test metrics, sweep.png the final relative x-distance x_dist/ξ against ξ per method (the
 * paper's measure: exact solutions lie 2πξ/10 apart, so the raw distance grows with ξ).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        modelTransformer = SettingOptions.ForSweep.class,
        description = {"Train every method at every conditioning xi of the sin problem (the SIP paper's Fig. 5):",
                "--option xi=1,10,100 (the default) gives the values of xi.",
                "Writes DIR/xi_<xi>/<method>/ for each run (with --seeds N > 1: DIR/xi_<xi>/<method>/seed_<S>/),",
                "DIR/sweep.csv (with the estimate x = 0 at each xi) and DIR/sweep.png. The runs train here, one after",
                "another or --jobs N at a time, or on Slurm (--executor slurm): docs/cluster.md.",
                "Exit codes: 0 done, 1 error, 2 bad command line or output folder, 3 a run stopped on a NaN or infinity or ended unstable,",
                "4 runs are missing (--collect before they all finished)."})
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--methods", paramLabel = "METHOD", split = ",", defaultValue = "sip,gd,sgd,hig",
            converter = TrainCommand.MethodConverter.class,
            description = "methods to train at each xi, comma-separated (default sip,gd,sgd,hig)")
    List<Method> methods;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/sweep)")
    Path out;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "train every run with the N seeds --seed, --seed + 1, ...; sweep.csv gives mean, std and"
                    + " 95%% intervals (default 1)")
    int seeds;

    @Option(names = "--collect", paramLabel = "DIR",
            description = "collect the runs that have finished in DIR (a sweep's or a comparison's, e.g. one run on"
                    + " Slurm) into its CSV and PNG, naming those still missing (exit 4 while any is)")
    Path collect;

    @Mixin
    TrainOptions train;

    @Mixin
    ExecutorOptions exec;

    @Mixin
    CommonOptions common;

    /** The runs in order: for each ξ, each method. */
    List<TrainConfig> configs() {
        CommandLine cl = spec.commandLine();
        String problem = train.problem("sin");
        if (!problem.equals("sin")) {
            throw new CommandLine.ParameterException(cl, "sweep varies xi, which only the sin problem has; got --problem "
                    + problem);
        }
        List<Double> xis;
        try {
            xis = train.optionLists().getOrDefault("xi", train.preset == TrainOptions.Preset.PAPER
                    ? BuiltInProblems.Sin.PAPER_XI : List.of(1.0, 10.0, 100.0));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        Set<Method> seen = EnumSet.noneOf(Method.class);
        for (Method m : methods) {
            if (!seen.add(m)) {
                throw new CommandLine.ParameterException(cl, "--methods names " + m.id() + " twice; give each method once");
            }
        }
        List<TrainConfig> configs = new ArrayList<>();
        for (double xi : xis) {
            for (Method m : methods) {
                configs.add(train.resolve(m, cl, problem, Map.of("xi", xi)));
            }
        }
        return configs;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (collect != null) {
            return collect(cl, collect, "sweep");
        }
        List<TrainConfig> configs = configs();
        if (seeds < 1) {
            throw new CommandLine.ParameterException(cl, "--seeds must be at least 1, got " + seeds);
        }
        exec.check();
        common.apply();
        Path given = out != null ? out : Path.of("runs", "sweep");
        OutputFolder.Mode mode = train.overwrite ? OutputFolder.Mode.OVERWRITE : OutputFolder.Mode.NEW;
        Path dir = OutputFolder.usage(cl, () -> OutputFolder.check(given, "--out", mode));
        try (RunLock lock = OutputFolder.usage(cl, () -> RunLock.acquire(dir, "--out", given))) {
            OutputFolder.usage(cl, () -> OutputFolder.prepare(given, "--out", dir, mode));
            String runId = RunIdentity.newRunId();
            List<CompareCommand.RunSpec> specs = new ArrayList<>();
            for (CompareCommand.RunSpec r : CompareCommand.runSpecs(configs, seeds)) {
                specs.add(new CompareCommand.RunSpec(r.config(), folder(r.config().option("xi")) + "/" + r.folder()));
            }
            Map<String, Object> json = new LinkedHashMap<>(configs.get(0).settings());
            json.put("methods", String.join(",", methods.stream().map(Method::id).toList()));
            json.put("xi", String.join(",", configs.stream().map(c -> String.valueOf(c.option("xi"))).distinct()
                    .toList()));
            json.put(TrainingRun.RUN_ID, runId);
            if (seeds > 1) {
                json.put(CompareCommand.SEEDS, seeds);
            }
            AtomicFiles.writeString(dir.resolve(SWEEP_JSON), Json.write(json));
            PrintWriter log = cl.getOut();
            return RunSplit.run(cl, RunCollection.Kind.SWEEP, dir, specs, seeds, runId, exec, common,
                    train.detectAnomaly, () -> {
                        for (CompareCommand.RunSpec r : specs) {
                            Path runDir = dir.resolve(r.folder());
                            try (RunLock l = OutputFolder.usage(cl, () -> RunLock.acquire(runDir, "--out",
                                    given.resolve(r.folder())))) {
                                TrainingRun.execute(r.config(), runDir, runId + "-" + r.folder().replace('/', '-'),
                                        common, log, cl.getErr(), false, train.detectAnomaly);
                            }
                        }
                    });
        }
    }

    /** sweep.json: the sweep's shared settings, methods, xi values, seed count and run id. */
    static final String SWEEP_JSON = "sweep.json";

    /**
     * {@code --collect DIR}: the runs that finished in DIR (a sweep's or a comparison's) into its CSV and PNG,
     * under DIR's lock; no other option may be given.
     */
    static int collect(CommandLine cl, Path given, String command) throws java.io.IOException {
        for (CommandLine.Model.OptionSpec o : cl.getParseResult().matchedOptions()) {
            if (!o.longestName().equals("--collect")) {
                throw new CommandLine.ParameterException(cl, "--collect DIR collects the runs in DIR as they were"
                        + " planned; drop " + o.longestName());
            }
        }
        Path dir = given.toAbsolutePath().normalize();
        RunCollection.Kind kind = OutputFolder.usage(cl, () -> RunCollection.kindOf(dir, "--collect"));
        try (RunLock lock = OutputFolder.usage(cl, () -> RunLock.acquire(dir, "--collect", given))) {
            Files.deleteIfExists(dir.resolve(RunFiles.MANIFEST)); // written again once every run is in
            return RunCollection.collect(dir, kind, cl.getOut(), cl.getErr());
        }
    }

    /** "xi_10", "xi_2.5". */
    static String folder(double xi) {
        return "xi_" + (xi == Math.rint(xi) ? String.valueOf((long) xi) : String.valueOf(xi));
    }

    /** The estimate x = 0's test metrics at each ξ (the test batch depends on ξ). */
    static Map<Double, Map<String, Double>> zeroByXi(List<TrainConfig> configs) {
        Map<Double, Map<String, Double>> zero = new LinkedHashMap<>();
        for (TrainConfig c : configs) {
            zero.computeIfAbsent(c.option("xi"), xi -> new Trainer(c).zeroEstimateMetrics());
        }
        return zero;
    }

    /** One seed: {@link #sweepCsv(List)} and a row for the estimate x = 0 at each ξ. */
    static String sweepCsv(List<TrainingRun.Summary> runs, Map<Double, Map<String, Double>> zero) {
        StringBuilder sb = new StringBuilder(sweepCsv(runs));
        boolean authors = authorsMeasure(runs);
        zero.forEach((xi, metrics) -> {
            sb.append(xi).append(',').append(CompareCommand.ZERO);
            metrics.values().forEach(v -> sb.append(String.format(Locale.ROOT, ",%.6g", v)));
            if (authors) {
                sb.append(String.format(Locale.ROOT, ",%.6g", metrics.get("x_dist") / xi));
            }
            sb.append(String.format(Locale.ROOT, ",%.6g,,,,reference: the estimate x = 0%n", metrics.get("x_dist") / xi));
        });
        return sb.toString();
    }

    /**
     * Several seeds: per (ξ, method) the mean, std and 95 % interval of every final metric and of x_dist/ξ over
     * the seeds that finished ({@link SeedSummary}); the estimate x = 0 and the paired SIP − GD row at each ξ.
     */
    static String seedsCsv(List<TrainingRun.Summary> runs, Map<Double, Map<String, Double>> zero) {
        List<String> metrics = new ArrayList<>(runs.get(0).finalTest().means().keySet());
        StringBuilder sb = new StringBuilder("xi,method,n");
        for (String name : metrics) {
            header(sb, "final_test_" + name);
        }
        header(sb, "final_test_x_dist_over_xi");
        boolean authors = authorsMeasure(runs);
        if (authors) {
            header(sb, AUTHORS);
        }
        sb.append(",steps,median_step_ms,status\n");
        for (double xi : zero.keySet()) {
            List<TrainingRun.Summary> atXi = runs.stream().filter(r -> r.config().option("xi") == xi).toList();
            Map<Method, List<TrainingRun.Summary>> groups = SeedSummary.byMethod(atXi);
            for (Map.Entry<Method, List<TrainingRun.Summary>> g : groups.entrySet()) {
                List<TrainingRun.Summary> ok = g.getValue().stream().filter(r -> !r.failed()).toList();
                sb.append(xi).append(',').append(g.getKey().id()).append(',').append(ok.size());
                for (String name : metrics) {
                    stats(sb, ok.stream().mapToDouble(r -> r.finalTest().mean(name)).toArray());
                }
                stats(sb, ok.stream().mapToDouble(r -> r.finalTest().mean("x_dist") / xi).toArray());
                if (authors) {
                    stats(sb, ok.stream().mapToDouble(r -> authorsMeasure(r, xi)).toArray());
                }
                double[] ms = g.getValue().stream().mapToDouble(TrainingRun.Summary::medianStepMs).sorted().toArray();
                sb.append(String.format(Locale.ROOT, ",%d,%.1f,%s%n", g.getValue().get(0).config().steps(),
                        ms[ms.length / 2], SeedSummary.status(g.getValue())));
            }
            sb.append(xi).append(',').append(CompareCommand.ZERO).append(",1");
            Map<String, Double> z = zero.get(xi);
            for (String name : metrics) {
                fixed(sb, z.get(name));
            }
            fixed(sb, z.get("x_dist") / xi);
            if (authors) {
                fixed(sb, z.get("x_dist") / xi); // x = 0 has no training; its test value stands in
            }
            sb.append(",,,reference: the estimate x = 0 on the fixed test batch\n");
            List<String> withRatio = new ArrayList<>(metrics);
            List<double[]> diffs = SeedSummary.pairedDifferences(groups, withRatio);
            if (diffs != null) {
                sb.append(xi).append(",sip-gd,").append(diffs.get(0).length);
                for (double[] d : diffs) {
                    stats(sb, d);
                }
                stats(sb, diffs.get(metrics.indexOf("x_dist")).length == 0 ? new double[0]
                        : java.util.Arrays.stream(diffs.get(metrics.indexOf("x_dist"))).map(v -> v / xi).toArray());
                if (authors) {
                    stats(sb, pairedAuthors(groups, xi));
                }
                sb.append(",,,paired difference SIP - GD per seed (seeds where both finished)\n");
            }
        }
        return sb.toString();
    }

    /** The SIP authors' measure's column: the training batches' x_dist/ξ over the last 10 % of steps. */
    static final String AUTHORS = "train_x_dist_over_xi_last" + TrainingRun.LAST_PERCENT + "pct";

    /** Whether the runs come from a preset, whose tables report the authors' measure beside sipflow's. */
    static boolean authorsMeasure(List<TrainingRun.Summary> runs) {
        return runs.stream().anyMatch(r -> r.config().preset() != null);
    }

    /** The authors' relative x-distance of one run: its last 10 % of training steps' mean x_dist, over ξ. */
    static double authorsMeasure(TrainingRun.Summary r, double xi) {
        return r.lastSteps().getOrDefault("x_dist", Double.NaN) / xi;
    }

    /** SIP − GD of the authors' measure per seed, over the seeds where both finished. */
    private static double[] pairedAuthors(Map<Method, List<TrainingRun.Summary>> groups, double xi) {
        List<TrainingRun.Summary> sip = groups.getOrDefault(Method.SIP, List.of());
        List<TrainingRun.Summary> gd = groups.getOrDefault(Method.GD, List.of());
        List<Double> d = new ArrayList<>();
        for (TrainingRun.Summary a : sip) {
            for (TrainingRun.Summary b : gd) {
                if (a.config().seed() == b.config().seed() && !a.failed() && !b.failed()) {
                    d.add(authorsMeasure(a, xi) - authorsMeasure(b, xi));
                }
            }
        }
        return d.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void header(StringBuilder sb, String column) {
        for (String stat : List.of("mean", "std", "ci95_low", "ci95_high")) {
            sb.append(',').append(column).append('_').append(stat);
        }
    }

    private static void stats(StringBuilder sb, double[] values) {
        if (values.length == 0) {
            sb.append(",,,,");
            return;
        }
        SeedStatistics s = SeedStatistics.of(values);
        sb.append(String.format(Locale.ROOT, ",%.6g,%.6g,%.6g,%.6g", s.mean(), s.std(), s.low(), s.high()));
    }

    /** A value with no spread (x = 0 on the fixed test batch): std 0, interval [v, v]. */
    private static void fixed(StringBuilder sb, double v) {
        sb.append(String.format(Locale.ROOT, ",%.6g,0,%.6g,%.6g", v, v, v));
    }

    /** One row per run: xi, method, every final test metric, x_dist/ξ, timing and status. */
    static String sweepCsv(List<TrainingRun.Summary> runs) {
        StringBuilder sb = new StringBuilder("xi,method");
        for (String name : runs.get(0).finalTest().means().keySet()) {
            sb.append(",final_test_").append(name);
        }
        boolean authors = authorsMeasure(runs);
        sb.append(",final_test_x_dist_over_xi").append(authors ? "," + AUTHORS : "")
                .append(",steps,median_step_ms,wall_seconds,status\n");
        for (TrainingRun.Summary r : runs) {
            TestMetrics t = r.finalTest();
            sb.append(String.format(Locale.ROOT, "%s,%s", r.config().option("xi"), r.config().method().id()));
            for (double v : t.means().values()) {
                sb.append(String.format(Locale.ROOT, ",%.6g", v));
            }
            if (authors) {
                sb.append(String.format(Locale.ROOT, ",%.6g", t.mean("x_dist") / r.config().option("xi")));
                sb.append(String.format(Locale.ROOT, ",%.6g,%d,%.1f,%.1f,%s%n",
                        authorsMeasure(r, r.config().option("xi")), t.step(), r.medianStepMs(), r.wallSeconds(),
                        r.status()));
                continue;
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

    /**
     * Final x_dist/ξ against ξ (both axes logarithmic), one curve per method: with several seeds the mean over the
     * seeds that finished and a shaded 95 % band; the estimate x = 0 dashed.
     */
    static byte[] sweepPng(List<TrainingRun.Summary> runs, Map<Double, Map<String, Double>> zero) {
        List<Charts.Series> series = new ArrayList<>();
        List<Charts.Band> bands = new ArrayList<>();
        for (Method m : Method.values()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            List<Double> lo = new ArrayList<>();
            List<Double> hi = new ArrayList<>();
            for (double xi : zero.keySet()) {
                List<TrainingRun.Summary> here = runs.stream().filter(r -> r.config().method() == m
                        && r.config().option("xi") == xi).toList();
                List<TrainingRun.Summary> ok = here.stream().filter(r -> !r.failed()).toList();
                // a diverged run's last good value still marks the point when no seed finished (one seed: as ever)
                double[] v = (ok.isEmpty() ? here : ok).stream().mapToDouble(r -> r.finalTest().mean("x_dist") / xi)
                        .toArray();
                if (v.length == 0) {
                    continue;
                }
                SeedStatistics s = SeedStatistics.of(v);
                xs.add(xi);
                ys.add(s.mean());
                lo.add(s.low());
                hi.add(s.high());
            }
            if (!xs.isEmpty()) {
                String name = legend(m, runs);
                series.add(new Charts.Series(name, xs, ys, true));
                bands.add(new Charts.Band(name, xs, lo, hi));
            }
        }
        List<Double> zx = new ArrayList<>();
        List<Double> zy = new ArrayList<>();
        zero.forEach((xi, metrics) -> {
            zx.add(xi);
            zy.add(metrics.get("x_dist") / xi);
        });
        series.add(new Charts.Series("x = 0", zx, zy, false, true));
        TrainConfig c = runs.get(0).config();
        return Charts.logLogChart("sin problem, angle " + c.option("angle") + "°: final test x_dist / xi (test batch "
                + c.testBatch() + ")", "xi", "relative x-distance x_dist / xi", series, bands);
    }
}
