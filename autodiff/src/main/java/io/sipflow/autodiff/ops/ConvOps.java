package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;

/**
 * 2-D convolution, NCHW images and OIkk weights, stride 1, odd k, "same" size (padding k/2, ZERO or CIRCULAR).
 * <pre>
 * y[n,o,i,j] = b[o] + Σ_c Σ_{u,v} w[o,c,u,v] · x[n,c, i+u−k/2, j+v−k/2]
 * </pre>
 * Hand-written VJP (convolution is a primitive, and the backend has fast kernels for both adjoints):
 * gx = conv2dBackwardData(g, w), gw = conv2dBackwardWeight(g, x), gb[o] = Σ_{n,i,j} g[n,o,i,j].
 * Both adjoints are recorded ops with VJPs of their own (conv2d is bilinear, so its adjoints are too), which makes
 * the gradients differentiable (see {@link io.sipflow.autodiff.Autodiff.Differentiable}).
 * {@link #conv2dConcatUpsampled} is conv2d of [a, upsample(low)] without building (or saving) the concatenation or
 * the upsampled part, which the VJP recomputes.
 */
public final class ConvOps {
    private ConvOps() {
    }

    /**
     * Convolution of {@code x} (N, C, H, W) with {@code w} (O, C, k, k) plus {@code bias} (O) or null, as in the class
     * comment; computed in the inputs' result type.
     *
     * @param x the image (N, C, H, W)
     * @param w the kernels (O, C, k, k), k odd
     * @param biasOrNull the bias (O), or null for none
     * @param padding ZERO (reads 0 outside the image) or CIRCULAR (periodic)
     * @return y (N, O, H, W)
     * @throws IllegalArgumentException if a rank, the channel count, k's parity or the bias's shape is wrong (naming
     *         all shapes), or x, w or padding is null
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor biasOrNull, Padding padding) {
        OpSupport.requireNonNull("conv2d", x, w);
        if (padding == null) {
            throw new IllegalArgumentException("conv2d: padding must be ZERO or CIRCULAR, got null");
        }
        checkShapes(x.shape(), w.shape(), biasOrNull == null ? null : biasOrNull.shape());
        DType d = biasOrNull == null ? Precision.resultType(x.dtype(), w.dtype())
                : Precision.resultType(Precision.resultType(x.dtype(), w.dtype()), biasOrNull.dtype());
        Tensor xs = OpSupport.as(x, d);
        Tensor ws = OpSupport.as(w, d);
        Tensor bs = biasOrNull == null ? null : OpSupport.as(biasOrNull, d);
        Backend backend = OpSupport.backend();
        Tensor value = backend.conv2d(xs.constant(), ws.constant(), bs == null ? null : bs.constant(), padding);
        Shape xShape = xs.shape();
        Shape wShape = ws.shape();
        Tensor[] inputs = bs == null ? new Tensor[] {xs, ws} : new Tensor[] {xs, ws, bs};
        return Graph.record("conv2d", value, inputs, g -> {
            Tensor[] fused = xs.requiresGrad() && ws.requiresGrad() && unrecorded(g, xs)
                    ? backend.conv2dBackward(g.constant(), ws.constant(), xs.constant(), padding,
                            bs != null && bs.requiresGrad()) : null;
            if (fused != null) { // both gradients in one pass over g
                Tensor gb = fused[2] == null ? null : ReduceOps.sumComputed(g, new int[] {0, 2, 3}, false, fused[2]);
                return bs == null ? new Tensor[] {fused[0], fused[1]} : new Tensor[] {fused[0], fused[1], gb};
            }
            Tensor gx = xs.requiresGrad() ? backwardData(backend, g, ws, padding, xShape) : null;
            if (bs == null) {
                return new Tensor[] {gx, ws.requiresGrad() ? backwardWeight(backend, g, xs, padding, wShape) : null};
            }
            Tensor[] gwb = weightAndBias(backend, g, xs, padding, wShape, ws.requiresGrad(), bs.requiresGrad());
            return new Tensor[] {gx, gwb[0], gwb[1]};
        });
    }

    /**
     * conv2d's gradient with respect to x, gx = conv2dBackwardData(gy, w): the adjoint of x ↦ conv(x, w), so
     * ⟨gx, h⟩ = ⟨gy, conv(h, w)⟩ = ⟨conv2dBackwardWeight(gy, h), w⟩. Bilinear in (gy, w); VJP for ḡx:
     * <pre>
     * ḡy = conv2d(ḡx, w),   w̄ = conv2dBackwardWeight(gy, ḡx)
     * </pre>
     */
    static Tensor backwardData(Backend backend, Tensor gy, Tensor w, Padding padding, Shape xShape) {
        Tensor value = backend.conv2dBackwardData(gy.constant(), w.constant(), padding, xShape);
        return Graph.record("conv2dBackwardData", value, new Tensor[] {gy, w}, ggx -> new Tensor[] {
            gy.requiresGrad() ? conv2d(ggx, w, null, padding) : null,
            w.requiresGrad() ? backwardWeight(backend, gy, ggx, padding, w.shape()) : null});
    }

