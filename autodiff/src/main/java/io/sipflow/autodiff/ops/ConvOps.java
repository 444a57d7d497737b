package io.sipflow.autodiff.ops;

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
 * {@link #conv2dConcat} is conv2d of a channel concatenation without building (or saving) the concatenation;
 * {@link #conv2dConcatUpsampled} also upsamples the second part, recomputing it in the VJP instead of saving it.
 */
public final class ConvOps {
    private ConvOps() {
    }

    /** Convolution of {@code x} (N, C, H, W) with {@code w} (O, C, k, k) plus {@code bias} (O) or null. */
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
            Tensor gc = g.constant();
            Tensor gx = xs.requiresGrad() ? backend.conv2dBackwardData(gc, ws.constant(), padding, xShape) : null;
            Tensor gw = ws.requiresGrad() ? backend.conv2dBackwardWeight(gc, xs.constant(), padding, wShape) : null;
            if (bs == null) {
                return new Tensor[] {gx, gw};
            }
            Tensor gb = bs.requiresGrad() ? ReduceOps.sum(gc, new int[] {0, 2, 3}, false) : null;
            return new Tensor[] {gx, gw, gb};
        });
    }

    /**
     * {@code conv2d(concat(1, a, b), w, bias, padding)} without the concatenation: a (N, Ca, H, W) and
     * b (N, Cb, H, W), w (O, Ca + Cb, k, k). Convolution is linear in its input channels, so with
     * wa = w[:, :Ca] and wb = w[:, Ca:]
     * <pre>
     * y = conv(a, wa) + bias + conv(b, wb)
     * ga = conv2dBackwardData(g, wa),  gb = conv2dBackwardData(g, wb)
     * gw = concat(1, conv2dBackwardWeight(g, a), conv2dBackwardWeight(g, b)),  gbias[o] = Σ_{n,i,j} g[n,o,i,j]
     * </pre>
     * The U-Net's up blocks use it: the (N, Ca + Cb, H, W) concatenation is never allocated, nor kept alive for
     * the VJP (a and b are kept anyway by the ops that made them), and the data gradient comes out already split.
     * On the CPU's Vector API path the FLOAT32 result equals conv2d of the concatenation bit for bit (the second
     * part's taps continue the first part's float accumulation); elsewhere it differs by one rounding (two partial
     * sums added).
     */
    public static Tensor conv2dConcat(Tensor a, Tensor b, Tensor w, Tensor biasOrNull, Padding padding) {
        return concatConv("conv2dConcat", a, b, false, w, biasOrNull, padding);
    }

    /**
     * {@code conv2dConcat(a, ImageOps.upsampleBilinear2x(low), w, bias, padding)}, the U-Net's whole up-block
     * input: a (N, Ca, H, W), low (N, Cb, H/2, W/2). The upsampled image is needed again only for the weight
     * gradient, so instead of keeping it alive from the forward to the backward pass the VJP recomputes it from
     * {@code low} (kept anyway), and maps its gradient back with the upsampling's adjoint:
     * <pre>
     * u = upsample(low),  y = conv(a, wa) + bias + conv(u, wb)
     * gu = conv2dBackwardData(g, wb),  glow = upsampleᵀ(gu),  gw = concat(1, ∂w conv(a, ·), ∂w conv(u, ·))
     * </pre>
     * Values and gradients are bit-identical to the two-op composition.
     */
    public static Tensor conv2dConcatUpsampled(Tensor a, Tensor low, Tensor w, Tensor biasOrNull, Padding padding) {
        return concatConv("conv2dConcatUpsampled", a, low, true, w, biasOrNull, padding);
    }

    /** conv2dConcat(a, b) or, with {@code upsampleB}, conv2dConcat(a, upsample(b)) recomputing upsample(b). */
    private static Tensor concatConv(String op, Tensor a, Tensor b, boolean upsampleB, Tensor w, Tensor biasOrNull,
                                     Padding padding) {
        OpSupport.requireNonNull(op, a, b, w);
        if (padding == null) {
            throw new IllegalArgumentException(op + ": padding must be ZERO or CIRCULAR, got null");
        }
        Shape as = a.shape();
        Shape bs = b.shape();
        int f = upsampleB ? 2 : 1; // b's spatial size relative to a's
        if (as.rank() != 4 || bs.rank() != 4 || as.dim(0) != bs.dim(0) || as.dim(2) != f * bs.dim(2)
                || as.dim(3) != f * bs.dim(3)) {
            throw new IllegalArgumentException(op + ": a and b must be NCHW with the same N and " + (upsampleB
                    ? "b at half a's H and W" : "the same H, W") + "; got a " + as + ", b " + bs);
        }
        int ca = as.dim(1);
        Shape partB = Shape.of(as.dim(0), bs.dim(1), as.dim(2), as.dim(3));
        try {
            checkShapes(Shape.of(as.dim(0), ca + bs.dim(1), as.dim(2), as.dim(3)), w.shape(),
                    biasOrNull == null ? null : biasOrNull.shape());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + " (a " + as + ", b " + bs + ", as conv2d of their channel "
                    + "concatenation): " + e.getMessage(), e);
        }
        DType d = Precision.resultType(Precision.resultType(a.dtype(), b.dtype()), w.dtype());
        if (biasOrNull != null) {
            d = Precision.resultType(d, biasOrNull.dtype());
        }
        Tensor at = OpSupport.as(a, d);
        Tensor bt = OpSupport.as(b, d);
        Tensor ws = OpSupport.as(w, d);
        Tensor bias = biasOrNull == null ? null : OpSupport.as(biasOrNull, d);
        Tensor wa = ShapeOps.slice(ws.constant(), 1, 0, ca);
        Tensor wb = ShapeOps.slice(ws.constant(), 1, ca, ws.dim(1));
        Backend backend = OpSupport.backend();
        // conv(a, wa) + bias, then + conv(b, wb) accumulated into that fresh result (see Backend#conv2dAccumulate)
        Tensor value = backend.conv2dAccumulate(
                backend.conv2d(at.constant(), wa, bias == null ? null : bias.constant(), padding),
                secondPart(bt, upsampleB), wb, padding);
        Tensor[] inputs = bias == null ? new Tensor[] {at, bt, ws} : new Tensor[] {at, bt, ws, bias};
        return Graph.record(op, value, inputs, g -> {
            Tensor gc = g.constant();
            Tensor ga = at.requiresGrad() ? backend.conv2dBackwardData(gc, wa, padding, as) : null;
            Tensor gb = null;
            if (bt.requiresGrad()) {
                gb = backend.conv2dBackwardData(gc, wb, padding, partB);
                gb = upsampleB ? ImageOps.upsampleBilinear2xAdjoint(gb, bt.shape()) : gb;
            }
            Tensor gw = ws.requiresGrad() ? ShapeOps.concat(1,
                    backend.conv2dBackwardWeight(gc, at.constant(), padding, wa.shape()),
                    backend.conv2dBackwardWeight(gc, secondPart(bt, upsampleB), padding, wb.shape())) : null;
            if (bias == null) {
                return new Tensor[] {ga, gb, gw};
            }
            Tensor gbias = bias.requiresGrad() ? ReduceOps.sum(gc, new int[] {0, 2, 3}, false) : null;
            return new Tensor[] {ga, gb, gw, gbias};
        });
    }

    /** The second convolution input, untracked: b itself, or upsample(b) computed afresh (see above). */
    private static Tensor secondPart(Tensor b, boolean upsample) {
        return upsample ? OpSupport.backend().upsampleBilinear2x(b.constant()) : b.constant();
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
