package io.sipflow.physics.cli;

import io.sipflow.physics.train.BatchStats;
import io.sipflow.physics.train.Problems;
import io.sipflow.physics.train.TestMetrics;
import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's results read back from its folder, for collecting the runs of a comparison or sweep that trained in
 * other processes: the config from checkpoint.json, the final test metrics, timings and status from run.json (its
 * numbers are written to be read back exactly, so a collected comparison.csv equals the one the runs' own process
 * writes), the test curve from test.csv, the problem's description from the problem the config makes. A folder without a manifest holds no finished run; what it holds says why.
 */
final class RunResults {
    private RunResults() {
    }

    /**
     * A run folder of a comparison or sweep: its summary when it finished (or stopped on a NaN: its results are
     * written too), else why not.
     *
     * @param folder the folder relative to the comparison's
     * @param summary the run's results, or null
     * @param missing why there are none ("not started", …), or null
     */
    record Outcome(String folder, TrainingRun.Summary summary, String missing) {
    }

    /** What {@code dir} (the run folder {@code folder} of a comparison) holds. */
    static Outcome read(Path dir, String folder) {
        if (RunFiles.manifest(dir) == null || !Files.isRegularFile(dir.resolve("run.json"))) {
            return new Outcome(folder, null, whyMissing(dir));
        }
        try {
            Map<String, Object> run = Json.read(Files.readString(dir.resolve("run.json")));
            TrainConfig config = TrainConfig.fromSettings(
                    Json.read(Files.readString(dir.resolve(TrainOptions.CHECKPOINT_JSON))));
            List<TestMetrics> tests = tests(dir.resolve("test.csv"), run);
            Trainer.Divergence divergence = null;
            if ("diverged".equals(run.get("status"))) {
                String because = String.valueOf(run.get("diverged_because"));
                divergence = new Trainer.Divergence(((Number) run.get("diverged_at_step")).intValue(),
                        because.startsWith(NON_FINITE) ? because.substring(NON_FINITE.length()) : because);
            }
            Object unstable = run.get("unstable_because");
            return new Outcome(folder, new TrainingRun.Summary(config, Problems.create(config).describe(), tests,
                    number(run, "median_step_ms"), number(run, "wall_seconds"), divergence,
                    unstable != null ? unstable.toString() : null, lastSteps(run),
                    testSeconds(dir.resolve("metrics.csv"), tests)), null);
        } catch (IOException | RuntimeException e) {
            return new Outcome(folder, null, "its results cannot be read (" + e.getMessage() + ")");
        }
    }

    private static final String NON_FINITE = "non-finite values in ";

    /** The SIP authors' measure as run.json records it: {@code train_<metric>_last10pct_mean}. */
    private static Map<String, Double> lastSteps(Map<String, Object> run) {
        String prefix = "train_";
        String suffix = "_last" + TrainingRun.LAST_PERCENT + "pct_mean";
        Map<String, Double> m = new LinkedHashMap<>();
        run.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.endsWith(suffix) && value instanceof Number n) {
                m.put(key.substring(prefix.length(), key.length() - suffix.length()), n.doubleValue());
            }
        });
        return m;
    }

    /** The summed step time at each test, from metrics.csv's {@code wall_s} (a test at step k follows k steps). */
    private static List<Double> testSeconds(Path metricsCsv, List<TestMetrics> tests) throws IOException {
        List<String> lines = Files.readAllLines(metricsCsv);
        int column = List.of(lines.get(0).split(",")).indexOf("wall_s");
        Map<Integer, Double> wallAtStep = new java.util.HashMap<>();
        wallAtStep.put(0, 0.0);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank() && column >= 0) {
                String[] v = line.split(",");
                wallAtStep.put(Integer.parseInt(v[0]) + 1, Double.parseDouble(v[column])); // row k: after step k + 1
            }
        }
        return tests.stream().map(t -> wallAtStep.getOrDefault(t.step(), Double.NaN)).toList();
    }

    private static double number(Map<String, Object> json, String key) {
        Object v = json.get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Why a run folder holds no results yet. */
    static String whyMissing(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "not started";
        }
        if (Files.isRegularFile(dir.resolve(TrainOptions.CHECKPOINT_NPZ))) {
            return "not finished: running, or stopped with a checkpoint that a resubmitted task resumes from";
        }
        if (Files.isRegularFile(dir.resolve(TrainOptions.CHECKPOINT_JSON))) {
            return "not finished: running, or stopped before its first checkpoint";
        }
        return "not started";
    }

    /**
     * test.csv's rows as test metrics (the headline's mean and std, every metric's mean), the last one with
     * run.json's exact final values (test.csv has 9 digits).
     */
    private static List<TestMetrics> tests(Path csv, Map<String, Object> run) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        String headline = header[1].substring(0, header[1].length() - "_mean".length());
        List<TestMetrics> tests = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] v = line.split(",");
            LinkedHashMap<String, Double> means = new LinkedHashMap<>();
            means.put(headline, Double.parseDouble(v[1]));
            for (int i = 3; i < header.length; i++) {
                means.put(header[i].substring(0, header[i].length() - "_mean".length()), Double.parseDouble(v[i]));
            }
            tests.add(new TestMetrics(Integer.parseInt(v[0]), headline,
                    new BatchStats(0, means.get(headline), Double.parseDouble(v[2]), Double.NaN, Double.NaN), means));
        }
        if (tests.isEmpty()) {
            throw new IOException(csv + " holds no test");
        }
        TestMetrics last = tests.remove(tests.size() - 1);
        LinkedHashMap<String, Double> exact = new LinkedHashMap<>();
        for (String name : last.means().keySet()) {
            Object v = run.get("final_test_" + name + "_mean");
            exact.put(name, v instanceof Number n ? n.doubleValue() : Double.NaN);
        }
        tests.add(new TestMetrics(last.step(), headline, new BatchStats(last.headline().count(), exact.get(headline),
                last.headline().std(), Double.NaN, Double.NaN), exact));
        return tests;
    }
}
