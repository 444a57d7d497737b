package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * The kernels an op needs, on untracked values. Ops in {@code io.sipflow.autodiff.ops} check shapes and types,
 * cast inputs to a common type, call one of these, and record the VJP; a backend only computes.
 * <pre>{@code
 * Backend cpu = Backends.current();   // the pure-Java CpuBackend unless Backends.use chose another
 * Tensor a = Tensor.vector(1, 2, 3).variable();
 * Tensor b = Tensor.vector(10, 20, 30);
 * Tensor sum = cpu.binary(BinaryOp.ADD, a, b, a.shape());   // shapes and types already checked by the caller
 * double last = sum.get(2);                                 // → 33.0
 * boolean tracked = sum.requiresGrad();                     // → false
 * }</pre>
 *
 * <p>Contract for every method: inputs already have one common {@link io.sipflow.autodiff.DType} (the result has
 * it too), shapes are already validated, and the result is a fresh tensor (inputs are never written).
 * Images are NCHW; convolution weights are OIkk with odd k, stride 1, "same" padding k/2. A backend is chosen
 * with {@link Backends#use} or by name with {@link Backends#named}; another module contributes one through
 * {@link BackendProvider}.
 *
 * <p>The interface calls no implementation: a method is abstract, or its default is built from this interface's
 * other methods or from a shared host loop ({@link AdamLoop}, {@link RunningStatisticsLoop}). A backend without a
 * kernel of its own for some method wraps another backend and delegates (the OpenCL backend hands those to the
 * {@link CpuBackend} it holds, which reads the inputs' values on the host).
 */
public interface Backend {
    /** {@return the short name shown in benchmarks and errors ("cpu", "opencl")} */
    String name();

    /**
     * Host↔device copies this backend has made so far (cumulative; subtract with {@link Transfers#since}). A
     * backend that keeps everything on the host (the CPU) reports {@link Transfers#NONE}.
     *
     * @return the running count since this backend was created
     */
    default Transfers transfers() {
        return Transfers.NONE;
    }

    /**
     * {@return which kernels this backend runs, for benchmark headers ("vector(...)", "scalar"); its name by default}
     */
    default String kernels() {
        return name();
    }

    /**
     * This machine's FLOAT32 FMA peak in GFLOP/s for this backend's kernels at {@code Threads.count()} threads, from
     * a short probe (about a tenth of a second), the ceiling a benchmark reads its GFLOP/s against.
     *
     * @return the peak in GFLOP/s, or NaN where the backend has no such probe
     */
    default double fmaPeakGflops() {
        return Double.NaN;
    }

    /**
     * x's values in {@code dtype} (a different one from x's), each rounded once to FLOAT32 or widened exactly.
     *
     * @param x the values to convert
     * @param dtype the target type
     * @return a fresh tensor of x's shape in {@code dtype}
     */
    Tensor cast(Tensor x, DType dtype);

    /**
     * Elementwise {@code op(a, b)} with NumPy broadcasting to {@code outShape}.
     *
     * @param op the scalar function, {@link BinaryOp#apply} being its definition
     * @param a left operand, broadcastable to {@code outShape}
     * @param b right operand of a's type, broadcastable to {@code outShape}
     * @param outShape the broadcast shape of a and b
     * @return a fresh tensor of {@code outShape} in the inputs' type (comparisons give 1 or 0)
     */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape outShape);

    /**
     * Elementwise {@code op(a)}.
     *
     * @param op the scalar function, {@link UnaryOp#apply} being its definition
     * @param a the input
     * @param param the exponent of {@link UnaryOp#POW}, unused otherwise
     * @return a fresh tensor of a's shape and type
     */
    Tensor unary(UnaryOp op, Tensor a, double param);

    /**
     * Elementwise selection {@code cond != 0 ? a : b}.
     *
     * @param cond the mask (any nonzero value selects a)
     * @param a values where the mask is set, of cond's shape
     * @param b values elsewhere, of cond's shape and a's type
     * @return a fresh tensor of cond's shape in a's type
     */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /**
     * Sum or max over {@code axes}, keeping them as size 1: a (2, 3, 4) reduced over {1} gives (2, 1, 4).
     *
     * @param op SUM or MAX
     * @param a the input
     * @param axes sorted, distinct, non-negative axes of a
     * @return a fresh tensor of a's rank and type
     */
    Tensor reduce(ReduceOp op, Tensor a, int[] axes);

    /**
     * Batched matrix product: a (B, m, k) × b (B, k, n) → (B, m, n). Batch dims are already flattened.
     *
     * @param a left factors, rank 3
     * @param b right factors, rank 3, of a's type
     * @return the B products, shape (B, m, n)
     */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * Cross-correlation plus bias, stride 1, "same" size:
     * <pre>
     * y[n, o, i, j] = bias[o] + Σ_c Σ_(di, dj) w[o, c, di, dj] · x[n, c, i + di − k/2, j + dj − k/2]
     * </pre>
     * positions outside the image read 0 (ZERO) or wrap around (CIRCULAR).
     *
     * @param x the image (N, C, H, W)
     * @param w the kernels (O, C, k, k), k odd
     * @param bias (O), or null for none
     * @param padding how positions outside the image are read
     * @return y (N, O, H, W)
     */
    Tensor conv2d(Tensor x, Tensor w, Tensor bias, Padding padding);

    /**
     * {@code into + conv2d(x, w, null)}, for a convolution over a channel concatenation computed part by part
     * (ConvOps.conv2dConcat). The one exception to "inputs are never written": {@code into} is consumed, and an
     * implementation may return the result in its array, so pass only a tensor no one else has seen (a fresh
     * conv2d result). This default adds (one more rounding than a single convolution); a backend whose kernel
     * accumulates in the output type may continue that accumulation, which equals one conv2d over the
     * concatenated channels exactly.
     *
     * @param into a partial result (N, O, H, W), consumed
     * @param x the next channels (N, C', H, W)
     * @param w their kernels (O, C', k, k)
     * @param padding as in {@link #conv2d}
     * @return the accumulated result (N, O, H, W), possibly in {@code into}'s array
     */
    default Tensor conv2dAccumulate(Tensor into, Tensor x, Tensor w, Padding padding) {
        return binary(BinaryOp.ADD, into, conv2d(x, w, null, padding), into.shape());
    }

    /**
     * conv2d of the channel concatenation [a, upsampleBilinear2x(low)] with bias, computed without the upsampled
     * image or the concatenation where this backend can; null where it cannot (ConvOps.conv2dConcatUpsampled then
     * composes it from {@link #upsampleBilinear2x}, {@link #conv2d} and {@link #conv2dAccumulate}). The result is
     * the bits of conv2d of the concatenated tensor.
     *
     * @param a the first channels (N, Ca, H, W)
     * @param low the coarser image (N, Cb, H/2, W/2)
     * @param w the kernels (O, Ca + Cb, k, k), all in one type
     * @param bias (O), or null
     * @param padding as in {@link #conv2d}
     * @return y (N, O, H, W), or null
     */
    default Tensor conv2dConcatUpsampled(Tensor a, Tensor low, Tensor w, Tensor bias, Padding padding) {
        return null;
    }

    /**
     * The gradients of {@link #conv2dConcatUpsampled} with respect to a, low, w and (with {@code withBias}) the bias,
     * as the composition gives them (ga, wa's and wb's part of gw from conv2dBackwardData and conv2dBackwardWeight of
     * the concatenation, glow from {@link #upsampleBilinear2xAdjoint}, gb from {@link #conv2dBackwardWeightAndBias}),
     * bit for bit, without the upsampled image or its gradient as tensors; null where this backend cannot (the
     * caller then composes them).
     *
     * @param gy the output gradient (N, O, H, W)
     * @param w the kernels (O, Ca + Cb, k, k)
     * @param a the forward's first channels (N, Ca, H, W)
     * @param low the forward's coarser image (N, Cb, H/2, W/2)
     * @param padding the forward pass's padding
     * @param withBias whether to compute the bias gradient as well
     * @return {ga, glow, gw, gb (1, O, 1, 1) or null}, or null
     */
    default Tensor[] conv2dBackwardConcatUpsampled(Tensor gy, Tensor w, Tensor a, Tensor low, Padding padding,
                                                   boolean withBias) {
        return null;
    }

    /**
     * Both gradients of conv2d, {gx, gw}, and with {@code withBias} the bias gradient too, as
     * {@link #conv2dBackwardData} and {@link #conv2dBackwardWeightAndBias} give them, bit for bit, computed together
     * where this backend can (one pass over gy); null where it cannot (the caller then asks for each).
     *
     * @param gy the output gradient (N, O, H, W)
     * @param w the kernels (O, C, k, k)
     * @param x the forward's input (N, C, H, W)
     * @param padding the forward pass's padding
     * @param withBias whether to compute the bias gradient as well
     * @return {gx, gw, gb (1, O, 1, 1) or null}, or null
     */
    default Tensor[] conv2dBackward(Tensor gy, Tensor w, Tensor x, Padding padding, boolean withBias) {
        return null;
    }

    /**
     * Gradient of conv2d with respect to x: the transposed convolution of gy with w (each output's gradient
     * scattered back onto the input positions it read, with the padding's wrap-around).
     *
     * @param gy the output gradient (N, O, H, W)
     * @param w the kernels (O, C, k, k)
     * @param padding the forward pass's padding
     * @param xShape the input's shape (N, C, H, W)
     * @return gx of {@code xShape}
     */
    Tensor conv2dBackwardData(Tensor gy, Tensor w, Padding padding, Shape xShape);

    /**
     * Gradient of conv2d with respect to w:
     * {@code gw[o, c, di, dj] = Σ_(n, i, j) gy[n, o, i, j] · x[n, c, i + di − k/2, j + dj − k/2]}.
     *
     * @param gy the output gradient (N, O, H, W)
     * @param x the forward pass's input (N, C, H, W)
     * @param padding the forward pass's padding
     * @param wShape the kernels' shape (O, C, k, k)
     * @return gw of {@code wShape}
     */
    Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape);

    /**
     * {@link #conv2dBackwardWeight} and the bias gradient {@code gb[o] = Σ_(n, i, j) gy[n, o, i, j]} in one call, each
     * with the bits of its own call ({@code gb} those of {@code reduce(SUM, gy, {0, 2, 3})}): a backend may compute
     * both in one pass over gy. This default makes the two calls.
     *
     * @param gy the output gradient (N, O, H, W)
     * @param x the forward pass's input (N, C, H, W)
     * @param padding the forward pass's padding
     * @param wShape the kernels' shape (O, C, k, k)
     * @return {gw of {@code wShape}, gb of shape (1, O, 1, 1)}
     */
    default Tensor[] conv2dBackwardWeightAndBias(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        return new Tensor[] {conv2dBackwardWeight(gy, x, padding, wShape), reduce(ReduceOp.SUM, gy, new int[] {0, 2, 3})};
    }

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

    /**
     * A parameter and its Adam moments after one update.
     *
     * @param param the updated parameter θ′, in the parameter's type
     * @param m the first moment m′, FLOAT64
     * @param v the second moment v′, FLOAT64
     */
    record AdamState(Tensor param, Tensor m, Tensor v) {
    }

    /**
     * One Adam update of one parameter, elementwise: θ and g of the parameter's type, the moments m and v FLOAT64
     * of its shape (they are kept in double so that they match PyTorch's); every formula in double, θ rounded once:
     * <pre>
     * m′ = β₁·m + (1 − β₁)·g,   v′ = β₂·v + (1 − β₂)·g·g,   θ′ = θ − lr·(m′/c₁)/(√(v′/c₂) + ε)
     * </pre>
     * The default runs {@link AdamLoop} on the host.
     *
     * @param param θ
     * @param grad g, of θ's shape and type
     * @param m the first moment, FLOAT64 of θ's shape
     * @param v the second moment, FLOAT64 of θ's shape
     * @param step the settings and bias corrections of this step
     * @return θ′, m′ and v′ (fresh tensors)
     */
    default AdamState adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        return AdamLoop.update(param, grad, m, v, step);
    }

    // ---- batch normalisation (per channel c of an NCHW image, over M = N·H·W values) ----

    /**
     * The result of {@link #batchNormTraining}: y, and the batch statistics it used.
     *
     * @param y the normalised output, of x's shape and type
     * @param mean the per-channel batch mean μ, FLOAT64 (C)
     * @param variance the per-channel biased batch variance σ², FLOAT64 (C)
     */
    record BatchNormForward(Tensor y, Tensor mean, Tensor variance) {
    }

    /**
     * The result of {@link #batchNormBackward}.
     *
     * @param gx the gradient for x, of x's shape
     * @param gGamma the gradient for γ, shape (C)
     * @param gBeta the gradient for β, shape (C)
     */
    record BatchNormGradients(Tensor gx, Tensor gGamma, Tensor gBeta) {
    }

    /**
     * Batch norm with the batch's statistics: x (N, C, H, W), γ and β (C), all of one type.
     * <pre>
     * μ = mean(x),  σ² = mean((x − μ)²)  (biased),  y = (x − μ)·γ/√(σ² + ε) + β,  with relu: y &gt; 0 ? y : 0
     * </pre>
     * {@code mean} and {@code variance} are FLOAT64 tensors of shape (C) whatever x's type: the backward pass and the
     * running-statistics update use them at double precision (they are C numbers). Callers ensure M ≥ 2.
     *
     * @param x the batch (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param eps added to σ² before the square root
     * @param relu fuse a relu after the affine step
     * @return y and the batch statistics
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
     *
     * @param g the output gradient (N, C, H, W)
     * @param reluOutput the forward's y when relu was fused, else null
     * @param x the forward's input (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param mean the forward's batch mean, FLOAT64 (C)
     * @param variance the forward's biased batch variance, FLOAT64 (C)
     * @param eps the forward's ε
     * @return the gradients for x, γ and β
     */
    BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor mean,
                                                 Tensor variance, double eps);

    /**
     * {@link #batchNormBackward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, double)} given the forward's β too:
     * a backend may then recompute a fused ReLU's mask [y &gt; 0] from x, γ, β and the statistics, exactly as the
     * forward computed y, instead of reading {@code reluOutput} (the same mask, so the same results). This default
     * reads reluOutput.
     *
     * @param g the output gradient (N, C, H, W)
     * @param reluOutput the fused ReLU's output, or null when no ReLU was fused
     * @param x the forward pass's input (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param beta the shift β (C) the forward used
     * @param mean the forward's batch mean (C), FLOAT64
     * @param variance the forward's biased batch variance (C), FLOAT64
     * @param eps the forward's ε
     * @return gx, gγ and gβ
     */
    default BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor beta,
                                                 Tensor mean, Tensor variance, double eps) {
        return batchNormBackward(g, reluOutput, x, gamma, mean, variance, eps);
    }

    /**
     * {@link #batchNormBackward(Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, Tensor, double)}, where
     * {@code overwriteG} says nothing reads g after the call: a backend may then write gx over g's array (gx is
     * element-wise in g, so each element is read before it is written), which saves it a fresh array and a write
     * stream. The results are the same numbers either way; this default ignores the hint.
     *
     * @param g the output gradient (N, C, H, W)
     * @param reluOutput the fused ReLU's output, or null when no ReLU was fused
     * @param x the forward pass's input (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param beta the shift β (C) the forward used
     * @param mean the forward's batch mean (C), FLOAT64
     * @param variance the forward's biased batch variance (C), FLOAT64
     * @param eps the forward's ε
     * @param overwriteG whether g's values may be replaced (by gx's)
     * @return gx (possibly holding g's array), gγ and gβ
     */
    default BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor beta,
                                                 Tensor mean, Tensor variance, double eps, boolean overwriteG) {
        return batchNormBackward(g, reluOutput, x, gamma, beta, mean, variance, eps);
    }

    /**
     * Batch norm with given statistics (eval mode: the running mean and variance), x (N, C, H, W), γ, β, mean and
     * variance (C), all of x's type: y = (x − mean)·γ/√(variance + ε) + β, then y &gt; 0 ? y : 0 with {@code relu}.
     * Its VJP is elementwise and per-channel sums, composed by the op from the other methods.
     *
     * @param x the batch (N, C, H, W)
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param mean the running mean (C)
     * @param variance the running variance (C)
     * @param eps added to the variance before the square root
     * @param relu fuse a relu after the affine step
     * @return y, of x's shape and type
     */
    Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, double eps,
                                      boolean relu);

    /**
     * Batch norm's running mean and variance after one training batch.
     *
     * @param mean the new running mean (C), in the running buffers' type
     * @param variance the new running variance (C), in the running buffers' type
     */
    record RunningStatistics(Tensor mean, Tensor variance) {
    }

    /**
     * The running statistics update of batch norm in training mode, per channel, in double, each result rounded once
     * to the running buffers' type: with m = {@code momentum} and M = {@code count} values per channel,
     * <pre>
     * mean′ = (1 − m)·mean + m·μ,   var′ = (1 − m)·var + m·σ²·M/(M − 1)   (the unbiased batch variance)
     * </pre>
     * A method of its own so that the statistics need not leave the device every step. The default runs
     * {@link RunningStatisticsLoop} on the host.
     *
     * @param runningMean the running mean (C)
     * @param runningVar the running variance (C), of runningMean's type
     * @param batchMean the batch mean μ of {@link #batchNormTraining}, FLOAT64 (C)
     * @param batchVariance the biased batch variance σ² of {@link #batchNormTraining}, FLOAT64 (C)
     * @param momentum m, the weight of the new batch (PyTorch's 0.1 by default)
     * @param count M = N·H·W, the values per channel, at least 2
     * @return the new running mean and variance
     */
    default RunningStatistics batchNormRunningUpdate(Tensor runningMean, Tensor runningVar, Tensor batchMean,
                                                     Tensor batchVariance, double momentum, int count) {
        return RunningStatisticsLoop.update(runningMean, runningVar, batchMean, batchVariance, momentum, count);
    }

    // ---- resampling of NCHW images ----

    /**
     * Max over non-overlapping size×size windows (stride size). NaN is never chosen over the window's first element
     * (a strict {@code >} comparison).
     *
     * @param x the image (N, C, H, W), H and W divisible by size
     * @param size the window's side
     * @return (N, C, H/size, W/size)
     */
    Tensor maxPool2d(Tensor x, int size);

    /**
     * The VJP of {@link #maxPool2d}: gx is zero except at each window's argmax (the first maximum in row-major order,
     * found again from x), which gets that window's gy.
     *
     * @param gy the output gradient (N, C, H/size, W/size)
     * @param x the forward's input (N, C, H, W)
     * @param size the window's side
     * @return gx of x's shape
     */
    Tensor maxPool2dBackward(Tensor gy, Tensor x, int size);

    /**
     * Where each 2×2 window of a max pooling had its maximum, kept from the forward pass for the VJP:
     * {@code window[o] = 2u + v} for the element (u, v) of output o's window (row u, column v), the element
     * {@link #maxPool2d} selects. Host memory, filled by kernels that keep it.
     *
     * @param window one code 0..3 per pooled output, in the pooled output's row-major order
     */
    record MaxPoolArgmax(byte[] window) {
    }

    /**
     * The result of {@link #batchNormReluMaxPool2x2}: the fused batch norm + ReLU, its 2×2 max pooling, and where
     * each window's maximum was.
     *
     * @param norm y = relu(batch norm of x) and the batch statistics, as {@link #batchNormTraining} with relu gives
     * @param pooled maxPool2d(y, 2)
     * @param argmaxOrNull each window's argmax when the backend kept it, else null (the VJP finds it again from y)
     */
    record BatchNormReluPool(BatchNormForward norm, Tensor pooled, MaxPoolArgmax argmaxOrNull) {
    }

    /**
     * {@code batchNormTraining(x, γ, β, ε, relu = true)} and the 2×2 max pooling of its output in one call, so a
     * backend can pool each plane while it is still in cache and keep the argmax for the VJP. Values are those of
     * the two separate calls. The default makes the two calls and keeps no argmax.
     *
     * @param x the batch (N, C, H, W), H and W even
     * @param gamma the scale γ (C)
     * @param beta the shift β (C)
     * @param eps added to σ² before the square root
     * @return y, its pooling and (where kept) the argmax
     */
    default BatchNormReluPool batchNormReluMaxPool2x2(Tensor x, Tensor gamma, Tensor beta, double eps) {
        BatchNormForward norm = batchNormTraining(x, gamma, beta, eps, true);
        return new BatchNormReluPool(norm, maxPool2d(norm.y(), 2), null);
    }

    /**
     * {@link #maxPool2dBackward}{@code (gy, x, 2)}, given the argmax the forward kept (or null, then it is found
     * again from x): gx is zero except at each window's argmax, which gets that window's gy. The default ignores
     * the argmax.
     *
     * @param gy the output gradient (N, C, H/2, W/2)
     * @param x the forward's input (N, C, H, W)
     * @param argmaxOrNull the argmax kept by {@link #batchNormReluMaxPool2x2}, or null
     * @return gx of x's shape
     */
    default Tensor maxPool2x2Backward(Tensor gy, Tensor x, MaxPoolArgmax argmaxOrNull) {
        return maxPool2dBackward(gy, x, 2);
    }

    /**
     * {@code previous + maxPool2x2Backward(gy, x, argmax)}, elementwise adds in that order: the gradient of a
     * pooled image that another op reads too (the U-Net's skip connections), in one pass where a backend can. The
     * default makes the two calls.
     *
     * @param previous the gradient x has from its other readers, of x's shape and type
     * @param gy the output gradient (N, C, H/2, W/2)
     * @param x the forward's input (N, C, H, W)
     * @param argmax the argmax kept by {@link #batchNormReluMaxPool2x2}
     * @return previous + gx, a fresh tensor of x's shape
     */
    default Tensor maxPool2x2BackwardAdding(Tensor previous, Tensor gy, Tensor x, MaxPoolArgmax argmax) {
        return binary(BinaryOp.ADD, previous, maxPool2x2Backward(gy, x, argmax), x.shape());
    }

    /**
     * Bilinear ×2 upsampling, PyTorch's align_corners=False. Output position d along an axis of length n reads
     * src = max(0, (d + 0.5)/2 − 0.5) between floor(src) and min(floor(src) + 1, n − 1), weights 1 − frac and frac;
     * the 2-D value is a0·(b0·x00 + b1·x01) + a1·(b0·x10 + b1·x11), computed in double and rounded once.
     *
     * @param x the image (N, C, H, W)
     * @return (N, C, 2H, 2W)
     */
    Tensor upsampleBilinear2x(Tensor x);

    /**
     * The adjoint (VJP) of {@link #upsampleBilinear2x}: each gradient scattered back with the interpolation's weights,
     * accumulated per plane in double, rounded once.
     *
     * @param gy the output gradient (N, C, 2H, 2W)
     * @param xShape the input's shape (N, C, H, W)
     * @return gx of {@code xShape}
     */
    Tensor upsampleBilinear2xAdjoint(Tensor gy, Shape xShape);

    // ---- layout copies: values are moved, never computed ----

    /**
     * A copy of x with axes reordered: result axis i is input axis {@code axes[i]}.
     *
     * @param x the input
     * @param axes a valid permutation of x's axes, non-negative
     * @return a fresh tensor with the values moved
     */
    Tensor permute(Tensor x, int[] axes);

    /**
     * A copy of x broadcast (NumPy rules, already checked) to {@code shape}.
     *
     * @param x the input
     * @param shape the target shape
     * @return a fresh tensor of {@code shape}
     */
    Tensor broadcastTo(Tensor x, Shape shape);

    /**
     * Positions [start, end) of {@code axis}, all of the other axes.
     *
     * @param x the input
     * @param axis a non-negative axis of x
     * @param start first position kept
     * @param end one past the last position kept, {@code 0 ≤ start ≤ end ≤ x.dim(axis)}
     * @return a fresh tensor whose axis has length {@code end − start}
     */
    Tensor slice(Tensor x, int axis, int start, int end);

    /**
     * The parts joined along {@code axis}, in order.
     *
     * @param parts tensors of one type, equal outside {@code axis}
     * @param axis a non-negative axis
     * @param shape the result's shape (the parts' lengths along axis summed)
     * @return a fresh tensor of {@code shape}
     */
    Tensor concat(Tensor[] parts, int axis, Shape shape);

    /**
     * x padded along {@code axis}: zeros (ZERO) or x repeated periodically (CIRCULAR: padded position p copies
     * source (p − before) mod d).
     *
     * @param x the input; the axis is non-empty for CIRCULAR
     * @param axis a non-negative axis
     * @param before positions added in front, ≥ 0
     * @param after positions added at the end, ≥ 0
     * @param mode ZERO or CIRCULAR
     * @return a fresh tensor whose axis has length {@code before + d + after}
     */
    Tensor pad(Tensor x, int axis, int before, int after, Padding mode);

    /**
     * The adjoint (VJP) of {@link #pad}: every padded position's gradient added onto the source position it copied
     * (zeros dropped), accumulated in double from 0 in padded order, rounded once.
     *
     * @param g the gradient of the padded tensor
     * @param axis the padded axis
     * @param before the forward's {@code before}
     * @param length the axis's length before padding
     * @param mode the forward's mode
     * @return the input's gradient, whose axis has length {@code length}
     */
    Tensor padAdjoint(Tensor g, int axis, int before, int length, Padding mode);

    /**
     * One value that says whether every element of every tensor is finite: Σ_t Σ(0·t), which is 0 exactly when all
     * are finite (0·±∞ and 0·NaN are NaN). Reading it is the only copy a device backend needs when nothing is wrong.
     * The default multiplies and sums each tensor with this interface's ops, in the tensor's own type, and adds the
     * sums (in FLOAT64 once the types differ); a backend may compute it in fewer launches.
     *
     * @param tensors the tensors to check, at least one
     * @return a one-element tensor: 0 when every value is finite, otherwise NaN
     */
    default Tensor nonFiniteProbe(java.util.List<Tensor> tensors) {
        Tensor sum = null;
        for (Tensor t : tensors) {
            Tensor zero = Tensor.full(t.dtype(), Shape.scalar(), 0);
            int[] all = java.util.stream.IntStream.range(0, t.shape().rank()).toArray();
            Tensor z = reduce(ReduceOp.SUM, binary(BinaryOp.MUL, t, zero, t.shape()), all);
            if (sum != null && sum.dtype() != z.dtype()) {
                sum = cast(sum, DType.FLOAT64);
                z = cast(z, DType.FLOAT64);
            }
            sum = sum == null ? z : binary(BinaryOp.ADD, sum, z, Shape.broadcast("nonFiniteProbe", sum.shape(), z.shape()));
        }
        return sum;
    }
}
