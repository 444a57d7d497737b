package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.HalfInverseGradients;
import io.sipflow.nn.Module;
import io.sipflow.nn.NonFiniteException;
import io.sipflow.nn.Optimizer;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;

import java.util.SplittableRandom;

/**
 * The HIG training step: GD's loss L = Σ_b ½‖P(pred) − y*‖², but instead of its gradient the half-inverse
 * direction d = V·Σ^(−½)·Uᵀ·g with g = ∂L/∂y = P(pred) − y* and J = UΣVᵀ the per-example Jacobian of P(pred)
 * (B·m rows) with respect to the weights; the optimizer (SGD at the learning rate η) applies θ ← θ − η·d, through
 * {@link Training#applyUpdate}'s non-finite checks. Singular values below 1e-6·σ_max are dropped.
 */
final class HigStep {
    /** Truncation 1e-6; the Gram-matrix route, which matches the SVD to ~1e-9 on the sin problem at ~1/20 the cost. */
    static final HalfInverseGradients HIG = new HalfInverseGradients(HalfInverseGradients.Config.hig(1e-6)
            .withDecomposition(HalfInverseGradients.Decomposition.GRAM_EIGEN));

    private HigStep() {
    }

    /**
     * Throws if {@code config}'s batch of its problem's outputs would make a Jacobian over the limit: one example
     * through a fresh network gives the outputs per example.
     */
    static void requireFits(TrainConfig config) {
        Problem problem = Problems.create(config);
        Module net = problem.newNetwork(config.seed());
        Tensor yTarget = problem.sample(1, new SplittableRandom(0)).yTarget();
        int m = Autodiff.noGrad(() -> problem.physics(problem.predict(net, yTarget))).size();
        HIG.checkSize(config.batch(), m, net.parameterValues());
    }

    static Training.Step<TrainingStep.Outputs> run(Problem problem, Module network, Optimizer optimizer,
                                                   Problem.Batch batch) {
        Tensor yTarget = batch.yTarget();
        int b = batch.size();
        Tensor x = Autodiff.noGrad(() -> problem.predict(network, yTarget));
        Tensor y = Autodiff.noGrad(() -> problem.physics(x));
        int m = y.size() / b;
        HIG.checkSize(b, m, network.parameterValues()); // before any backward pass: the heat U-Net stops here
        Tensor loss = Autodiff.noGrad(() -> Problem.l2(y.sub(yTarget)).sum());
        NonFiniteException.check("the loss", loss);
        Tensor g = Autodiff.noGrad(() -> y.sub(yTarget).reshape(b, m));
        Gradients d = HIG.direction(network.parameters(),
                () -> problem.physics(problem.predict(network, yTarget)).reshape(b, m), g);
        Training.applyUpdate(network, optimizer, d);
        return new Training.Step<>(loss, new TrainingStep.Outputs(x, y));
    }
}