    /**
     * {gw, gb} as {@link #backwardWeight} and {@code ReduceOps.sum(gy, {0, 2, 3})} record them (null where not
     * wanted); when both are wanted the backend computes them in one call (one pass over gy), with the same values.
     */
    private static Tensor[] weightAndBias(Backend backend, Tensor gy, Tensor x, Padding padding, Shape wShape,
                                          boolean weight, boolean bias) {
        int[] axes = {0, 2, 3};
        if (!weight || !bias || OpSupport.asResult(gy) != gy) {
            return new Tensor[] {weight ? backwardWeight(backend, gy, x, padding, wShape) : null,
                bias ? ReduceOps.sum(gy, axes, false) : null};
        }
        Tensor[] values = backend.conv2dBackwardWeightAndBias(gy.constant(), x.constant(), padding, wShape);
        return new Tensor[] {recordBackwardWeight(backend, values[0], gy, x, padding),
            ReduceOps.sumComputed(gy, axes, false, values[1])};
    }

    /**
     * conv2d's gradient with respect to w, gw = conv2dBackwardWeight(gy, x): ⟨gw, k⟩ = ⟨gy, conv(x, k)⟩ =
     * ⟨conv2dBackwardData(gy, k), x⟩. Bilinear in (gy, x); VJP for ḡw:
     * <pre>
     * ḡy = conv2d(x, ḡw),   x̄ = conv2dBackwardData(gy, ḡw)
     * </pre>
     */
    static Tensor backwardWeight(Backend backend, Tensor gy, Tensor x, Padding padding, Shape wShape) {
        return recordBackwardWeight(backend, backend.conv2dBackwardWeight(gy.constant(), x.constant(), padding, wShape),
                gy, x, padding);
    }

    /** {@code value}, computed as conv2dBackwardWeight(gy, x), recorded as {@link #backwardWeight} records it. */
    private static Tensor recordBackwardWeight(Backend backend, Tensor value, Tensor gy, Tensor x, Padding padding) {
        return Graph.record("conv2dBackwardWeight", value, new Tensor[] {gy, x}, ggw -> new Tensor[] {
            gy.requiresGrad() ? conv2d(x, ggw, null, padding) : null,
            x.requiresGrad() ? backwardData(backend, gy, ggw, padding, x.shape()) : null});
    }

