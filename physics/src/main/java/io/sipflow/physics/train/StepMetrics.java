package io.sipflow.physics.train;

/**
 * One training step's numbers: batch loss, statistics of the problem's headline metric on the training batch
 * (x_l2 for heat), the mean observation error y_l2 = ½‖P(x) − y*‖² and wall time. Steps count from 0.
 *
 * @param step the step's index, from 0
 * @param loss the summed batch loss before the update
 * @param headline statistics of the problem's first metric over the training batch
 * @param yL2Mean the batch mean of ½‖P(x) − y*‖²
 * @param stepMs the step's wall time in milliseconds (data, forward, backward, update)
 */
public record StepMetrics(int step, double loss, BatchStats headline, double yL2Mean, double stepMs) {
    /** {@return the headline statistics under the heat problem's name for them, x_l2} */
    public BatchStats xL2() {
        return headline;
    }
}
