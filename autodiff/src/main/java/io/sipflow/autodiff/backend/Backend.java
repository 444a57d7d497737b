package io.sipflow.autodiff.backend;

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
 */
public interface Backend {
    /** Short name shown in benchmarks and errors ("cpu", "opencl"). */
    String name();

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
}
