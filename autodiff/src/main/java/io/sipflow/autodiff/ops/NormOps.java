package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;

/**
 * Batch normalisation of NCHW images, per channel c over M = N·H·W values. Training mode is one primitive with a
 * hand-written VJP: as a composite it would make about ten full-size temporaries forward and as many backward.
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²)  (biased),  x̂ = (x − μ)/√(σ² + ε),  y = γ·x̂ + β
 * VJP:  gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M)
 * </pre>
 * {@link Fused#RELU} applies max(y, 0) inside the op: one saved tensor per layer instead of two (a separate ReLU
 * node would keep the normalised output alive for its mask), with values and gradients identical to
 * {@code batchNorm2d(...).relu()}, since the mask y &gt; 0 can be read from the output.
 * The VJP's own VJP (second order) is in {@link BatchNormBackward}.
 */
public final class NormOps {
    private NormOps() {
    }

    /** What the op applies to its normalised output. */
    public enum Fused {
        /** The affine output y = γ·x̂ + β as it is. */
        NONE,
        /** max(y, 0), fused into the op. */
        RELU
    }

    /**
     * The normalised output and the batch statistics it used.
     *
     * @param output y, of x's shape, in the op's type, with the VJP attached
     * @param mean the per-channel batch mean μ, FLOAT64 (C), a constant
     * @param variance the per-channel biased batch variance σ², FLOAT64 (C), a constant
     */
    public record BatchNormResult(Tensor output, Tensor mean, Tensor variance) {
    }

    /**
     * Normalises x (N, C, H, W) per channel with its own batch statistics, as in the class comment. The result has
     * the op's type (the scope's, else the promotion of x, γ, β).
     *
     * @param x the batch (N, C, H, W), with N·H·W ≥ 2
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param eps added to σ² before the square root (PyTorch's 1e-5)
     * @param fused NONE, or RELU to apply max(y, 0) inside the op
     * @return y and the batch statistics (for the running averages)
     * @throws IllegalArgumentException if the shapes do not fit, an input is null, or a channel has fewer than two
     *         values
     */
    public static BatchNormResult batchNorm2d(Tensor x, Tensor gamma, Tensor beta, double eps, Fused fused) {
        OpSupport.requireNonNull("batchNorm2d", x, gamma, beta);
        checkShapes("batchNorm2d", x, gamma, beta);
        if (x.size() / x.dim(1) < 2) {
            throw new IllegalArgumentException("batchNorm2d: training needs more than one value per channel, got x "
                    + x.shape() + " (PyTorch raises the same)");
        }
        DType type = Precision.resultType(Precision.resultType(x.dtype(), gamma.dtype()), beta.dtype());
        Tensor xs = OpSupport.as(x, type);
        Tensor gs = OpSupport.as(gamma, type);
        Tensor bs = OpSupport.as(beta, type);
        boolean relu = fused == Fused.RELU;
        Backend backend = OpSupport.backend();
        Backend.BatchNormForward f = backend.batchNormTraining(xs.constant(), gs.constant(), bs.constant(), eps, relu);
        return new BatchNormResult(record(backend, f, xs, gs, bs, eps, relu, type), f.mean(), f.variance());
    }

    /** Records the training-mode output f.y() as a node of (x, γ, β) with the VJP of the class comment. */
    private static Tensor record(Backend backend, Backend.BatchNormForward f, Tensor xs, Tensor gs, Tensor bs,
                                 double eps, boolean relu, DType type) {
        Tensor y = f.y();
        // with ReLU fused the backend masks g by [y > 0] first (ReLU's VJP): y > 0 exactly where it passed
        // where the backward pass has no further use for g, gx may be written over it (g converted to the type is
        // a new array, so the hint then goes only to one the op made)
        return Graph.recordConsuming(relu ? "batchNorm2dRelu" : "batchNorm2d", y, new Tensor[] {xs, gs, bs},
                (g, gDead) -> {
                    Tensor gt = OpSupport.as(g, type);
                    return BatchNormBackward.gradients(backend, gt, relu ? y : null, xs, gs, bs, f, eps,
                            gDead && gt == g);
                });
    }

