package io.sipflow.physics.problem;

import io.sipflow.autodiff.Tensor;
import io.sipflow.physics.InverseDiffuse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link HeatProblem#sipTarget} gives its own intermediates (residual, |residual|, uncertainty, correction) back to
 * the buffer pool. Its inputs and every target it returned must keep their values while later calls reuse those
 * arrays; the target is x + {@link InverseDiffuse#fourier}'s correction, bit for bit. Batch 4 at 32² (4096 values
 * per tensor) so the arrays come from the pool.
 */
class SipTargetBuffersTest {
    @Test
    void inputsAndEarlierTargetsSurviveLaterCalls() {
        HeatProblem heat = new HeatProblem(32);
        SplittableRandom random = new SplittableRandom(11);
        Problem.Batch batch = heat.sample(4, random);
        Tensor x = Tensor.randn(random, 4, 32, 32).mul(0.1).add(batch.xGroundTruth());
        Tensor y = heat.physics(x);
        double[][] inputs = {x.toDoubleArray(), y.toDoubleArray(), batch.yTarget().toDoubleArray()};
        Tensor residual = batch.yTarget().sub(y);
        double[] expected = x.add(InverseDiffuse.fourier(residual, HeatProblem.AMOUNT,
                residual.abs().mul(HeatProblem.UNCERTAINTY_SCALE)).correction()).toDoubleArray();
        List<Tensor> targets = new ArrayList<>();
        for (int call = 0; call < 4; call++) {
            targets.add(heat.sipTarget(x, y, batch.yTarget()));
            Tensor other = heat.physics(Tensor.randn(random, 4, 32, 32)); // more pool traffic between the calls
            heat.sipTarget(other, heat.physics(other), batch.yTarget());
        }
        for (int call = 0; call < targets.size(); call++) {
            assertArrayEquals(expected, targets.get(call).toDoubleArray(), 0.0, "target of call " + call);
        }
        assertArrayEquals(inputs[0], x.toDoubleArray(), 0.0, "x");
        assertArrayEquals(inputs[1], y.toDoubleArray(), 0.0, "y");
        assertArrayEquals(inputs[2], batch.yTarget().toDoubleArray(), 0.0, "y*");
    }
}
