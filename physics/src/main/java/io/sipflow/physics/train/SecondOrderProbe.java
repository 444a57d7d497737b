package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.Problem;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Whether a problem's GD loss can be differentiated twice (every op on the way has a differentiable VJP), checked on
 * a tiny batch before a second-order run starts, so that an op without a second derivative (the sin problem's
 * {@code sin}) stops the command line with its name instead of failing at step 1.
 */
final class SecondOrderProbe {
    private static final int PROBE_BATCH = 2;
    private static final int PROBE_RESOLUTION = 8;

    private SecondOrderProbe() {
    }

    /**
     * Runs one Hessian-vector product of the GD loss at batch 2 (8×8 for a grid problem).
     *
     * @throws IllegalArgumentException naming the method, the problem and the op, if one has no second derivative
     */
    static void require(TrainConfig config, Method method) {
        TrainConfig.Builder b = config.toBuilder().batch(PROBE_BATCH).testBatch(PROBE_BATCH);
        if (Problems.usesResolution(config.problem())) {
            b.resolution(PROBE_RESOLUTION);
        }
        TrainConfig probe = b.build();
        Problem problem = Problems.create(probe);
        Module net = problem.newNetwork(0);
        Problem.Batch batch = problem.sample(PROBE_BATCH, new SplittableRandom(0));
        Tensor loss = Method.GD.loss(new Method.Input(problem, net, batch)).value();
        List<Tensor> params = net.parameterValues();
        List<Tensor> v = new ArrayList<>(params.size());
        for (Tensor p : params) {
            v.add(Tensor.full(p.dtype(), p.shape(), 1.0));
        }
        try {
            Autodiff.hvp(loss, params, v, Autodiff.AfterBackward.FREE_GRAPH);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("method " + method.id() + " needs second derivatives of problem "
                    + config.problem() + "'s loss, which it does not have: " + e.getMessage(), e);
        }
    }
}
