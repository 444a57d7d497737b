package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Adam;
import io.sipflow.nn.HalfInverseGradients;
import io.sipflow.nn.Module;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.SGD;

import java.util.SplittableRandom;

/**
 * A minimal training loop for the sin problem, independent of the trainer: the contract's step per method
 * (losses summed over the batch). Returns the mean test y_l2 and x_dist after {@code steps} steps.
 */
final class SinLoop {
    enum Method { SIP, GD, SGD, HIG }

    record Result(double yL2, double xDist) {
    }

    static Result train(SinProblem problem, Method method, int steps, int batch, double lr, long seed) {
        Module net = problem.newNetwork(seed);
        Optimizer opt = method == Method.SIP || method == Method.GD ? new Adam(net.parameters(), lr)
                : new SGD(net.parameters(), lr, 0);
        HalfInverseGradients hig = new HalfInverseGradients(HalfInverseGradients.Config.hig(1e-6).withDecomposition(HalfInverseGradients.Decomposition.GRAM_EIGEN));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int s = 0; s < steps; s++) {
            Tensor y = problem.sample(batch, rng).yTarget();
            step(problem, method, net, opt, hig, y);
        }
        Problem.Batch test = problem.sample(256, new SplittableRandom(seed + 1000));
        var m = problem.metrics(Autodiff.noGrad(() -> problem.predict(net, test.yTarget())), test);
        return new Result(m.get("y_l2").mean().item(), m.get("x_dist").mean().item());
    }

    static void step(SinProblem problem, Method method, Module net, Optimizer opt, HalfInverseGradients hig,
                     Tensor y) {
        Gradients g;
        if (method == Method.HIG) {
            Tensor out = Autodiff.noGrad(() -> problem.physics(problem.predict(net, y)));
            g = hig.direction(net.parameters(), () -> problem.physics(problem.predict(net, y)), out.sub(y));
        } else {
            Tensor pred = problem.predict(net, y);
            Tensor loss;
            if (method == Method.SIP) {
                Tensor x = pred.stopGradient();
                loss = Problem.l2(pred.sub(problem.sipTarget(x, problem.physics(x), y))).sum();
            } else {
                loss = Problem.l2(problem.physics(pred).sub(y)).sum();
            }
            g = Autodiff.grad(loss, net.parameterValues());
        }
        opt.step(g);
    }

    private SinLoop() {
    }
}