    /**
     * {@code batchNorm2d(x, γ, β, ε, RELU)} and the 2×2 max pooling of its output, as the two ops would give them (the
     * same values, the same two graph nodes, the same gradients), computed in one pass over memory where the backend
     * can: it pools each plane while it is still in cache and keeps each window's argmax for the pooling's VJP,
     * instead of reading y again forward and searching it again backward. The U-Net's encoder needs both results:
     * y is the skip connection, its pooling the next level's input.
     *
     * @param x the batch (N, C, H, W), with N·H·W ≥ 2 and H, W even
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param eps added to σ² before the square root
     * @return y, its pooling (N, C, H/2, W/2) and the batch statistics
     * @throws IllegalArgumentException if the shapes do not fit (H or W odd included), an input is null, or a channel
     *         has fewer than two values
     */
    public static BatchNormPoolResult batchNorm2dReluMaxPool(Tensor x, Tensor gamma, Tensor beta, double eps) {
        OpSupport.requireNonNull("batchNorm2dReluMaxPool", x, gamma, beta);
        checkShapes("batchNorm2dReluMaxPool", x, gamma, beta);
        if (x.size() / x.dim(1) < 2 || x.dim(2) % 2 != 0 || x.dim(3) % 2 != 0) {
            throw new IllegalArgumentException("batchNorm2dReluMaxPool: needs more than one value per channel and"
                    + " even H and W (2×2 pooling), got x " + x.shape());
        }
        DType type = Precision.resultType(Precision.resultType(x.dtype(), gamma.dtype()), beta.dtype());
        Tensor xs = OpSupport.as(x, type);
        Tensor gs = OpSupport.as(gamma, type);
        Tensor bs = OpSupport.as(beta, type);
        Backend backend = OpSupport.backend();
        Backend.BatchNormReluPool f = backend.batchNormReluMaxPool2x2(xs.constant(), gs.constant(), bs.constant(), eps);
        Tensor out = record(backend, f.norm(), xs, gs, bs, eps, true, type);
        Tensor pooled = ImageOps.recordMaxPool(backend, out, f.pooled(), 2, f.argmaxOrNull());
        return new BatchNormPoolResult(out, pooled, f.norm().mean(), f.norm().variance());
    }

    /**
     * The results of {@link #batchNorm2dReluMaxPool}.
     *
     * @param output y = relu(batch norm of x), with its VJP attached
     * @param pooled maxPool2d(y, 2), a node of y
     * @param mean the per-channel batch mean μ, FLOAT64 (C), a constant
     * @param variance the per-channel biased batch variance σ², FLOAT64 (C), a constant
     */
    public record BatchNormPoolResult(Tensor output, Tensor pooled, Tensor mean, Tensor variance) {
    }

    /**
     * Eval mode: normalises x (N, C, H, W) with given statistics {@code mean} and {@code variance} (C), treated as
     * constants (no gradient flows to them), y = (x − mean)·γ/√(variance + ε) + β, then {@code fused}.
     * VJP, with g masked by [y &gt; 0] under RELU and s = γ/√(variance + ε):
     * gx = g·s,  gγ = Σ g·(x − mean)/√(variance + ε),  gβ = Σ g  (sums over N, H, W).
     *
     * @param x the batch (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param mean the running mean (C)
     * @param variance the running variance (C)
     * @param eps added to the variance before the square root
     * @param fused NONE or RELU
     * @return y, of x's shape
     * @throws IllegalArgumentException if the shapes do not fit or an input is null
     */
    public static Tensor batchNorm2dInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance,
                                              double eps, Fused fused) {
        OpSupport.requireNonNull("batchNorm2dInference", x, gamma, beta, mean, variance);
        checkShapes("batchNorm2dInference", x, gamma, beta);
        if (!mean.shape().equals(gamma.shape()) || !variance.shape().equals(gamma.shape())) {
            throw new IllegalArgumentException("batchNorm2dInference: expects mean and variance of shape "
                    + gamma.shape() + "; got mean " + mean.shape() + ", variance " + variance.shape());
        }
        DType type = Precision.resultType(Precision.resultType(x.dtype(), gamma.dtype()), beta.dtype());
        Tensor xs = OpSupport.as(x, type);
        Tensor gs = OpSupport.as(gamma, type);
        Tensor bs = OpSupport.as(beta, type);
        Tensor mc = OpSupport.as(mean.constant(), type);
        Tensor vc = OpSupport.as(variance.constant(), type);
        boolean relu = fused == Fused.RELU;
        Tensor y = OpSupport.backend().batchNormInference(xs.constant(), gs.constant(), bs.constant(), mc, vc, eps,
                relu);
        Shape perChannel = Shape.of(1, x.dim(1), 1, 1);
        return Graph.record(relu ? "batchNorm2dInferenceRelu" : "batchNorm2dInference", y,
                new Tensor[] {xs, gs, bs}, g -> { // recorded ops of g, x and γ: differentiable again
                    Tensor gm = relu ? g.mul(y.gt(Tensor.scalar(0).to(type))) : g;
                    Tensor invStd = vc.add(eps).sqrt().reshape(perChannel).pow(-1);
                    Tensor xhat = xs.sub(mc.reshape(perChannel)).mul(invStd);
                    int[] sums = {0, 2, 3};
                    return new Tensor[] {gm.mul(gs.reshape(perChannel).mul(invStd)),
                        gm.mul(xhat).sum(sums, false), gm.sum(sums, false)};
                });
    }

    private static void checkShapes(String op, Tensor x, Tensor gamma, Tensor beta) {
        if (x.rank() != 4 || !gamma.shape().equals(Shape.of(x.dim(1))) || !beta.shape().equals(Shape.of(x.dim(1)))) {
            throw new IllegalArgumentException(op + ": expects x (N, C, H, W) and gamma, beta (C); got x "
                    + x.shape() + ", gamma " + gamma.shape() + ", beta " + beta.shape());
        }
    }
}