    /**
     * {@code conv2d(concat(1, a, upsampleBilinear2x(low)), w, bias, padding)}, the U-Net's whole up-block input,
     * without building the concatenation or keeping the upsampled image: a (N, Ca, H, W), low (N, Cb, H/2, W/2),
     * w (O, Ca + Cb, k, k). Convolution is linear in its input channels, so with wa = w[:, :Ca], wb = w[:, Ca:]:
     * <pre>
     * u = upsample(low),  y = conv(a, wa) + bias + conv(u, wb)
     * ga = conv2dBackwardData(g, wa),  glow = upsampleᵀ(conv2dBackwardData(g, wb)),
     * gw = concat(1, ∂w conv(a, ·), ∂w conv(u, ·)),  gbias[o] = Σ_{n,i,j} g[n,o,i,j]
     * </pre>
     * u is needed again only for the weight gradient, so the VJP recomputes it from {@code low} (kept anyway)
     * instead of keeping it alive between the passes. On the CPU's fast FLOAT32 path u is never a tensor: the kernels
     * upsample each image as they pad their input, forward and in a first-order backward pass (which takes all the
     * gradients in one pass over g and hands the upsampled half's data gradient to the adjoint image by image), and
     * the result equals conv2d of the concatenation bit for bit. Other backends compose the op from
     * upsampleBilinear2x, conv2d and conv2dAccumulate, which may differ from that by one rounding (two partial sums
     * added).
     *
     * @param a the skip connection (N, Ca, H, W)
     * @param low the coarser features (N, Cb, H/2, W/2)
     * @param w the kernels (O, Ca + Cb, k, k), k odd
     * @param biasOrNull the bias (O), or null
     * @param padding ZERO or CIRCULAR
     * @return y (N, O, H, W)
     * @throws IllegalArgumentException if the shapes do not fit together as above (naming them), or padding is null
     */
    public static Tensor conv2dConcatUpsampled(Tensor a, Tensor low, Tensor w, Tensor biasOrNull, Padding padding) {
        OpSupport.requireNonNull("conv2dConcatUpsampled", a, low, w);
        checkConcatUpsampled(a.shape(), low.shape(), w.shape(), biasOrNull == null ? null : biasOrNull.shape(),
                padding);
        DType d = Precision.resultType(Precision.resultType(a.dtype(), low.dtype()), w.dtype());
        if (biasOrNull != null) {
            d = Precision.resultType(d, biasOrNull.dtype());
        }
        Tensor at = OpSupport.as(a, d);
        Tensor lt = OpSupport.as(low, d);
        Tensor ws = OpSupport.as(w, d);
        Tensor bias = biasOrNull == null ? null : OpSupport.as(biasOrNull, d);
        int ca = a.dim(1);
        Backend backend = OpSupport.backend();
        Tensor value = backend.conv2dConcatUpsampled(at.constant(), lt.constant(), ws.constant(),
                bias == null ? null : bias.constant(), padding); // null where the backend has no fused kernel
        if (value == null) { // conv(a, wa) + bias, then + conv(u, wb) accumulated into that fresh result
            Tensor up = backend.upsampleBilinear2x(lt.constant());
            value = backend.conv2dAccumulate(backend.conv2d(at.constant(), ShapeOps.slice(ws.constant(), 1, 0, ca),
                    bias == null ? null : bias.constant(), padding), up, ShapeOps.slice(ws.constant(), 1, ca, ws.dim(1)),
                    padding);
            BufferPool.recycleTemporary(up, "conv2dConcatUpsampled");
        }
        Tensor[] inputs = bias == null ? new Tensor[] {at, lt, ws} : new Tensor[] {at, lt, ws, bias};
        return Graph.record("conv2dConcatUpsampled", value, inputs, g -> {
            boolean biasWanted = bias != null && bias.requiresGrad();
            Tensor[] fused = at.requiresGrad() && lt.requiresGrad() && ws.requiresGrad() && unrecorded(g, at)
                    ? backend.conv2dBackwardConcatUpsampled(g.constant(), ws.constant(), at.constant(),
                            lt.constant(), padding, biasWanted) : null;
            if (fused != null) { // all gradients in one pass over g, u and its gradient made image by image
                Tensor gb = fused[3] == null ? null : ReduceOps.sumComputed(g, new int[] {0, 2, 3}, false, fused[3]);
                return bias == null ? new Tensor[] {fused[0], fused[1], fused[2]}
                        : new Tensor[] {fused[0], fused[1], fused[2], gb};
            }
            // wa, wb and u as recorded functions of w and low (no copies unless the backward pass is recorded)
            Tensor wa = ShapeOps.slice(ws.constant(), 1, 0, ca);
            Tensor wb = ShapeOps.slice(ws.constant(), 1, ca, ws.dim(1));
            Tensor waOfW = ShapeOps.sliceComputed(ws, wa, 1, 0, ca);
            Tensor wbOfW = ShapeOps.sliceComputed(ws, wb, 1, ca, ws.dim(1));
            Tensor ga = at.requiresGrad() ? backwardData(backend, g, waOfW, padding, at.shape()) : null;
            Tensor glow = null;
            Tensor u = lt.requiresGrad() || ws.requiresGrad() ? ImageOps.upsampleBilinear2x(lt) : null;
            if (lt.requiresGrad()) {
                Tensor gu = backwardData(backend, g, wbOfW, padding, u.shape());
                glow = ImageOps.upsampleAdjoint(backend, gu, lt.shape());
                BufferPool.recycleTemporary(gu, "conv2dConcatUpsampled"); // kept when the pass is recorded (a node)
            }
            // the a part's weight gradient and the bias gradient in one pass over g where both are wanted
            Tensor[] gwb = weightAndBias(backend, g, at, padding, wa.shape(), ws.requiresGrad(), biasWanted);
            Tensor gw = ws.requiresGrad() ? ShapeOps.concat(1, gwb[0],
                    backwardWeight(backend, g, u, padding, wb.shape())) : null;
            BufferPool.recycleTemporary(u, "conv2dConcatUpsampled");
            if (bias == null) {
                return new Tensor[] {ga, glow, gw};
            }
            return new Tensor[] {ga, glow, gw, gwb[1]};
        });
    }

