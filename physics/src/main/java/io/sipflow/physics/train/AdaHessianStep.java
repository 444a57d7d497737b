package io.sipflow.physics.train;

import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.AdaHessian;
import io.sipflow.nn.Hutchinson;
import io.sipflow.nn.NonFiniteException;
import io.sipflow.nn.Training;

/**
 * The AdaHessian training step, on GD's loss L = Σ_b ½‖P(pred) − y*‖² as the authors' Poisson script trains it:
 * one recorded backward pass gives g, one Hessian-vector product with a Rademacher probe z gives
 * D = z ⊙ H·z ({@link Hutchinson}), and {@link AdaHessian} applies its update through
 * {@link Training#applyUpdate}'s non-finite checks. All or nothing: on an error the network's buffers are put back.
 */
final class AdaHessianStep {
    private AdaHessianStep() {
    }

    static Training.Step<TrainingStep.Outputs> run(Method.Input in, AdaHessian optimizer) {
        BufferSnapshot before = new BufferSnapshot(in.network());
        try {
            Training.Loss<TrainingStep.Outputs> loss = Method.GD.loss(in);
            Tensor total = loss.value();
            NonFiniteException.check("the loss", total);
            Hutchinson.Estimate e = Hutchinson.estimate(total, in.network().parameterValues(), optimizer.probes());
            optimizer.curvature(e.diagonal());
            Training.applyUpdate(in.network(), optimizer, e.gradient());
            return new Training.Step<>(total.stopGradient(), loss.aux());
        } catch (RuntimeException ex) {
            before.restore();
            throw ex;
        }
    }
}
