package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.RunIdentity;
import io.sipflow.physics.train.Setting;
import io.sipflow.physics.train.Settings;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.sipflow.physics.train.TrainConfig;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
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
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false, modelTransformer = SettingOptions.class,
        description = {"Train every method from the same initial weights on the same batches and compare them.",
                "Writes DIR/<method>/ for each run (with --seeds N > 1: DIR/<method>/seed_<S>/ for each seed S),",
                "DIR/comparison.csv (with a row for the estimate x = 0), DIR/comparison.png and, over training time,",
                "DIR/comparison_time.png. The runs train here, one",
                "after another or --jobs N at a time, or on Slurm (--executor slurm): docs/cluster.md.",
                "Exit codes: 0 done, 1 error, 2 bad command line or output folder, 3 a method stopped on a NaN or infinity or ended unstable,",
                "4 runs are missing (--collect before they all finished)."})
final class CompareCommand implements Callable<Integer> {
    /** The methods and shared settings of a comparison, for --resume. */
    static final String COMPARE_JSON = "compare.json";

    @Spec
    CommandSpec spec;

    @Option(names = "--methods", paramLabel = "METHOD", split = ",", defaultValue = "sip,gd",
            converter = TrainCommand.MethodConverter.class,
            description = "methods to train, comma-separated, each once: sip, gd, sgd, hig, adahessian, hessian-free"
                    + " (default sip,gd)")
    List<Method> methods;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default runs/compare)")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "continue the comparison in DIR: finished methods are kept, interrupted ones resume")
    Path resume;

    @Option(names = "--seeds", paramLabel = "N",
            description = "train every method with the N seeds --seed, --seed + 1, ... (weights and training data;"
                    + " the test batch stays fixed); comparison.csv gives mean, std and 95%% intervals (default 1)")
    Integer seeds;

    @Option(names = "--collect", paramLabel = "DIR",
            description = "collect the runs that have finished in DIR (e.g. ones run on Slurm) into comparison.csv and"
                    + " comparison.png, naming those still missing (exit 4 while any is)")
    Path collect;

    @Mixin
    TrainOptions train;

    @Mixin
    ExecutorOptions exec;

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
            List<Method> recorded = recordedMethods(resume, cl);
            if (cl.getParseResult() != null && cl.getParseResult().hasMatchedOption("--methods")
                    && !methods.equals(recorded)) {
                throw new CommandLine.ParameterException(cl, "--methods " + ids(methods) + " differs from the methods "
                        + ids(recorded) + " the comparison in " + resume + " was started with; --resume continues it"
                        + " as it started (drop --methods)");
            }
            for (Method m : recorded) {
                configs.add(recordedConfig(base, m, cl));
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

    /** The number of seeds: --seeds, or on --resume the number recorded (which --seeds may not change). */
    int seedCount() {
        CommandLine cl = spec.commandLine();
        if (seeds != null && seeds < 1) {
            throw new CommandLine.ParameterException(cl, "--seeds must be at least 1, got " + seeds);
        }
        if (resume == null) {
            return seeds != null ? seeds : 1;
        }
        Object recorded;
        try {
            recorded = Json.read(Files.readString(resume.resolve(COMPARE_JSON))).get(SEEDS);
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(cl, "--resume " + resume + ": cannot read " + COMPARE_JSON
                    + ": " + e.getMessage());
        }
        int n = recorded == null ? 1 : ((Number) recorded).intValue();
        if (seeds != null && seeds != n) {
            throw new CommandLine.ParameterException(cl, "--seeds " + seeds + " differs from the " + n + " seed(s)"
                    + " the comparison in " + resume + " was started with; --resume continues it as it started"
                    + " (drop --seeds)");
        }
        return n;
    }

    /** compare.json's name of the seed count (written only when it is above 1). */
    static final String SEEDS = "seeds";

    /** One run of the comparison: a method with one seed, in its own folder. */
    record RunSpec(TrainConfig config, String folder) {
    }

    /** Every (method, seed) run: seeds base, base + 1, …; one seed keeps DIR/&lt;method&gt;/. */
    static List<RunSpec> runSpecs(List<TrainConfig> configs, int n) {
        List<RunSpec> specs = new ArrayList<>();
        for (TrainConfig c : configs) {
            for (int i = 0; i < n; i++) {
                TrainConfig ci = n == 1 ? c : c.toBuilder().seed(c.seed() + i).build();
                specs.add(new RunSpec(ci, n == 1 ? c.method().id() : c.method().id() + "/seed_" + ci.seed()));
            }
        }
        return specs;
    }

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if (collect != null) {
            return SweepCommand.collect(cl, collect, "compare");
        }
        List<TrainConfig> configs = configs();
        int n = seedCount();
        List<RunSpec> specs = runSpecs(configs, n);
        exec.check();
        common.apply();
        Path given = resume != null ? resume : out != null ? out : Path.of("runs", "compare");
        String flag = resume != null ? "--resume" : "--out";
        OutputFolder.Mode mode = resume != null ? OutputFolder.Mode.RESUME
                : train.overwrite ? OutputFolder.Mode.OVERWRITE : OutputFolder.Mode.NEW;
        Path dir = OutputFolder.usage(cl, () -> OutputFolder.check(given, flag, mode));
        for (TrainConfig c : configs) {
            TrainCommand.fits(c);
        }
        try (RunLock lock = OutputFolder.usage(cl, () -> RunLock.acquire(dir, flag, given))) {
            Map<String, String> resumed = resumable(cl, dir, specs);
            OutputFolder.usage(cl, () -> OutputFolder.prepare(given, flag, dir, mode));
            String runId = resume != null ? recordedRunId(dir) : RunIdentity.newRunId();
            if (resume == null) {
                Map<String, Object> json = new LinkedHashMap<>(configs.get(0).settings());
                json.put("methods", ids(configs.stream().map(TrainConfig::method).toList()));
                json.put(TrainingRun.RUN_ID, runId);
                if (n > 1) {
                    json.put(SEEDS, n);
                }
                json.putAll(perMethodSettings(configs));
                AtomicFiles.writeString(dir.resolve(COMPARE_JSON), Json.write(json));
            }
            return RunSplit.run(cl, RunCollection.Kind.COMPARE, dir, specs, n, runId, exec, common,
                    train.detectAnomaly, () -> {
                        for (RunSpec r : specs) {
                            String id = runId + "-" + r.folder().replace("/seed_", "-seed");
                            trainMethod(cl, r.config(), dir.resolve(r.folder()), given.resolve(r.folder()), flag,
                                    resumed.getOrDefault(r.folder(), id), resumed.containsKey(r.folder()));
                        }
                    });
        }
    }

    /**
     * With --resume: the run id of each interrupted run, by folder, every checkpoint checked before the first one
     * trains.
     */
    private Map<String, String> resumable(CommandLine cl, Path dir, List<RunSpec> specs) throws IOException {
        Map<String, String> resumed = new LinkedHashMap<>();
        for (RunSpec r : specs) {
            Path runDir = dir.resolve(r.folder());
            if (resume != null && Files.isRegularFile(runDir.resolve(TrainOptions.CHECKPOINT_NPZ))) {
                resumed.put(r.folder(), OutputFolder.usage(cl, () -> ResumeCheck.runId(runDir, r.config())));
            }
        }
        return resumed;
    }

    /**
     * compare.json's "&lt;method&gt;.&lt;setting&gt;" entries: each setting in which a method's config differs from
     * the first method's (the problem's per-method learning rates, SGD's momentum), so --resume restores them.
     */
    static Map<String, Object> perMethodSettings(List<TrainConfig> configs) {
        Map<String, Object> base = configs.get(0).settings();
        Map<String, Object> out = new LinkedHashMap<>();
        for (TrainConfig c : configs.subList(1, configs.size())) {
            c.settings().forEach((k, v) -> {
                if (!k.equals(Settings.METHOD.key()) && !java.util.Objects.equals(base.get(k), v)) {
                    out.put(c.method().id() + "." + k, v);
                }
            });
        }
        return out;
    }

    /** Method m's config on --resume: compare.json's shared settings, m's own ones, then --steps if given. */
    private TrainConfig recordedConfig(TrainConfig base, Method m, CommandLine cl) {
        Map<String, Object> recorded;
        try {
            recorded = Json.read(Files.readString(resume.resolve(COMPARE_JSON)));
        } catch (IOException | RuntimeException e) {
            throw new CommandLine.ParameterException(cl, "--resume " + resume + ": cannot read " + COMPARE_JSON
                    + ": " + e.getMessage());
        }
        Map<String, Object> s = new LinkedHashMap<>(base.settings());
        s.put(Settings.METHOD.key(), Settings.METHOD.toJson(m));
        String prefix = m.id() + ".";
        recorded.forEach((k, v) -> {
            if (k.startsWith(prefix) && !TrainConfig.RESUMABLE.contains(k.substring(prefix.length()))) {
                s.put(k.substring(prefix.length()), v);
            }
        });
        for (Setting<?> setting : Settings.all()) {
            Object own = recorded.get(prefix + setting.key());
            if (setting.resumable() && train.given(setting) == null && own != null) {
                s.put(setting.key(), own); // this method's own value, which a flag on this resume did not replace
            }
        }
        try {
            return TrainConfig.fromSettings(s);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, "--resume " + resume + ": " + e.getMessage());
        }
    }

    /** One run in its folder (DIR/&lt;method&gt;/ or DIR/&lt;method&gt;/seed_&lt;S&gt;/), under that folder's own lock. */
    private TrainingRun.Summary trainMethod(CommandLine cl, TrainConfig c, Path runDir, Path shown, String flag,
                                            String runId, boolean resumeIt) throws IOException {
        try (RunLock sub = OutputFolder.usage(cl, () -> RunLock.acquire(runDir, flag, shown))) {
            Files.deleteIfExists(runDir.resolve(RunFiles.MANIFEST)); // its results are about to change
            return TrainingRun.execute(c, runDir, runId, common, cl.getOut(), cl.getErr(), resumeIt,
                    train.detectAnomaly);
        }
    }

    private static String ids(List<Method> methods) {
        return String.join(",", methods.stream().map(Method::id).toList());
    }

    /** The comparison's run id from compare.json (one written before sipflow 0.2 gets a new one). */
    private static String recordedRunId(Path dir) throws java.io.IOException {
        Object id = Json.read(Files.readString(dir.resolve(COMPARE_JSON))).get(TrainingRun.RUN_ID);
        return id != null ? id.toString() : RunIdentity.newRunId();
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

    /** The estimate x = 0's row: its metrics on the test batch, no step time, "reference" as its status. */
    static final String ZERO = "zero";

    /** One seed: a row per method and the estimate x = 0's, in the columns compare has always written. */
    static String comparisonCsv(List<TrainingRun.Summary> runs, Map<String, Double> zero) {
        StringBuilder sb = new StringBuilder(comparisonCsv(runs)).append(ZERO);
        for (String name : runs.get(0).finalTest().means().keySet()) {
            sb.append(String.format(Locale.ROOT, ",%.6g", zero.get(name)));
        }
        return sb.append(",,reference: the estimate x = 0\n").toString();
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
            sb.append(String.format(Locale.ROOT, ",%.1f,%s%n", r.medianStepMs(), r.status()));
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
        if (sip == null || gd == null || sip.failed() || gd.failed()) {
            return sip != null && sip.failed() || gd != null && gd.failed()
                    ? "no verdict: a method diverged or is unstable (see the status column)\n" : "";
        }
        double a = sip.finalTest().xL2Mean();
        double b = gd.finalTest().xL2Mean();
        return String.format(Locale.ROOT, "SIP final test %s %.3g vs GD %.3g: %s%n", sip.finalTest().headlineName(), a, b,
                a < b ? String.format(Locale.ROOT, "SIP is %.2fx lower", b / a)
                        : String.format(Locale.ROOT, "GD is %.2fx lower", a / b));
    }

    /** As {@link #comparisonPng(List)}, with the estimate x = 0's headline metric as a dashed line. */
    static byte[] comparisonPng(List<TrainingRun.Summary> runs, Map<String, Double> zero) {
        return chart(runs, series(runs), List.of(), zero);
    }

    /** The chart of {@code series} and {@code bands}, with x = 0's headline metric as a dashed reference line. */
    static byte[] chart(List<TrainingRun.Summary> runs, List<Charts.Series> series, List<Charts.Band> bands,
                        Map<String, Double> zero) {
        var c = runs.get(0).config();
        String headline = runs.get(0).finalTest().headlineName();
        List<Charts.Series> all = new ArrayList<>(series);
        double value = zero.get(headline);
        all.add(new Charts.Series("x = 0", List.of(0, c.steps()), List.of(value, value), false, true));
        return Charts.logChart("Test " + headline + " (" + runs.get(0).problem() + ", held-out batch of "
                + c.testBatch() + ", train batch " + c.batch() + ")", "training step", headline + ", batch mean", all,
                bands);
    }

    /** "SIP", "SGD (diverged at step 3)" or "GD (unstable)": a run's name in comparison.png's legend. */
    static String legend(TrainingRun.Summary r) {
        return r.config().method().id().toUpperCase(Locale.ROOT)
                + (r.diverged() ? " (diverged at step " + r.divergence().step() + ")" : r.unstable() ? " (unstable)" : "");
    }

    /** Test x_l2 over steps for every method, as the paper's figure. */
    static byte[] comparisonPng(List<TrainingRun.Summary> runs) {
        var c = runs.get(0).config();
        String headline = runs.get(0).finalTest().headlineName();
        return Charts.logChart("Test " + headline + " (" + runs.get(0).problem() + ", held-out batch of "
                + c.testBatch() + ", train batch " + c.batch() + ")", "training step", headline + ", batch mean",
                series(runs));
    }

    /** One curve per run: its test headline metric over steps. */
    private static List<Charts.Series> series(List<TrainingRun.Summary> runs) {
        List<Charts.Series> series = new ArrayList<>();
        for (TrainingRun.Summary r : runs) {
            List<Integer> steps = new ArrayList<>();
            List<Double> l2 = new ArrayList<>();
            for (TestMetrics t : r.tests()) {
                steps.add(t.step());
                l2.add(t.xL2Mean());
            }
            series.add(new Charts.Series(legend(r), steps, l2, true));
        }
        return series;
    }
}
