package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * The kernels an op needs, on untracked values. Ops in {@code io.sipflow.autodiff.ops} check shapes and types,
 * cast inputs to a common type, call one of these, and record the VJP; a backend only computes.
 *
 * <p>Contract for every method: inputs already have one common {@link io.sipflow.autodiff.DType} (the result has
 * it too), shapes are already validated, and the result is a fresh tensor (inputs are never written).
 * Images are NCHW; convolution weights are OIkk with odd k, stride 1, "same" padding k/2.
 *
 * <p>The interface calls no implementation: a method is abstract, or its default is built from this interface's
 * other methods or from a shared host loop ({@link AdamLoop}, {@link RunningStatisticsLoop}). A backend without a
 * kernel of its own for some method wraps another backend and delegates (the OpenCL backend hands those to the
 * {@link CpuBackend} it holds, which reads the inputs' values on the host).
 */
public interface Backend {
    /** Short name shown in benchmarks and errors ("cpu", "opencl"). */
    String name();

    /**
     * Host↔device copies this backend has made so far (cumulative; subtract with {@link Transfers#since}). A
     * backend that keeps everything on the host (the CPU) reports {@link Transfers#NONE}.
     */
    default Transfers transfers() {
        return Transfers.NONE;
    }

    /** Which kernels this backend runs, for benchmark headers ("vector(...)", "scalar"); its name by default. */
    default String kernels() {
        return name();
    }

    /**
     * This machine's FLOAT32 FMA peak in GFLOP/s for this backend's kernels at {@code Threads.count()} threads, from
     * a short probe (about a tenth of a second), the ceiling a benchmark reads its GFLOP/s against; NaN where the
     * backend has no such probe.
     */
    default double fmaPeakGflops() {
        return Double.NaN;
    }

    /** x's values in {@code dtype} (a different one from x's), each rounded once to FLOAT32 or widened exactly. */
    Tensor cast(Tensor x, DType dtype);

    /** Elementwise {@code op(a, b)} with NumPy broadcasting to {@code outShape}. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape outShape);

    /** Elementwise {@code op(a)}; {@code param} is the exponent of POW, unused otherwise. */
    Tensor unary(UnaryOp op, Tensor a, double param);

    /** {@code cond != 0 ? a : b}, all three already of {@code cond}'s shape. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Sum or max over {@code axes} (sorted, distinct, non-negative), keeping them as size 1. */
    Tensor reduce(ReduceOp op, Tensor a, int[] axes);

    /** Batched matrix product: a (B, m, k) × b (B, k, n) → (B, m, n). Batch dims are already flattened. */
    Tensor matmul(Tensor a, Tensor b);

    /** y = conv(x, w) + bias: x (N, C, H, W), w (O, C, k, k), bias (O) or null → y (N, O, H, W). */
    Tensor conv2d(Tensor x, Tensor w, Tensor bias, Padding padding);

    /**
     * {@code into + conv2d(x, w, null)}, for a convolution over a channel concatenation computed part by part
     * (ConvOps.conv2dConcat). The one exception to "inputs are never written": {@code into} is consumed, and an
     * implementation may return the result in its array, so pass only a tensor no one else has seen (a fresh
     * conv2d result). This default adds (one more rounding than a single convolution); a backend whose kernel
     * accumulates in the output type may continue that accumulation, which equals one conv2d over the
     * concatenated channels exactly.
     */
    default Tensor conv2dAccumulate(Tensor into, Tensor x, Tensor w, Padding padding) {
        return binary(BinaryOp.ADD, into, conv2d(x, w, null, padding), into.shape());
    }

    /** Gradient of conv2d with respect to x: gy (N, O, H, W), w (O, C, k, k) → gx of {@code xShape}. */
    Tensor conv2dBackwardData(Tensor gy, Tensor w, Padding padding, Shape xShape);

    /** Gradient of conv2d with respect to w: gy (N, O, H, W), x (N, C, H, W) → gw of {@code wShape}. */
    Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape);

    // ---- optimizer ----

    /**
     * Adam's settings for step t: learning rate, β₁, β₂, ε and the bias corrections c₁ = 1 − β₁ᵗ, c₂ = 1 − β₂ᵗ.
     *
     * @param lr learning rate
     * @param beta1 decay of the first moment
     * @param beta2 decay of the second moment
     * @param eps added to √v̂
     * @param correction1 1 − β₁ᵗ
     * @param correction2 1 − β₂ᵗ
     */
    record AdamStep(double lr, double beta1, double beta2, double eps, double correction1, double correction2) {
    }

    /** A parameter and its Adam moments after one update. */
    record AdamState(Tensor param, Tensor m, Tensor v) {
    }

    /**
     * One Adam update of one parameter, elementwise: θ and g of the parameter's type, the moments m and v FLOAT64
     * of its shape (they are kept in double so that they match PyTorch's); every formula in double, θ rounded once:
     * <pre>
     * m′ = β₁·m + (1 − β₁)·g,   v′ = β₂·v + (1 − β₂)·g·g,   θ′ = θ − lr·(m′/c₁)/(√(v′/c₂) + ε)
     * </pre>
     * The default runs {@link AdamLoop} on the host.
     */
    default AdamState adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        return AdamLoop.update(param, grad, m, v, step);
    }

    // ---- batch normalisation (per channel c of an NCHW image, over M = N·H·W values) ----

    /** The result of {@link #batchNormTraining}: y, and the batch statistics it used (FLOAT64, shape (C)). */
    record BatchNormForward(Tensor y, Tensor mean, Tensor variance) {
    }

    /** The result of {@link #batchNormBackward}: gradients for x (x's shape), γ and β (shape (C)). */
    record BatchNormGradients(Tensor gx, Tensor gGamma, Tensor gBeta) {
    }

    /**
     * Batch norm with the batch's statistics: x (N, C, H, W), γ and β (C), all of one type.
     * <pre>
     * μ = mean(x),  σ² = mean((x − μ)²)  (biased),  y = (x − μ)·γ/√(σ² + ε) + β,  with relu: y &gt; 0 ? y : 0
     * </pre>
     * {@code mean} and {@code variance} are FLOAT64 tensors of shape (C) whatever x's type: the backward pass and the
     * running-statistics update use them at double precision (they are C numbers). Callers ensure M ≥ 2.
     */
    BatchNormForward batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps, boolean relu);

    /**
     * The VJP of {@link #batchNormTraining}, given the forward's x, γ and statistics ({@code mean},
     * {@code variance}: FLOAT64 (C)). With {@code reluOutput} non-null (the forward's y with relu fused) g is first
     * masked, g ← g·[reluOutput &gt; 0]; null = no mask. With x̂ = (x − μ)/√(σ² + ε):
     * <pre>
     * gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M)
     * </pre>
     * g, x, reluOutput and γ share one type; the gradients have it too.
     */
    BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor mean,
                                                 Tensor variance, double eps);

    /**
     * Batch norm with given statistics (eval mode: the running mean and variance), x (N, C, H, W), γ, β, mean and
     * variance (C), all of x's type: y = (x − mean)·γ/√(variance + ε) + β, then y &gt; 0 ? y : 0 with {@code relu}.
     * Its VJP is elementwise and per-channel sums, composed by the op from the other methods.
     */
    Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, double eps,
                                      boolean relu);

    /** Batch norm's running mean and variance after one training batch. */
    record RunningStatistics(Tensor mean, Tensor variance) {
    }

    /**
     * The running statistics update of batch norm in training mode, per channel, in double, each result rounded once
     * to the running buffers' type: with m = {@code momentum} and M = {@code count} values per channel,
     * <pre>
     * mean′ = (1 − m)·mean + m·μ,   var′ = (1 − m)·var + m·σ²·M/(M − 1)   (the unbiased batch variance)
     * </pre>
     * {@code runningMean}, {@code runningVar}: (C) of one type; {@code batchMean}, {@code batchVariance}: the FLOAT64
     * statistics of {@link #batchNormTraining}. A method of its own so that the statistics need not leave the
     * device every step. The default runs {@link RunningStatisticsLoop} on the host.
     */
    default RunningStatistics batchNormRunningUpdate(Tensor runningMean, Tensor runningVar, Tensor batchMean,
                                                     Tensor batchVariance, double momentum, int count) {
        return RunningStatisticsLoop.update(runningMean, runningVar, batchMean, batchVariance, momentum, count);
    }

    // ---- resampling of NCHW images ----

    /**
     * Max over non-overlapping size×size windows (stride size): x (N, C, H, W), H and W divisible by size →
     * (N, C, H/size, W/size). NaN is never chosen over the window's first element (a strict {@code >} comparison).
     */
    Tensor maxPool2d(Tensor x, int size);

    /**
     * The VJP of {@link #maxPool2d}: gx is zero except at each window's argmax (the first maximum in row-major order,
     * found again from x), which gets that window's gy. gy (N, C, H/size, W/size), x (N, C, H, W) → gx of x's shape.
     */
    Tensor maxPool2dBackward(Tensor gy, Tensor x, int size);

    /**
     * Bilinear ×2 upsampling, PyTorch's align_corners=False: x (N, C, H, W) → (N, C, 2H, 2W). Output position d
     * along an axis of length n reads src = max(0, (d + 0.5)/2 − 0.5) between floor(src) and min(floor(src) + 1,
     * n − 1), weights 1 − frac and frac; the 2-D value is a0·(b0·x00 + b1·x01) + a1·(b0·x10 + b1·x11), computed in
     * double and rounded once.
     */
    Tensor upsampleBilinear2x(Tensor x);

    /**
     * The adjoint (VJP) of {@link #upsampleBilinear2x}: gy (N, C, 2H, 2W) → gx of {@code xShape} (N, C, H, W), each
     * gradient scattered back with the interpolation's weights, accumulated per plane in double, rounded once.
     */
    Tensor upsampleBilinear2xAdjoint(Tensor gy, Shape xShape);

    // ---- layout copies: values are moved, never computed ----

    /** A copy of x with axes reordered: result axis i is input axis {@code axes[i]} (a valid permutation). */
    Tensor permute(Tensor x, int[] axes);

    /** A copy of x broadcast (NumPy rules, already checked) to {@code shape}. */
    Tensor broadcastTo(Tensor x, Shape shape);

    /** Positions [start, end) of {@code axis} (0 ≤ start ≤ end ≤ x.dim(axis)). */
    Tensor slice(Tensor x, int axis, int start, int end);

    /** The parts joined along {@code axis}; all of one type, equal outside axis; the result has {@code shape}. */
    Tensor concat(Tensor[] parts, int axis, Shape shape);

    /**
     * x padded along {@code axis} by {@code before} and {@code after} positions: zeros (ZERO) or x repeated
     * periodically (CIRCULAR: padded position p copies source (p − before) mod d; the axis is non-empty).
     */
    Tensor pad(Tensor x, int axis, int before, int after, Padding mode);

    /**
     * The adjoint (VJP) of {@link #pad} for an input whose axis had length {@code length}: every padded position's
     * gradient added onto the source position it copied (zeros dropped), accumulated in double from 0 in padded
     * order, rounded once.
     */
    Tensor padAdjoint(Tensor g, int axis, int before, int length, Padding mode);

}
