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
