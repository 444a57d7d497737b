package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;
import io.sipflow.physics.train.Method;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code compare --seeds N} (N &gt; 1): one row per method with each final test metric's mean, standard
 * deviation and 95 % Student-t interval over the seeds that finished ({@link SeedStatistics}), the estimate
 * x = 0's row, and a paired row "sip-gd": the same statistics of the per-seed differences SIP − GD, which is how
 * the two methods are compared (they share each seed's weights and data, so intervals of the two means that
 * overlap can still hide a consistent difference). A diverged or unstable seed's numbers are not a result: it is
 * left out of the statistics and named in the status column.
 */
final class SeedSummary {
    private SeedSummary() {
    }

    /** The runs of each method, in the order they ran. */
    static Map<Method, List<TrainingRun.Summary>> byMethod(List<TrainingRun.Summary> runs) {
        Map<Method, List<TrainingRun.Summary>> m = new LinkedHashMap<>();
        for (TrainingRun.Summary r : runs) {
            m.computeIfAbsent(r.config().method(), k -> new ArrayList<>()).add(r);
        }
        return m;
    }

    /** comparison.csv for several seeds. */
    static String csv(List<TrainingRun.Summary> runs, Map<String, Double> zero) {
        List<String> metrics = List.copyOf(runs.get(0).finalTest().means().keySet());
        StringBuilder sb = new StringBuilder("method,n");
        for (String name : metrics) {
            for (String stat : List.of("mean", "std", "ci95_low", "ci95_high")) {
                sb.append(",final_test_").append(name).append('_').append(stat);
            }
        }
        sb.append(",median_step_ms,status\n");
        Map<Method, List<TrainingRun.Summary>> groups = byMethod(runs);
        for (Map.Entry<Method, List<TrainingRun.Summary>> g : groups.entrySet()) {
            List<TrainingRun.Summary> ok = g.getValue().stream().filter(r -> !r.failed()).toList();
            sb.append(g.getKey().id()).append(',').append(ok.size());
            for (String name : metrics) {
                appendStats(sb, ok.isEmpty() ? null : SeedStatistics.of(
                        ok.stream().mapToDouble(r -> r.finalTest().mean(name)).toArray()));
            }
            double[] ms = g.getValue().stream().mapToDouble(TrainingRun.Summary::medianStepMs).sorted().toArray();
            sb.append(String.format(Locale.ROOT, ",%.1f,%s%n", ms[ms.length / 2], status(g.getValue())));
        }
        sb.append(CompareCommand.ZERO).append(",1");
        for (String name : metrics) {
            double v = zero.get(name);
            appendStats(sb, new SeedStatistics(1, v, 0, v, v)); // one fixed test batch: no spread
        }
        sb.append(",,reference: the estimate x = 0 on the fixed test batch\n");
        List<double[]> diffs = pairedDifferences(groups, metrics);
        if (diffs != null) {
            sb.append("sip-gd,").append(diffs.get(0).length);
            for (double[] d : diffs) {
                appendStats(sb, d.length == 0 ? null : SeedStatistics.of(d));
            }
            sb.append(",,paired difference SIP - GD per seed (seeds where both finished)\n");
        }
        return sb.toString();
    }

    private static void appendStats(StringBuilder sb, SeedStatistics s) {
        if (s == null) {
            sb.append(",,,,");
            return;
        }
        sb.append(String.format(Locale.ROOT, ",%.6g,%.6g,%.6g,%.6g", s.mean(), s.std(), s.low(), s.high()));
    }

    /** "finished", or "2 of 3 finished; seed 5 diverged at step 12" (or "seed 5 unstable: …"). */
    static String status(List<TrainingRun.Summary> seeds) {
        List<String> diverged = new ArrayList<>();
        for (TrainingRun.Summary r : seeds) {
            if (r.failed()) {
                diverged.add("seed " + r.config().seed() + " " + r.status());
            }
        }
        return diverged.isEmpty() ? "finished" : (seeds.size() - diverged.size()) + " of " + seeds.size()
                + " finished; " + String.join("; ", diverged);
    }

