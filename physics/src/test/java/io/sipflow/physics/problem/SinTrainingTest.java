package io.sipflow.physics.problem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method trains the sin network with a loop of its own (not the trainer): the test residual after a short
 * run is far below the untrained network's (mean y_l2 ≈ 0.3 at ξ = 1).
 */
class SinTrainingTest {
    private static final SinProblem PROBLEM = new SinProblem(1, 45);

    @Test
    void untrainedNetworkIsFarFromSolving() {
        assertTrue(SinLoop.train(PROBLEM, SinLoop.Method.GD, 0, 100, 1e-3, 0).yL2() > 0.05);
    }

    @Test
    void sipAdamAndSgdReduceTheResidual() {
        assertTrue(SinLoop.train(PROBLEM, SinLoop.Method.SIP, 300, 50, 1e-3, 0).yL2() < 0.01);
        assertTrue(SinLoop.train(PROBLEM, SinLoop.Method.GD, 300, 50, 1e-3, 0).yL2() < 0.01);
        assertTrue(SinLoop.train(PROBLEM, SinLoop.Method.SGD, 300, 50, 2e-4, 0).yL2() < 0.01);
    }

    @Test
    void halfInverseGradientsReduceTheResidualInAFewSteps() {
        assertTrue(SinLoop.train(PROBLEM, SinLoop.Method.HIG, 15, 20, 0.1, 0).yL2() < 0.01);
    }
}
