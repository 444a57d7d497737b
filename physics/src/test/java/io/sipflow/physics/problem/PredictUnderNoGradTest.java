package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image problems' predict gives its FLOAT32 copies back to the buffer pool (and the U-Net its activations).
 * Under noGrad: the same bits as a recorded prediction, the observation untouched (also when it is FLOAT32 already,
 * so that the input "copy" is the observation itself), and a warm call allocates at most its result. Recorded: a
 * backward pass that frees the graph (and gives the copies back when it ends) gets the gradients of one that keeps
 * it, and the prediction and the observation stay readable after it.
 */
class PredictUnderNoGradTest {
    static Stream<Problem> imageProblems() {
        return Stream.of(new HeatProblem(32), new PoissonProblem(32));
    }

    /** One check of a prediction from {@code y}, the batch's observation in one type; {@code what} names the case. */
    private interface ObservationCheck {
        void check(String what, Problem.Batch batch, Tensor y);
    }

    /**
     * Runs {@code check} on a FLOAT64 and a FLOAT32 observation (for FLOAT32, predict's input "copy" is the
     * observation itself), then asserts that the observation's values did not change.
     */
    private static void forEachObservationType(Problem problem, long seed, ObservationCheck check) {
        for (DType observed : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            String what = problem.getClass().getSimpleName() + ", " + observed + " observation: ";
            Problem.Batch batch = problem.sample(4, new SplittableRandom(seed));
            Tensor y = batch.yTarget().to(observed);
            double[] observation = y.toDoubleArray();
            check.check(what, batch, y);
            assertArrayEquals(observation, y.toDoubleArray(), what + "the observation");
        }
    }

    @ParameterizedTest
    @MethodSource("imageProblems")
    void predictUnderNoGradIsTheRecordedPredictionAndLeavesTheObservationAlone(Problem problem) {
        Module net = problem.newNetwork(5);
        forEachObservationType(problem, 6, (what, batch, y) -> {
            double[] recorded = problem.predict(net, y).toDoubleArray();
            double[] cold = Autodiff.noGrad(() -> problem.predict(net, y)).toDoubleArray();
            BufferPool.Counts before = BufferPool.counts();
            double[] warm = Autodiff.noGrad(() -> problem.predict(net, y)).toDoubleArray();
            long allocated = BufferPool.counts().allocatedSince(before);
            assertArrayEquals(recorded, cold, what + "first noGrad prediction");
            assertArrayEquals(recorded, warm, what + "second noGrad prediction");
            assertTrue(allocated <= 1, what + "a warm prediction allocated " + allocated + " arrays");
        });
    }

    @ParameterizedTest
    @MethodSource("imageProblems")
    void aFreeingBackwardPassThroughPredictGetsTheKeptGraphsGradients(Problem problem) {
        Module net = problem.newNetwork(7);
        forEachObservationType(problem, 8, (what, batch, y) -> {
            Tensor keptPrediction = problem.predict(net, y);
            Gradients kept = Autodiff.grad(Problem.l2(keptPrediction.sub(batch.xGroundTruth())).sum(),
                    net.parameterValues(), Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.KEEP_GRAPH);
            Tensor freedPrediction = problem.predict(net, y);
            Gradients freed = Autodiff.grad(Problem.l2(freedPrediction.sub(batch.xGroundTruth())).sum(),
                    net.parameterValues(), Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH);
            for (int i = 0; i < net.parameterValues().size(); i++) {
                Tensor p = net.parameterValues().get(i);
                assertArrayEquals(kept.get(p).toDoubleArray(), freed.get(p).toDoubleArray(), what + "parameter " + i);
            }
            assertArrayEquals(keptPrediction.toDoubleArray(), freedPrediction.toDoubleArray(), what + "prediction");
        });
    }
}
