package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * The default backend: pure Java, multi-threaded through {@link Parallel}, no native code. Convolutions and
 * matrix products run the plain reference loops (in double, rounded once for FLOAT32).
 */
public class CpuBackend implements Backend {
    private static final CpuBackend INSTANCE = new CpuBackend();

    protected CpuBackend() {
    }

    public static CpuBackend instance() {
        return INSTANCE;
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
        return ElementwiseKernels.unary(op, a, param);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return ElementwiseKernels.where(cond, a, b);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        return ReduceKernels.reduce(op, a, axes);
    }

    /** Batched i-k-j loop: the inner loop runs along contiguous rows of b and of the result. */
    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = b.dim(2);
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
        return typed(Shape.of(batch, m, n), z, a.dtype());
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, Padding padding) {
        int[] d = x.shape().dims();
        int o = w.dim(0);
        int k = w.dim(2);
        double[] y = ReferenceConv.forward(x.toDoubleArray(), w.toDoubleArray(),
                bias == null ? null : bias.toDoubleArray(), d[0], d[1], d[2], d[3], o, k, padding);
        return typed(Shape.of(d[0], o, d[2], d[3]), y, x.dtype());
    }

    @Override
    public Tensor conv2dBackwardData(Tensor gy, Tensor w, Padding padding, Shape xShape) {
        int[] d = xShape.dims();
        double[] gx = ReferenceConv.backwardData(gy.toDoubleArray(), w.toDoubleArray(), d[0], d[1], d[2], d[3],
                w.dim(0), w.dim(2), padding);
        return typed(xShape, gx, gy.dtype());
    }

    @Override
    public Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        int[] d = x.shape().dims();
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
