package io.sipflow.physics.train;

import java.util.LinkedHashMap;

/**
 * The network's error on the fixed held-out batch after {@code step} updates: the problem's metrics by name (for
 * heat x_l2 = ½Σ(x_gt − x)² and x_l1 = Σ|x_gt − x| per example), the first, the headline, with its statistics,
 * every one as its batch mean.
 */
public record TestMetrics(int step, String headlineName, BatchStats headline, LinkedHashMap<String, Double> means) {
    public double xL2Mean() {
        return headline.mean();
    }

    public double xL2Std() {
        return headline.std();
    }

    /** The mean of metric {@code name} (NaN if the problem has none by that name). */
    public double mean(String name) {
        return means.getOrDefault(name, Double.NaN);
    }

    public double xL1Mean() {
        return mean("x_l1");
    }
}
