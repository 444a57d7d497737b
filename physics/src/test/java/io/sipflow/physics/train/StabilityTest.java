package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link Stability}'s three rules, on the sin problem's metrics (y_l2 headline, x_dist) from docs/results.md. */
class StabilityTest {
    /** x = 0 on the default sin test batch at ξ = 100: y_l2 0.329, x_dist 5.67. */
    private static final Map<String, Double> ZERO = Map.of("y_l2", 0.329, "x_dist", 5.67);

    @Test
    void aNonFiniteFinalMetricIsUnstable() {
        assertEquals("final y_l2 is NaN", Stability.unstableBecause(run(0.5, 0.2, Double.NaN), ZERO));
        assertEquals("final y_l2 is Infinity",
                Stability.unstableBecause(run(Double.POSITIVE_INFINITY), ZERO), "even without a step");
    }

    /** HIG at ξ = 100: y_l2 2447 untrained, 0.0194 at best, 556 at the end. */
    @Test
    void endingMoreThanTenTimesAboveTheBestIsUnstable() {
        assertEquals("final y_l2 556 is over 10x its best 0.0194",
                Stability.unstableBecause(run(2447, 0.19, 0.0194, 890, 556), ZERO));
        assertNull(Stability.unstableBecause(run(2447, 0.1, 0.99), ZERO), "9.9x its best stands");
        assertEquals("final y_l2 1.01 is over 10x its best 0.100",
                Stability.unstableBecause(run(2447, 0.1, 1.01), ZERO));
        assertNull(Stability.unstableBecause(run(2447, 0.02, 0.03), ZERO), "a little above the best stands");
    }

    @Test
    void worseThanXEqualsZeroInEveryMetricIsUnstable() {
        assertEquals("final y_l2 0.400 and x_dist 5.80 are each worse than the estimate x = 0 (0.329 and 5.67)",
                Stability.unstableBecause(run(metrics(0.5, 5.9), metrics(0.4, 5.8)), ZERO));
        // SIP at ξ = 100: y_l2 above x = 0's, but x 170x closer to a solution: its result stands
        assertNull(Stability.unstableBecause(run(metrics(2447, 5.68), metrics(0.412, 0.0323)), ZERO));
        // SGD at ξ = 100: x no better than x = 0's, but y_l2 below it
        assertNull(Stability.unstableBecause(run(metrics(2447, 5.68), metrics(0.232, 5.68)), ZERO));
    }

    @Test
    void anUntrainedNetworkIsJudgedOnlyOnFiniteness() {
        assertNull(Stability.unstableBecause(List.of(test(0, metrics(2447, 5.68))), ZERO));
    }

    /** Tests at steps 0, 25, 50, … with these y_l2 means (x_dist 0.1 each). */
    private static List<TestMetrics> run(double... yL2) {
        List<LinkedHashMap<String, Double>> m = new ArrayList<>();
        for (double v : yL2) {
            m.add(metrics(v, 0.1));
        }
        return run(m.toArray(new LinkedHashMap[0]));
    }

    @SafeVarargs
    private static List<TestMetrics> run(LinkedHashMap<String, Double>... means) {
        List<TestMetrics> tests = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            tests.add(test(25 * i, means[i]));
        }
        return tests;
    }

    private static TestMetrics test(int step, LinkedHashMap<String, Double> means) {
        double y = means.get("y_l2");
        return new TestMetrics(step, "y_l2", new BatchStats(100, y, 0, y, y), means);
    }

    private static LinkedHashMap<String, Double> metrics(double yL2, double xDist) {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put("y_l2", yL2);
        m.put("x_dist", xDist);
        return m;
    }
}
