package io.sipflow.physics.train;

import java.util.LinkedHashMap;

/**
 * The network's error on the fixed held-out batch after {@code step} updates: the problem's metrics by name (for
 * heat x_l2 = ½Σ(x_gt − x)² and x_l1 = Σ|x_gt − x| per example), the first, the headline, with its statistics,
 * every one as its batch mean.
 *
 * @param step the number of updates made before the test
 * @param headlineName the problem's first metric ("x_l2", "y_l2")
 * @param headline that metric's statistics over the test batch
 * @param means every metric's batch mean, by name, in the problem's order
 */
public record TestMetrics(int step, String headlineName, BatchStats headline, LinkedHashMap<String, Double> means) {
    /** {@return the headline metric's batch mean (x_l2 for heat and Poisson, y_l2 for sin)} */
    public double xL2Mean() {
        return headline.mean();
    }

    /** {@return the headline metric's population standard deviation over the batch} */
    public double xL2Std() {
        return headline.std();
    }

    /**
     * The batch mean of metric {@code name}.
     *
     * @param name a metric's name, e.g. "x_l1"
     * @return its mean, or NaN if the problem has no metric by that name
     */
    public double mean(String name) {
        return means.getOrDefault(name, Double.NaN);
    }

    /** {@return the batch mean of x_l1 = Σ|x_gt − x| (NaN for problems without it, such as sin)} */
    public double xL1Mean() {
        return mean("x_l1");
    }
}
