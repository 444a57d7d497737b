package io.sipflow.physics.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a finished run's final test result may be reported as a result. A run is <b>unstable</b> when
 * <ol>
 *   <li>its final headline metric (x_l2 for heat and Poisson, y_l2 for sin; lower is better) is not finite, or</li>
 *   <li>that metric is more than {@value #MAX_RATIO_TO_BEST}× the best value its tests reached: it found a good
 *       answer and left it (HIG on the sin problem at ξ = 100 reaches y_l2 0.02 by step 125 and ends at 556), or</li>
 *   <li>it is worse than the trivial estimate x = 0 on the same test batch in <em>every</em> metric the problem
 *       reports: the network is worse than no network.</li>
 * </ol>
 * Rule 3 asks for every metric because one alone can mislead: on the sin problem at ξ = 100, SIP's final y_l2
 * (0.41) is above that of x = 0 (0.33) while its x is 170× closer to an exact solution (x_dist 0.03 against 5.7),
 * since the stretched direction turns a tiny x error into a large y error. A run that never took a step is judged
 * by rule 1 only: an untrained network says nothing about a method. {@code compare} and {@code sweep} mark unstable
 * runs in their status column and plot legend and exit 3, as for a divergence.
 */
public final class Stability {
    /** How far above its best test value a run may end before it counts as having left its solution. */
    public static final double MAX_RATIO_TO_BEST = 10;

    private Stability() {
    }

    /**
     * Null when the run's result stands; otherwise why not, in words without commas (it goes into CSV cells),
     * e.g. "final y_l2 556 is over 10x its best 0.0194".
     *
     * @param tests        the run's test results in order (the last is the final one)
     * @param zeroEstimate every metric's batch mean for x = 0 on the same test batch, by name
     * @return null for a result that stands, else the reason it does not
     */
    public static String unstableBecause(List<TestMetrics> tests, Map<String, Double> zeroEstimate) {
        TestMetrics last = tests.get(tests.size() - 1);
        String name = last.headlineName();
        double finalValue = last.headline().mean();
        if (!Double.isFinite(finalValue)) {
            return "final " + name + " is " + finalValue;
        }
        if (last.step() == 0) {
            return null;
        }
        double best = tests.stream().mapToDouble(t -> t.headline().mean()).filter(Double::isFinite).min()
                .orElse(finalValue);
        if (finalValue > MAX_RATIO_TO_BEST * best) {
            return String.format(Locale.ROOT, "final %s %.3g is over %.0fx its best %.3g", name, finalValue,
                    MAX_RATIO_TO_BEST, best);
        }
        List<String> mine = new ArrayList<>();
        List<String> zeros = new ArrayList<>();
        for (Map.Entry<String, Double> e : last.means().entrySet()) {
            Double zero = zeroEstimate.get(e.getKey());
            if (zero == null || !(e.getValue() > zero)) {
                return null;
            }
            mine.add(String.format(Locale.ROOT, "%s %.3g", e.getKey(), e.getValue()));
            zeros.add(String.format(Locale.ROOT, "%.3g", zero));
        }
        return "final " + String.join(" and ", mine) + (mine.size() == 1 ? " is" : " are each")
                + " worse than the estimate x = 0 (" + String.join(" and ", zeros) + ")";
    }
}
