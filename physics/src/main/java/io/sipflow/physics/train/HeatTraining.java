package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.InverseDiffuse;

import java.util.function.UnaryOperator;

/**
 * The maths of one training step, as in the seed's {@code loss_function}: the observation, the network's
 * prediction and the SIP and GD losses. Fields are (batch, ny, nx) FLOAT64; the network sees (batch, 1, ny, nx)
 * FLOAT32.
 */
public final class HeatTraining {
    /** Diffusivity · time of the observed process: y* = D(x_gt, 8, 1). */
    public static final double AMOUNT = 8;
    public static final double DT = 1;
    /** The SIP inverse trusts each residual cell to |y* − y| · 1e−6. */
    public static final double UNCERTAINTY_SCALE = 1e-6;

    private HeatTraining() {
    }

    /** What a loss function returns: the batch loss and the quantities the seed reports. */
    public record StepResult(Tensor loss, Tensor x, Tensor y, Tensor xL2, Tensor yL2) {
    }

    /** y* = D(x_gt, 8, 1), in FLOAT64. */
    public static Tensor observe(Tensor xGt) {
        return Diffuse.fourier(xGt, AMOUNT, DT);
    }

    /**
     * The network's estimate of x from y*: run in FLOAT32 on (B, 1, ny, nx), shifted per example so that its mean
     * equals the observation's (diffusion keeps the mean), returned as (B, ny, nx) FLOAT64.
     */
    @SuppressWarnings("try") // the scope is used for its effect, not referenced
    public static Tensor predict(UnaryOperator<Tensor> network, Tensor yTarget) {
        int b = yTarget.dim(0);
        int ny = yTarget.dim(1);
        int nx = yTarget.dim(2);
        int[] spatial = {1, 2};
        Tensor targetMean = yTarget.constant().mean(spatial, true);
        Tensor prediction;
        try (Precision p = Precision.use(DType.FLOAT32)) {
            Tensor input = yTarget.constant().to(DType.FLOAT32).reshape(b, 1, ny, nx);
            Tensor raw = network.apply(input).reshape(b, ny, nx);
            prediction = raw.add(targetMean.to(DType.FLOAT32).sub(raw.mean(spatial, true)));
        }
        return prediction.to(DType.FLOAT64);
    }

    /**
     * SIP: regress the prediction onto the physics-inverted correction, taken as a constant.
     * <pre>
     *   x = stop(pred);  y = D(x);  dx = P⁻¹(y* − y, 8, |y* − y|·1e−6);  loss = Σ_b ½‖pred − (x + dx)‖²
     * </pre>
     */
    public static StepResult sip(Tensor prediction, Tensor yTarget, Tensor xGt) {
        Tensor x = prediction.stopGradient();
        Tensor y = Diffuse.fourier(x, AMOUNT, DT);
        Tensor residual = yTarget.sub(y);
        Tensor dx = InverseDiffuse.fourier(residual, AMOUNT, residual.abs().mul(UNCERTAINTY_SCALE)).correction();
        Tensor loss = l2(prediction.sub(x.add(dx))).sum();
        return new StepResult(loss, x, y, l2(xGt.sub(x)), l2(y.sub(yTarget)));
    }

    /** GD: differentiate the observation error through the physics, loss = Σ_b ½‖D(pred) − y*‖². */
    public static StepResult gd(Tensor prediction, Tensor yTarget, Tensor xGt) {
        Tensor y = Diffuse.fourier(prediction, AMOUNT, DT);
        Tensor yL2 = l2(y.sub(yTarget));
        Tensor x = prediction.stopGradient();
        return new StepResult(yL2.sum(), x, y.stopGradient(), l2(xGt.sub(x)), yL2.stopGradient());
    }

    /** The loss of {@code method}. */
    public static StepResult loss(Method method, Tensor prediction, Tensor yTarget, Tensor xGt) {
        return method == Method.SIP ? sip(prediction, yTarget, xGt) : gd(prediction, yTarget, xGt);
    }

    /** l2(v) = ½·Σ v² over every axis but the first: one value per example, shape (B). */
    public static Tensor l2(Tensor v) {
        return v.square().sum(spatialAxes(v), false).mul(0.5);
    }

    /** l1(v) = Σ |v| per example, shape (B). */
    public static Tensor l1(Tensor v) {
        return v.abs().sum(spatialAxes(v), false);
    }

    private static int[] spatialAxes(Tensor v) {
        int[] axes = new int[v.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return axes;
    }
}
