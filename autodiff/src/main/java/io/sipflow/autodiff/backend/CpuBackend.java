package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * The default backend: pure Java, multi-threaded through {@link Parallel}, no native code. FLOAT32 convolutions
 * and all matrix products run the Vector API kernels of {@link FastPath} when the JVM has the module; otherwise,
 * and for FLOAT64 convolutions (only used by gradient checks), the plain reference loops run (in double, rounded
 * once for FLOAT32). {@link #scalar()} always runs the reference loops: the executable spec.
 */
public class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();
    private static final CpuBackend SCALAR = new CpuBackend(null);

    /** Vector API kernels, or null for the reference loops. */
    private final FastKernels fast;

    protected CpuBackend() {
        this(FastPath.kernels());
    }

    private CpuBackend(FastKernels fast) {
        this.fast = fast;
    }

    /** The default CPU backend (fast kernels when available). */
    public static CpuBackend instance() {
        return INSTANCE;
    }

    /** The CPU backend restricted to its scalar reference kernels, for equivalence tests and benchmarks. */
    public static CpuBackend scalar() {
        return SCALAR;
    }

    /** Whether this backend runs the Vector API kernels. */
    public boolean usesVectorKernels() {
        return fast != null;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape outShape) {
        return ElementwiseKernels.binary(op, a, b, outShape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double param) {
        return ElementwiseKernels.unary(op, a, param, fast);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseKernels.where(cond, a, b);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        return ReduceKernels.reduce(op, a, axes);
    }

    /** Vector API GEMM, or the reference: a batched i-k-j loop along contiguous rows of b and of the result. */
    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = b.dim(2);
        Shape out = Shape.of(batch, m, n);
        if (fast != null && a.dtype() == DType.FLOAT32) {
            return Tensor.wrap(out, fast.matmul(a.floatData(), b.floatData(), batch, m, k, n));
        }
        if (fast != null) {
            return Tensor.wrap(out, fast.matmul(a.doubleData(), b.doubleData(), batch, m, k, n));
        }
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double[] z = new double[batch * m * n];
        Parallel.forRange(batch * m, Math.max(1, 4096 / Math.max(1, k * n)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int bi = row / m;
                int zo = row * n;
                int xo = row * k;
                for (int p = 0; p < k; p++) {
                    double xv = x[xo + p];
                    int yo = (bi * k + p) * n;
                    for (int j = 0; j < n; j++) {
                        z[zo + j] += xv * y[yo + j];
                    }
                }
            }
        });
        return typed(out, z, a.dtype());
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, Padding padding) {
        int[] d = x.shape().dims();
        int o = w.dim(0);
        int k = w.dim(2);
        if (fast != null && x.dtype() == DType.FLOAT32) {
            return Tensor.wrap(Shape.of(d[0], o, d[2], d[3]), fast.convForward(x.floatData(), w.floatData(),
                    bias == null ? null : bias.floatData(), d[0], d[1], d[2], d[3], o, k, padding));
        }
        double[] y = ReferenceConv.forward(x.toDoubleArray(), w.toDoubleArray(),
                bias == null ? null : bias.toDoubleArray(), d[0], d[1], d[2], d[3], o, k, padding);
        return typed(Shape.of(d[0], o, d[2], d[3]), y, x.dtype());
    }

    /** On the fast path: the FLOAT32 accumulation continued in place, equal to one conv2d over both parts. */
    @Override
    public Tensor conv2dAccumulate(Tensor into, Tensor x, Tensor w, Padding padding) {
        int[] d = x.shape().dims();
        if (fast != null && x.dtype() == DType.FLOAT32) {
            return Tensor.wrap(into.shape(), fast.convForwardAccumulate(into.floatData(), x.floatData(), w.floatData(),
                    d[0], d[1], d[2], d[3], w.dim(0), w.dim(2), padding));
        }
        return Backend.super.conv2dAccumulate(into, x, w, padding);
    }

    @Override
    public Tensor conv2dBackwardData(Tensor gy, Tensor w, Padding padding, Shape xShape) {
        int[] d = xShape.dims();
        if (fast != null && gy.dtype() == DType.FLOAT32) {
            return Tensor.wrap(xShape, fast.convBackwardData(gy.floatData(), w.floatData(), d[0], d[1], d[2], d[3],
                    w.dim(0), w.dim(2), padding));
        }
        double[] gx = ReferenceConv.backwardData(gy.toDoubleArray(), w.toDoubleArray(), d[0], d[1], d[2], d[3],
                w.dim(0), w.dim(2), padding);
        return typed(xShape, gx, gy.dtype());
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        int[] d = x.shape().dims();
        if (fast != null && gy.dtype() == DType.FLOAT32) {
            return Tensor.wrap(wShape, fast.convBackwardWeight(gy.floatData(), x.floatData(), d[0], d[1], d[2], d[3],
                    wShape.dim(0), wShape.dim(2), padding));
        }
        double[] gw = ReferenceConv.backwardWeight(gy.toDoubleArray(), x.toDoubleArray(), d[0], d[1], d[2], d[3],
                wShape.dim(0), wShape.dim(2), padding);
        return typed(wShape, gw, gy.dtype());
    }

    /** Wraps double results as {@code dtype}, rounding once for FLOAT32. */
    protected static Tensor typed(Shape shape, double[] values, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return Tensor.wrap(shape, values);
        }
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return Tensor.wrap(shape, f);
    }
}
