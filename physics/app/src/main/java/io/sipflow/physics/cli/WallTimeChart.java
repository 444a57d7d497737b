package io.sipflow.physics.cli;

import io.sipflow.physics.plot.Charts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The comparison's curves against training time instead of steps, as the SIP authors plot them (their methods
 * differ in cost per step, so a fixed time is the fair budget): each run's test headline metric at each test,
 * placed at the summed step time before it ({@link TrainingRun.Summary#testSeconds()}), one curve per run (with
 * several seeds, one per seed: their times differ), and the estimate x = 0 dashed.
 */
final class WallTimeChart {
    /** The file compare writes it to, beside comparison.png. */
    static final String FILE = "comparison_time.png";

    private WallTimeChart() {
    }

    static byte[] png(List<TrainingRun.Summary> runs, Map<String, Double> zero) {
        boolean seeds = runs.stream().map(r -> r.config().seed()).distinct().count() > 1;
        List<Charts.Series> series = new ArrayList<>();
        double end = 0;
        for (TrainingRun.Summary r : runs) {
            List<Double> y = r.tests().stream().map(t -> t.xL2Mean()).toList();
            List<Double> x = r.testSeconds();
            if (x.size() != y.size() || x.isEmpty()) {
                continue; // a summary built without its step times (none from a real run)
            }
            end = Math.max(end, x.get(x.size() - 1));
            series.add(new Charts.Series(CompareCommand.legend(r) + (seeds ? " seed " + r.config().seed() : ""), x, y,
                    true));
        }
        String headline = runs.get(0).finalTest().headlineName();
        double value = zero.get(headline);
        series.add(new Charts.Series("x = 0", List.of(0.0, Math.max(end, 1e-3)), List.of(value, value), false, true));
        var c = runs.get(0).config();
        return Charts.logChart("Test " + headline + " over training time (" + runs.get(0).problem()
                        + ", held-out batch of " + c.testBatch() + ", train batch " + c.batch() + ")",
                "training time, s (summed step time)", headline + ", batch mean", series);
    }
}