    /**
     * Per metric, SIP − GD on each seed both finished (seeds matched by value), or null when the comparison
     * lacks SIP or GD.
     */
    static List<double[]> pairedDifferences(Map<Method, List<TrainingRun.Summary>> groups, List<String> metrics) {
        List<TrainingRun.Summary> sip = groups.get(Method.SIP);
        List<TrainingRun.Summary> gd = groups.get(Method.GD);
        if (sip == null || gd == null) {
            return null;
        }
        Map<Long, TrainingRun.Summary> gdBySeed = new LinkedHashMap<>();
        gd.forEach(r -> gdBySeed.put(r.config().seed(), r));
        List<TrainingRun.Summary[]> pairs = new ArrayList<>();
        for (TrainingRun.Summary a : sip) {
            TrainingRun.Summary b = gdBySeed.get(a.config().seed());
            if (b != null && !a.failed() && !b.failed()) {
                pairs.add(new TrainingRun.Summary[] {a, b});
            }
        }
        List<double[]> out = new ArrayList<>();
        for (String name : metrics) {
            out.add(pairs.stream().mapToDouble(p -> p[0].finalTest().mean(name) - p[1].finalTest().mean(name))
                    .toArray());
        }
        return out;
    }

    /**
     * The headline's paired comparison in words: "SIP − GD final test x_l2 per seed: mean −60.1, 95 % interval
     * [−75.2, −45.0] over 3 seeds: SIP is lower (the interval excludes 0)".
     */
    static String verdict(List<TrainingRun.Summary> runs) {
        Map<Method, List<TrainingRun.Summary>> groups = byMethod(runs);
        String headline = runs.get(0).finalTest().headlineName();
        List<double[]> diffs = pairedDifferences(groups, List.of(headline));
        if (diffs == null) {
            return "";
        }
        double[] d = diffs.get(0);
        if (d.length < 2) {
            return "no verdict: fewer than 2 seeds on which both SIP and GD finished (see the status column)\n";
        }
        SeedStatistics s = SeedStatistics.of(d);
        String word = s.sign() < 0 ? "SIP is lower (the interval excludes 0)"
                : s.sign() > 0 ? "GD is lower (the interval excludes 0)"
                : "no clear difference at 95 % (the interval holds 0)";
        return String.format(Locale.ROOT, "SIP - GD final test %s per seed: mean %.3g, 95 %% interval [%.3g, %.3g]"
                + " over %d seeds: %s%n", headline, s.mean(), s.low(), s.high(), s.n(), word);
    }

    /**
     * comparison.png for several seeds: per method the mean test headline metric over its finished seeds with a
     * shaded 95 % band, at the test steps all of them reached; x = 0 dashed.
     */
    static byte[] png(List<TrainingRun.Summary> runs, Map<String, Double> zero) {
        List<Charts.Series> series = new ArrayList<>();
        List<Charts.Band> bands = new ArrayList<>();
        for (Map.Entry<Method, List<TrainingRun.Summary>> g : byMethod(runs).entrySet()) {
            List<TrainingRun.Summary> ok = g.getValue().stream().filter(r -> !r.failed()).toList();
            List<TrainingRun.Summary> used = ok.isEmpty() ? g.getValue() : ok;
            int points = used.stream().mapToInt(r -> r.tests().size()).min().orElse(0);
            List<Integer> steps = new ArrayList<>();
            List<Double> mean = new ArrayList<>();
            List<Double> low = new ArrayList<>();
            List<Double> high = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                final int k = i;
                SeedStatistics s = SeedStatistics.of(used.stream().mapToDouble(r -> r.tests().get(k).xL2Mean())
                        .toArray());
                steps.add(used.get(0).tests().get(i).step());
                mean.add(s.mean());
                low.add(s.low());
                high.add(s.high());
            }
            String name = g.getKey().name() + " (mean of " + used.size() + " seeds"
                    + (ok.size() < g.getValue().size() ? ", " + status(g.getValue()) : "") + ")";
            series.add(new Charts.Series(name, steps, mean, true));
            bands.add(new Charts.Band(name, steps, low, high));
        }
        return CompareCommand.chart(runs, series, bands, zero);
    }

}
