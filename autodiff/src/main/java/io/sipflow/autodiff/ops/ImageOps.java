package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Parallel;

/**
 * Resampling of NCHW images: 2×2 max pooling down, bilinear ×2 up. Both are primitives with hand-written VJPs:
 * composing them from slices would copy the image a dozen times per call.
 * Loops run in double over independent (n, c) planes, so results do not depend on the thread count. FLOAT32
 * inputs go to {@link ImageOpsFloat32}: the same arithmetic on raw float arrays, bit-identical, without copies.
 */
public final class ImageOps {
    private ImageOps() {
    }

    /**
     * Max over non-overlapping {@code size}×{@code size} windows (stride = size), as PyTorch's {@code MaxPool2d(2)}
     * for size 2. H and W must be divisible by size.
     * VJP: each window's gradient goes to its argmax (the first maximum in row-major order on ties, as PyTorch).
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
        if (xs.dtype() == DType.FLOAT32) {
            return ImageOpsFloat32.maxPool2d(xs, size);
        }
        int planes = d[0] * d[1];
        int h = d[2];
        int w = d[3];
        int oh = h / size;
        int ow = w / size;
        double[] in = xs.toDoubleArray();
        double[] out = new double[planes * oh * ow];
        int[] argmax = new int[out.length]; // flat index into x of each output's maximum
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int best = p * h * w + i * size * w + j * size;
                        for (int u = 0; u < size; u++) {
                            for (int v = 0; v < size; v++) {
                                int at = p * h * w + (i * size + u) * w + j * size + v;
                                if (in[at] > in[best] || Double.isNaN(in[at])) { // NaN wins, as PyTorch
                                    best = at;
                                }
                            }
                        }
                        int o = (p * oh + i) * ow + j;
                        out[o] = in[best];
                        argmax[o] = best;
                    }
                }
            }
        });
        Tensor value = typed(Shape.of(d[0], d[1], oh, ow), out, xs);
        Shape xShape = xs.shape();
        return Graph.record("maxPool2d", value, xs, g -> {
            double[] gy = g.toDoubleArray();
            double[] gx = new double[xShape.size()];
            for (int o = 0; o < gy.length; o++) {
                gx[argmax[o]] += gy[o]; // windows do not overlap: each x element has at most one writer
            }
            return new Tensor[] {typed(xShape, gx, g)};
        });
    }

    /**
     * Bilinear upsampling by 2 with PyTorch's {@code align_corners=False}: output position d reads input position
     * {@code src = max(0, (d + 0.5)/2 − 0.5)}, interpolating between floor(src) and floor(src) + 1, the latter
     * clamped to the last row/column. Away from the edges: y[2m] = ¼x[m−1] + ¾x[m], y[2m+1] = ¾x[m] + ¼x[m+1].
     * VJP: the transpose of that (separable) linear map, each gradient scattered back with the same weights.
     */
    public static Tensor upsampleBilinear2x(Tensor x) {
        OpSupport.requireNonNull("upsampleBilinear2x", x);
        Tensor xs = OpSupport.asResult(x);
        checkImage("upsampleBilinear2x", xs.shape());
        if (xs.dtype() == DType.FLOAT32) {
            return ImageOpsFloat32.upsampleBilinear2x(xs);
        }
        int[] d = xs.shape().dims();
        Axis rows = Axis.of(d[2]);
        Axis cols = Axis.of(d[3]);
        double[] y = new double[d[0] * d[1] * rows.out() * cols.out()];
        interpolate(xs.toDoubleArray(), y, d[0] * d[1], rows, cols, false);
        Tensor value = typed(Shape.of(d[0], d[1], rows.out(), cols.out()), y, xs);
        Shape xShape = xs.shape();
        return Graph.record("upsampleBilinear2x", value, xs, g -> new Tensor[] {upsampleBilinear2xAdjoint(g, xShape)});
    }

    /**
     * The VJP of {@link #upsampleBilinear2x} for an input of shape {@code xShape} (untracked, in g's type): each
     * gradient scattered back with the interpolation's weights. Also used by {@link ConvOps#conv2dConcatUpsampled}.
     */
    static Tensor upsampleBilinear2xAdjoint(Tensor g, Shape xShape) {
        if (g.dtype() == DType.FLOAT32) {
            return ImageOpsFloat32.upsampleBilinear2xAdjoint(g, xShape);
        }
        int[] d = xShape.dims();
        double[] gx = new double[xShape.size()];
        interpolate(gx, g.toDoubleArray(), d[0] * d[1], Axis.of(d[2]), Axis.of(d[3]), true);
        return typed(xShape, gx, g);
    }

    /**
     * Per output position along one axis: the two source positions and their weights (they sum to 1).
     * For n = 1 both sources are 0.
     */
    private record Axis(int in, int[] lo, int[] hi, double[] wLo, double[] wHi) {
        static Axis of(int n) {
            int m = 2 * n;
            int[] lo = new int[m];
            int[] hi = new int[m];
            double[] wLo = new double[m];
            double[] wHi = new double[m];
            for (int dst = 0; dst < m; dst++) {
                double src = Math.max(0.0, (dst + 0.5) / 2.0 - 0.5);
                int i0 = (int) Math.floor(src);
                double frac = src - i0;
                lo[dst] = i0;
                hi[dst] = Math.min(i0 + 1, n - 1);
                wLo[dst] = 1.0 - frac;
                wHi[dst] = frac;
            }
            return new Axis(n, lo, hi, wLo, wHi);
        }

        int out() {
            return lo.length;
        }
    }

    /**
     * y = A·x per plane, or (adjoint) x += Aᵀ·y, with A the tensor product of the row and column interpolations.
     * The adjoint accumulates into x within one plane only, so planes run in parallel safely.
     */
    private static void interpolate(double[] x, double[] y, int planes, Axis rows, Axis cols, boolean adjoint) {
        int h = rows.in();
        int w = cols.in();
        int oh = rows.out();
        int ow = cols.out();
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int xb = p * h * w;
                int yb = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = xb + rows.lo()[i] * w;
                    int r1 = xb + rows.hi()[i] * w;
                    double a0 = rows.wLo()[i];
                    double a1 = rows.wHi()[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols.lo()[j];
                        int c1 = cols.hi()[j];
                        double b0 = cols.wLo()[j];
                        double b1 = cols.wHi()[j];
                        int at = yb + i * ow + j;
                        if (adjoint) {
                            double g = y[at];
                            x[r0 + c0] += a0 * b0 * g;
                            x[r0 + c1] += a0 * b1 * g;
                            x[r1 + c0] += a1 * b0 * g;
                            x[r1 + c1] += a1 * b1 * g;
                        } else {
                            y[at] = a0 * (b0 * x[r0 + c0] + b1 * x[r0 + c1]) + a1 * (b0 * x[r1 + c0] + b1 * x[r1 + c1]);
                        }
                    }
                }
            }
        });
    }

    private static void checkImage(String op, Shape s) {
        if (s.rank() != 4) {
            throw new IllegalArgumentException(op + ": expects an NCHW image (rank 4), got " + s);
        }
    }

    /** Wraps double results in {@code like}'s type, rounding once for FLOAT32. */
    private static Tensor typed(Shape shape, double[] values, Tensor like) {
        Tensor t = Tensor.wrap(shape, values);
        return like.dtype() == t.dtype() ? t : CastOps.to(t, like.dtype());
    }
}
