package io.sipflow.nn;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-computed batch-norm values in both modes, and the running-statistics update. */
class BatchNorm2dTest {
    // One channel, values 1, 2, 3, 4 over batch 2 × width 2: mean 2.5, biased variance 1.25, unbiased 5/3.
    private static final Tensor X = Tensor.of(Shape.of(2, 1, 1, 2), 1, 2, 3, 4);

    @Test
    void trainingModeNormalisesWithBatchStatistics() {
        BatchNorm2d bn = new BatchNorm2d(1);
        bn.weight().set(Tensor.vector(2));
        bn.bias().set(Tensor.vector(1));
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {1 - 3 / s, 1 - 1 / s, 1 + 1 / s, 1 + 3 / s},
                bn.forward(X).toDoubleArray(), 1e-12);
        // running = 0.9·running + 0.1·batch (unbiased variance)
        assertArrayEquals(new double[] {0.25}, bn.runningMean().value().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.9 + 0.1 * 5.0 / 3.0}, bn.runningVar().value().toDoubleArray(), 1e-12);
    }

    @Test
    void evalModeUsesRunningStatisticsAndLeavesThem() {
        BatchNorm2d bn = new BatchNorm2d(1);
        bn.runningMean().set(Tensor.vector(1));
        bn.runningVar().set(Tensor.vector(4));
        bn.eval();
        double s = Math.sqrt(4 + 1e-5);
        assertArrayEquals(new double[] {0, 1 / s, 2 / s, 3 / s}, bn.forward(X).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1}, bn.runningMean().value().toDoubleArray(), 0);
        assertArrayEquals(new double[] {4}, bn.runningVar().value().toDoubleArray(), 0);
    }

    @Test
    void oneValuePerChannelCannotBeNormalisedInTraining() {
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).forward(Tensor.zeros(1, 2, 1, 1)));
        assertThrows(IllegalArgumentException.class, () -> new BatchNorm2d(2).forward(Tensor.zeros(1, 3, 2, 2)));
    }
}
