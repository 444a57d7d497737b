package io.sipflow.physics.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training step's numbers: batch loss, statistics of the problem's headline metric on the training batch
 * (x_l2 for heat), the mean observation error y_l2 = ½‖P(x) − y*‖², wall time, and the training batch's mean of
 * every metric the problem reports (the sin problem's x_dist: its authors' figure averages it over the last steps).
 * Steps count from 0.
 *
 * @param step the step's index, from 0
 * @param loss the summed batch loss before the update
 * @param headline statistics of the problem's first metric over the training batch
 * @param yL2Mean the batch mean of ½‖P(x) − y*‖²
 * @param stepMs the step's wall time in milliseconds (data, forward, backward, update)
 * @param means every metric's training-batch mean by name, in the problem's report order (copied; may be empty
 *        for steps restored from a checkpoint written before it was kept)
 */
public record StepMetrics(int step, double loss, BatchStats headline, double yL2Mean, double stepMs,
                          Map<String, Double> means) {
    /**
     * Copies {@code means}, keeping its order.
     *
     * @param step the step's index, from 0
     * @param loss the summed batch loss before the update
     * @param headline statistics of the problem's first metric over the training batch
     * @param yL2Mean the batch mean of ½‖P(x) − y*‖²
     * @param stepMs the step's wall time in milliseconds
     * @param means every metric's training-batch mean by name
     */
    public StepMetrics {
        means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
    }

    /**
     * A step with the headline's metric only.
     *
     * @param step the step's index, from 0
     * @param loss the summed batch loss before the update
     * @param headline statistics of the problem's first metric over the training batch
     * @param yL2Mean the batch mean of ½‖P(x) − y*‖²
     * @param stepMs the step's wall time in milliseconds
     */
    public StepMetrics(int step, double loss, BatchStats headline, double yL2Mean, double stepMs) {
        this(step, loss, headline, yL2Mean, stepMs, Map.of());
    }

    /** {@return the headline statistics under the heat problem's name for them, x_l2} */
    public BatchStats xL2() {
        return headline;
    }
}
