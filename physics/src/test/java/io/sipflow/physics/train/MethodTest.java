package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Adam;
import io.sipflow.nn.Module;
import io.sipflow.nn.SGD;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Each method owns its optimizer and loss, and works on the problem, network and batch of its Input. */
class MethodTest {
    private final SinProblem problem = new SinProblem(4, 30);
    private final Problem.Batch batch = problem.sample(5, new SplittableRandom(7));

    @Test
    void sipRegressesOntoTheInverseTargetAndGdThroughThePhysics() {
        Module net = problem.newNetwork(3);
        Method.Input in = new Method.Input(problem, net, batch);
        double sip = Method.SIP.loss(in).value().item();
        double gd = Method.GD.loss(in).value().item();
        double expectedSip = Autodiff.noGrad(() -> {
            Tensor x = problem.predict(net, batch.yTarget());
            Tensor target = problem.sipTarget(x, problem.physics(x), batch.yTarget());
            return Problem.l2(x.sub(target)).sum().item();
        });
        double expectedGd = Autodiff.noGrad(() -> Problem.l2(problem.physics(problem.predict(net, batch.yTarget()))
                .sub(batch.yTarget())).sum().item());
        assertEquals(expectedSip, sip, 1e-12 * Math.abs(expectedSip));
        assertEquals(expectedGd, gd, 1e-12 * Math.abs(expectedGd));
        assertNotEquals(sip, gd);
        for (Method m : new Method[] {Method.SGD, Method.HIG}) {
            assertEquals(gd, m.loss(in).value().item(), 0.0, m.id() + " reports GD's loss");
        }
    }

    @Test
    void eachMethodMakesItsOptimizerAndItsUpdateChangesTheWeights() {
        TrainConfig config = TrainConfig.builder().problem("sin").build();
        for (Method m : Method.values()) {
            if (m == Method.ADAHESSIAN || m == Method.HESSIAN_FREE) {
                continue; // the sin problem has no second derivative: SecondOrderMethodTest trains them on grids
            }
            Module net = problem.newNetwork(3);
            var optimizer = m.newOptimizer(config, net);
            if (m == Method.SIP || m == Method.GD) {
                assertInstanceOf(Adam.class, optimizer, m.id());
            } else {
                assertInstanceOf(SGD.class, optimizer, m.id());
            }
            java.util.List<double[]> before = weights(net);
            double loss = m.update(new Method.Input(problem, net, batch), optimizer).loss().item();
            assertEquals(m == Method.SIP ? Method.SIP.loss(new Method.Input(problem, problem.newNetwork(3), batch))
                    .value().item() : Method.GD.loss(new Method.Input(problem, problem.newNetwork(3), batch))
                    .value().item(), loss, 1e-9 * Math.abs(loss), m.id() + ": the loss before the update");
            java.util.List<double[]> after = weights(net);
            boolean changed = false;
            for (int i = 0; i < before.size(); i++) {
                changed |= !java.util.Arrays.equals(before.get(i), after.get(i));
            }
            org.junit.jupiter.api.Assertions.assertTrue(changed, m.id() + " changed no weight");
        }
    }

    private static java.util.List<double[]> weights(Module net) {
        return net.parameters().stream().map(p -> p.value().toDoubleArray()).toList();
    }
}
