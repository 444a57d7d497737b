package io.sipflow.physics.train;

/**
 * The network's error on the fixed held-out batch after {@code step} updates: x_l2 = ½Σ(x_gt − x)² and
 * x_l1 = Σ|x_gt − x| per example, averaged (x_l2 also with its population std).
 */
public record TestMetrics(int step, double xL2Mean, double xL2Std, double xL1Mean) {
}
