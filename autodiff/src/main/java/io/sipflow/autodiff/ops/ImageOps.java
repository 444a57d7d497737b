package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.Vjp;
import io.sipflow.autodiff.backend.Backend;

/**
 * Resampling of NCHW images: max pooling down, bilinear ×2 up. Both are primitives with hand-written VJPs:
 * composing them from slices would copy the image a dozen times per call.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Max over non-overlapping {@code size}×{@code size} windows (stride = size), as PyTorch's {@code MaxPool2d}
     * for size 2. H and W must be divisible by size.
     * VJP: each window's gradient goes to its argmax (the first maximum in row-major order on ties, as PyTorch),
     * which the backend finds again from x rather than saving it.
     *
     * @param x the image (N, C, H, W)
     * @param size the window's side, ≥ 1, dividing H and W
     * @return (N, C, H/size, W/size)
     * @throws IllegalArgumentException if x is not rank 4 or the size does not divide H and W
     */
    public static Tensor maxPool2d(Tensor x, int size) {
        OpSupport.requireNonNull("maxPool2d", x);
        Tensor xs = OpSupport.asResult(x);
        checkImage("maxPool2d", xs.shape());
        int[] d = xs.shape().dims();
        if (size < 1 || d[2] % size != 0 || d[3] % size != 0) {
            throw new IllegalArgumentException("maxPool2d: window " + size + " must divide the spatial size of "
                    + xs.shape() + " (H = " + d[2] + ", W = " + d[3] + ")");
        }
        Backend backend = OpSupport.backend();
        return recordMaxPool(backend, xs, backend.maxPool2d(xs.constant(), size), size, null);
    }

    /**
     * Records y = maxPool2d(x, size), computed already (by {@link #maxPool2d}, or fused into the op that made x), with
     * the VJP below; {@code argmaxOrNull} is the 2×2 argmax the backend kept, or null to find it again from x.
     */
    static Tensor recordMaxPool(Backend backend, Tensor xs, Tensor value, int size, Backend.MaxPoolArgmax argmaxOrNull) {
        Vjp vjp = g -> new Tensor[] {
            maxPoolBackward(backend, OpSupport.as(g, xs.dtype()), xs.constant(), size, argmaxOrNull)};
        if (argmaxOrNull == null) {
            return Graph.record("maxPool2d", value, xs, vjp);
        }
        // x read by another op too (a skip connection): its gradient so far plus the scatter, in one pass
        Tensor y = Graph.record("maxPool2d", value, xs, vjp, (g, previous) -> backend.maxPool2x2BackwardAdding(
                previous.constant(), OpSupport.as(g, xs.dtype()).constant(), xs.constant(), argmaxOrNull));
        // the codes are read by this VJP alone: back to the pool once a freeing pass has run it (or now, on no graph)
        BufferPool.recycleWhenFreed(y, argmaxOrNull.window());
        return y;
    }

    /**
     * maxPool2d's VJP, gx = maxPool2dBackward(gy, x): gy scattered to each window's argmax (kept by the forward, or
     * found again from x). Linear in gy, and
     * piecewise constant in x (the argmax moves only at ties), so its derivative in x is 0 almost everywhere and x
     * is a constant here. VJP for ḡx: each window's ḡx at its argmax, ḡy = Σ_window ḡx·mask, where
     * mask = maxPool2dBackward(1, x) marks the argmaxes.
     */
    private static Tensor maxPoolBackward(Backend backend, Tensor gy, Tensor x, int size,
                                          Backend.MaxPoolArgmax argmaxOrNull) {
        Tensor value = argmaxOrNull == null ? backend.maxPool2dBackward(gy.constant(), x, size)
                : backend.maxPool2x2Backward(gy.constant(), x, argmaxOrNull);
        return Graph.record("maxPool2dBackward", value, gy, ggx -> {
            Tensor mask = backend.maxPool2dBackward(Tensor.full(gy.dtype(), gy.shape(), 1.0), x, size);
            int[] d = gy.shape().dims();
            Tensor windows = ShapeOps.reshape(BinaryOps.mul(ggx, mask), d[0], d[1], d[2], size, d[3], size);
            return new Tensor[] {ReduceOps.sum(windows, new int[] {3, 5}, false)};
        });
    }

    /**
     * Bilinear upsampling by 2 with PyTorch's {@code align_corners=False}: output position d reads input position
     * {@code src = max(0, (d + 0.5)/2 − 0.5)}, interpolating between floor(src) and floor(src) + 1, the latter
     * clamped to the last row/column. Away from the edges: y[2m] = ¼x[m−1] + ¾x[m], y[2m+1] = ¾x[m] + ¼x[m+1].
     * VJP: the transpose of that (separable) linear map, each gradient scattered back with the same weights.
     *
     * @param x the image (N, C, H, W)
     * @return (N, C, 2H, 2W)
     * @throws IllegalArgumentException if x is not rank 4
     */
    public static Tensor upsampleBilinear2x(Tensor x) {
        OpSupport.requireNonNull("upsampleBilinear2x", x);
        Tensor xs = OpSupport.asResult(x);
        checkImage("upsampleBilinear2x", xs.shape());
        Backend backend = OpSupport.backend();
        Tensor value = backend.upsampleBilinear2x(xs.constant());
        return Graph.record("upsampleBilinear2x", value, xs, g -> new Tensor[] {
            upsampleAdjoint(backend, OpSupport.as(g, xs.dtype()), xs.shape())});
    }

    /**
     * The adjoint of {@link #upsampleBilinear2x} (its VJP): gy (N, C, 2H, 2W) scattered back to {@code xShape} with
     * the interpolation weights. The weights are constants, so its own VJP is the upsampling: ḡy = upsample(ḡx).
     */
    static Tensor upsampleAdjoint(Backend backend, Tensor gy, Shape xShape) {
        Tensor value = backend.upsampleBilinear2xAdjoint(gy.constant(), xShape);
        return Graph.record("upsampleBilinear2xAdjoint", value, gy, ggx -> new Tensor[] {upsampleBilinear2x(ggx)});
    }

    private static void checkImage(String op, Shape s) {
        if (s.rank() != 4) {
            throw new IllegalArgumentException(op + ": expects an NCHW image (rank 4), got " + s);
        }
    }
}
