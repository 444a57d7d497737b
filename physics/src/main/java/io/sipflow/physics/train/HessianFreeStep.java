package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.HessianFree;
import io.sipflow.nn.NonFiniteException;
import io.sipflow.nn.Training;
import io.sipflow.physics.problem.Problem;

/**
 * The Hessian-free training step on GD's least-squares loss L = Σ_b ½‖r‖², r = P(pred) − y* (the authors' Poisson
 * script uses the Gauss–Newton curvature of this loss): g = Jᵀr and G·v = Jᵀ(J·v) from one forward pass
 * ({@link GaussNewton}), d from {@link HessianFree#direction}, θ ← θ + d through {@link Training#applyUpdate}'s
 * non-finite checks, then L(θ + d) on the same batch (one forward pass without a graph; the batch-norm statistics
 * it would update are put back) sets the damping for the next step.
 */
final class HessianFreeStep {
    private HessianFreeStep() {
    }

    static Training.Step<TrainingStep.Outputs> run(Method.Input in, HessianFree optimizer) {
        BufferSnapshot before = new BufferSnapshot(in.network());
        try {
            Tensor yTarget = in.batch().yTarget();
            Tensor prediction = in.problem().predict(in.network(), yTarget);
            Tensor y = in.problem().physics(prediction);
            Tensor residual = y.sub(yTarget);
            Tensor total = Autodiff.noGrad(() -> Problem.l2(residual).sum());
            NonFiniteException.check("the loss", total);
            GaussNewton gn = new GaussNewton(residual, in.network().parameterValues());
            Gradients d = optimizer.direction(gn.gradient(), gn::product);
            BufferSnapshot trained = new BufferSnapshot(in.network());
            Training.applyUpdate(in.network(), optimizer, d);
            double after = Autodiff.noGrad(() -> Problem.l2(in.problem().physics(
                    in.problem().predict(in.network(), yTarget)).sub(yTarget)).sum()).item();
            trained.restore(); // the evaluation is not a training forward pass
            optimizer.adjustDamping(total.item(), after);
            return new Training.Step<>(total, new TrainingStep.Outputs(prediction.stopGradient(), y.stopGradient()));
        } catch (RuntimeException ex) {
            before.restore();
            throw ex;
        }
    }
}
