package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under noGrad, the image problems' predict gives its FLOAT32 copies back to the buffer pool (and the U-Net its
 * activations): the same bits as a recorded prediction, the observation untouched (also when it is FLOAT32 already,
 * so that the input "copy" is the observation itself), and a warm call allocates at most its result.
 */
class PredictUnderNoGradTest {
    static Stream<Problem> imageProblems() {
        return Stream.of(new HeatProblem(32), new PoissonProblem(32));
    }

    @ParameterizedTest
    @MethodSource("imageProblems")
    void predictUnderNoGradIsTheRecordedPredictionAndLeavesTheObservationAlone(Problem problem) {
        Module net = problem.newNetwork(5);
        for (DType observed : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            String what = problem.getClass().getSimpleName() + ", " + observed + " observation: ";
            Tensor y = problem.sample(4, new SplittableRandom(6)).yTarget().to(observed);
            double[] observation = y.toDoubleArray();
            double[] recorded = problem.predict(net, y).toDoubleArray();
            double[] cold = Autodiff.noGrad(() -> problem.predict(net, y)).toDoubleArray();
            BufferPool.Counts before = BufferPool.counts();
            double[] warm = Autodiff.noGrad(() -> problem.predict(net, y)).toDoubleArray();
            long allocated = BufferPool.counts().allocatedSince(before);
            assertArrayEquals(recorded, cold, what + "first noGrad prediction");
            assertArrayEquals(recorded, warm, what + "second noGrad prediction");
            assertArrayEquals(observation, y.toDoubleArray(), what + "the observation");
            assertTrue(allocated <= 1, what + "a warm prediction allocated " + allocated + " arrays");
        }
    }
}
