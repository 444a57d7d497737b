package io.sipflow.physics.train;

/** One training step's numbers: batch loss, x_l2 statistics, mean y_l2 and wall time. Steps count from 0. */
public record StepMetrics(int step, double loss, BatchStats xL2, double yL2Mean, double stepMs) {
}