    /**
     * Whether a VJP may take a backend's fused gradient kernel: only in a backward pass that is not recorded (a
     * recorded one needs each gradient as a node of its own, and the upsampled image as a node, for the
     * second-order graph), and with g already in the forward's type.
     */
    private static boolean unrecorded(Tensor g, Tensor x) {
        return !Autodiff.isRecording() && OpSupport.asResult(g) == g && g.dtype() == x.dtype();
    }

    /** conv2dConcatUpsampled's shape checks: as conv2d of [a, upsample(low)], naming the op and the shapes. */
    private static void checkConcatUpsampled(Shape as, Shape ls, Shape w, Shape bias, Padding padding) {
        String op = "conv2dConcatUpsampled";
        if (padding == null) {
            throw new IllegalArgumentException(op + ": padding must be ZERO or CIRCULAR, got null");
        }
        if (as.rank() != 4 || ls.rank() != 4 || as.dim(0) != ls.dim(0) || as.dim(2) != 2 * ls.dim(2)
                || as.dim(3) != 2 * ls.dim(3)) {
            throw new IllegalArgumentException(op + ": a and low must be NCHW with the same N and low at half a's H "
                    + "and W; got a " + as + ", low " + ls);
        }
        try {
            checkShapes(Shape.of(as.dim(0), as.dim(1) + ls.dim(1), as.dim(2), as.dim(3)), w, bias);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + " (a " + as + ", low " + ls + ", as conv2d of [a, upsample(low)]"
                    + "): " + e.getMessage(), e);
        }
    }

    /** Rejects anything the kernels do not handle, naming the op and the shapes. */
    static void checkShapes(Shape x, Shape w, Shape bias) {
        String shapes = "x " + x + ", w " + w + (bias == null ? "" : ", bias " + bias);
        if (x.rank() != 4) {
            throw new IllegalArgumentException("conv2d: x must be NCHW (rank 4); got " + shapes);
        }
        if (w.rank() != 4 || w.dim(2) != w.dim(3)) {
            throw new IllegalArgumentException("conv2d: w must be (out, in, k, k); got " + shapes);
        }
        if (w.dim(2) % 2 == 0) {
            throw new IllegalArgumentException("conv2d: kernel size must be odd for 'same' padding, got k = "
                    + w.dim(2) + "; " + shapes);
        }
        if (w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d: x has " + x.dim(1) + " channels but w expects " + w.dim(1)
                    + "; " + shapes);
        }
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != w.dim(0))) {
            throw new IllegalArgumentException("conv2d: bias must have shape (" + w.dim(0) + "); got " + shapes);
        }
    }
}
