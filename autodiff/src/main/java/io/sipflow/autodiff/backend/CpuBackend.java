package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * The default backend: pure Java, multi-threaded through {@link Parallel}, no native code. FLOAT32 convolutions
 * and all matrix products run the kernels of {@link FastPath} (Vector API when the JVM has the module, else their
 * plain-Java twins: the same bits); FLOAT32 batch norm, max pooling and upsampling run plain-Java kernels on the raw
 * float arrays ({@link BatchNormKernels}, {@link ImageKernels}). FLOAT64 convolutions (only used by gradient checks)
 * run the reference loops. {@link #scalar()} always runs the reference loops (in double, rounded once for FLOAT32):
 * the executable spec.
 * Layout copies have one implementation ({@link Layout}, {@link BlockCopy}): they move values, computing nothing.
 */
public class CpuBackend implements Backend {
    private static final java.util.concurrent.atomic.LongAdder OVERWRITTEN_G =
            KernelCounts.counter("batch norm backward written over its dead output gradient");
    private static final CpuBackend INSTANCE = new CpuBackend();
    private static final CpuBackend SCALAR = new CpuBackend(null, true);

    /** The Vector API kernels or their plain-Java twins (the same bits); null for the reference loops. */
    private final FastKernels fast;
    /** Whether the plain-Java fast kernels (batch norm, images) give way to the reference loops too. */
    private final boolean reference;

    /**
     * A CPU backend with the Vector API kernels when {@link FastPath} found them; for subclasses that add kernels of
     * their own. Most callers want {@link #instance()}.
     */
    protected CpuBackend() {
        this(FastPath.kernels(), false);
    }

    private CpuBackend(FastKernels fast, boolean reference) {
        this.fast = fast;
        this.reference = reference;
    }

    /** {@return the default CPU backend (fast kernels when available), shared} */
    public static CpuBackend instance() {
        return INSTANCE;
    }

    /** {@return the CPU backend restricted to its scalar reference kernels, for equivalence tests and benchmarks} */
    public static CpuBackend scalar() {
        return SCALAR;
    }

    /** {@return whether this backend runs the Vector API kernels} */
    public boolean usesVectorKernels() {
        return fast != null && fast.usesVectorApi();
    }

    @Override
    public String name() {
        return "cpu";
    }

    /** "vector(...)" for the Vector API kernels, "scalar" for their plain-Java twins, "reference" for the spec. */
    @Override
    public String kernels() {
        return fast == null ? "reference" : fast.toString();
    }

    /** The Vector API kernels' probe; NaN for the plain-Java and reference loops. */
    @Override
    public double fmaPeakGflops() {
        return fast == null ? Double.NaN : fast.fmaPeakGflops();
    }

    @Override
    public Tensor cast(Tensor x, DType dtype) {
        int n = x.size();
        if (dtype == DType.FLOAT64) { // widening is exact
            double[] y = BufferPool.doubles(n);
            if (x.dtype() == DType.FLOAT64) {
                System.arraycopy(x.doubleData(), 0, y, 0, n);
            } else {
                float[] f = x.floatData();
                for (int i = 0; i < n; i++) {
                    y[i] = f[i];
                }
            }
            return Tensor.wrap(x.shape(), y);
        }
        float[] y = BufferPool.floats(n); // rounded to nearest
        if (x.dtype() == DType.FLOAT32) {
            System.arraycopy(x.floatData(), 0, y, 0, n);
        } else {
            double[] d = x.doubleData();
            for (int i = 0; i < n; i++) {
                y[i] = (float) d[i];
            }
        }
        return Tensor.wrap(x.shape(), y);
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

    /** The fast kernels' GEMM, or the reference: a batched i-k-j loop along contiguous rows of b and of the result. */
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
        if (fast != null) { // FLOAT64
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

    /** On the fast FLOAT32 path: {@link FastKernels#convForwardConcat}, the upsampling done per image. */
    @Override
    public Tensor conv2dConcatUpsampled(Tensor a, Tensor low, Tensor w, Tensor bias, Padding padding) {
        if (fast == null || !allFloat32(a, low, w, bias)) {
            return null;
        }
        int[] d = a.shape().dims();
        int[] l = low.shape().dims();
        ImageChannels up = ImageKernels.upsampled(low.floatData(), l[1], l[2], l[3]);
        return Tensor.wrap(Shape.of(d[0], w.dim(0), d[2], d[3]), fast.convForwardConcat(a.floatData(), d[1], up,
                w.floatData(), bias == null ? null : bias.floatData(), d[0], d[2], d[3], w.dim(0), w.dim(2), padding));
    }

    /** On the fast FLOAT32 path: {@link FastKernels#convBackwardConcat}, the upsampling and its adjoint per image. */
    @Override
    public Tensor[] conv2dBackwardConcatUpsampled(Tensor gy, Tensor w, Tensor a, Tensor low, Padding padding,
                                                  boolean withBias) {
        if (fast == null || !allFloat32(gy, w, a, low)) {
            return null;
        }
        int[] d = a.shape().dims();
        int[] l = low.shape().dims();
        int o = w.dim(0);
        float[] glow = BufferPool.floats(low.shape().size());
        float[] gb = withBias ? new float[o] : null;
        float[][] gaw = fast.convBackwardConcat(gy.floatData(), w.floatData(), a.floatData(), d[1],
                ImageKernels.upsampled(low.floatData(), l[1], l[2], l[3]),
                ImageKernels.upsampledAdjoint(glow, l[1], l[2], l[3]), d[0], d[2], d[3], o, w.dim(2), padding, gb);
        return new Tensor[] {Tensor.wrap(a.shape(), gaw[0]), Tensor.wrap(low.shape(), glow),
            Tensor.wrap(w.shape(), gaw[1]), withBias ? Tensor.wrap(Shape.of(1, o, 1, 1), gb) : null};
    }

    /** On the fast FLOAT32 path: {@link FastKernels#convBackward}. */
    @Override
    public Tensor[] conv2dBackward(Tensor gy, Tensor w, Tensor x, Padding padding, boolean withBias) {
        if (fast == null || !allFloat32(gy, w, x)) {
            return null;
        }
        int[] d = x.shape().dims();
        int o = w.dim(0);
        float[] gb = withBias ? new float[o] : null;
        float[][] gxw = fast.convBackward(gy.floatData(), w.floatData(), x.floatData(), d[0], d[1], d[2], d[3], o,
                w.dim(2), padding, gb);
        return new Tensor[] {Tensor.wrap(x.shape(), gxw[0]), Tensor.wrap(w.shape(), gxw[1]),
            withBias ? Tensor.wrap(Shape.of(1, o, 1, 1), gb) : null};
    }

    /** Whether every tensor given (nulls aside) is FLOAT32. */
    private static boolean allFloat32(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && t.dtype() != DType.FLOAT32) {
                return false;
            }
        }
        return true;
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

    /** One pass over gy for both on the fast FLOAT32 path ({@link FastKernels#convBackwardWeightAndBias}). */
    @Override
    public Tensor[] conv2dBackwardWeightAndBias(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        if (fast == null || gy.dtype() != DType.FLOAT32 || x.dtype() != DType.FLOAT32) {
            return Backend.super.conv2dBackwardWeightAndBias(gy, x, padding, wShape);
        }
        int[] d = x.shape().dims();
        float[] gb = new float[wShape.dim(0)];
        float[] gw = fast.convBackwardWeightAndBias(gy.floatData(), x.floatData(), d[0], d[1], d[2], d[3],
                wShape.dim(0), wShape.dim(2), padding, gb);
        return new Tensor[] {Tensor.wrap(wShape, gw), Tensor.wrap(Shape.of(1, wShape.dim(0), 1, 1), gb)};
    }

    /** FLOAT32 on the fast path: {@link BatchNormKernels} on the float arrays; else {@link ReferenceBatchNorm}. */
    @Override
    public BatchNormForward batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps, boolean relu) {
        int[] d = x.shape().dims();
        Shape perChannel = gamma.shape();
        if (floatKernels(x)) {
            BatchNormKernels.Forward f = BatchNormKernels.forward(x.floatData(), d[0], d[1], d[2] * d[3],
                    gamma.toDoubleArray(), beta.toDoubleArray(), eps, relu);
            return new BatchNormForward(Tensor.wrap(x.shape(), f.y()), Tensor.wrap(perChannel, f.mean()),
                    Tensor.wrap(perChannel, f.variance()));
        }
        ReferenceBatchNorm.Forward f = ReferenceBatchNorm.training(x.toDoubleArray(), d[0], d[1], d[2] * d[3],
                gamma.toDoubleArray(), beta.toDoubleArray(), eps, relu);
        return new BatchNormForward(typed(x.shape(), f.y(), x.dtype()), Tensor.wrap(perChannel, f.mean()),
                Tensor.wrap(perChannel, f.variance()));
    }

    @Override
    public BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor mean,
                                                Tensor variance, double eps) {
        int[] d = x.shape().dims();
        DType type = x.dtype();
        if (floatKernels(x)) {
            BatchNormKernels.Backward b = BatchNormKernels.backward(g.floatData(),
                    reluOutput == null ? null : reluOutput.floatData(), x.floatData(), d[0], d[1], d[2] * d[3],
                    mean.doubleData(), variance.doubleData(), eps, gamma.toDoubleArray(), null);
            return new BatchNormGradients(Tensor.wrap(x.shape(), b.gx()), typed(gamma.shape(), b.gGamma(), type),
                    typed(gamma.shape(), b.gBeta(), type));
        }
        ReferenceBatchNorm.Backward b = ReferenceBatchNorm.backward(g.toDoubleArray(),
                reluOutput == null ? null : reluOutput.toDoubleArray(), x.toDoubleArray(), d[0], d[1], d[2] * d[3],
                mean.toDoubleArray(), variance.toDoubleArray(), eps, gamma.toDoubleArray());
        return new BatchNormGradients(typed(x.shape(), b.gx(), type), typed(gamma.shape(), b.gGamma(), type),
                typed(gamma.shape(), b.gBeta(), type));
    }

    /** On the fast FLOAT32 path a fused ReLU's mask is recomputed from x and β: one array less to read, twice. */
    @Override
    public BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor beta,
                                                Tensor mean, Tensor variance, double eps) {
        if (reluOutput == null || beta == null || !floatKernels(x)) {
            return batchNormBackward(g, reluOutput, x, gamma, mean, variance, eps);
        }
        int[] d = x.shape().dims();
        BatchNormKernels.Backward b = BatchNormKernels.backward(g.floatData(), null, x.floatData(), d[0], d[1],
                d[2] * d[3], mean.doubleData(), variance.doubleData(), eps, gamma.toDoubleArray(),
                beta.toDoubleArray());
        return new BatchNormGradients(Tensor.wrap(x.shape(), b.gx()), typed(gamma.shape(), b.gGamma(), x.dtype()),
                typed(gamma.shape(), b.gBeta(), x.dtype()));
    }

    /** With {@code overwriteG} the fast FLOAT32 kernel writes gx over g's array (each element read first). */
    @Override
    public BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor beta,
                                                Tensor mean, Tensor variance, double eps, boolean overwriteG) {
        if (!overwriteG || !floatKernels(x) || g.dtype() != DType.FLOAT32 || g.size() != x.size()) {
            return batchNormBackward(g, reluOutput, x, gamma, beta, mean, variance, eps);
        }
        OVERWRITTEN_G.increment();
        int[] d = x.shape().dims();
        boolean fromX = reluOutput != null && beta != null; // the fused ReLU's mask recomputed from x and β
        float[] gx = g.floatData();
        BatchNormKernels.Backward b = BatchNormKernels.backward(gx, fromX ? null : floatsOrNull(reluOutput),
                x.floatData(), d[0], d[1], d[2] * d[3], mean.doubleData(), variance.doubleData(), eps,
                gamma.toDoubleArray(), fromX ? beta.toDoubleArray() : null, gx);
        return new BatchNormGradients(Tensor.wrap(x.shape(), b.gx()), typed(gamma.shape(), b.gGamma(), x.dtype()),
                typed(gamma.shape(), b.gBeta(), x.dtype()));
    }

    private static float[] floatsOrNull(Tensor t) {
        return t == null ? null : t.floatData();
    }

    /** Eval mode is off the training path: one implementation, the reference loops. */
    @Override
    public Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, double eps,
                                     boolean relu) {
        int[] d = x.shape().dims();
        double[] y = ReferenceBatchNorm.inference(x.toDoubleArray(), d[0], d[1], d[2] * d[3], gamma.toDoubleArray(),
                beta.toDoubleArray(), mean.toDoubleArray(), variance.toDoubleArray(), eps, relu);
        return typed(x.shape(), y, x.dtype());
    }

    @Override
    public Tensor maxPool2d(Tensor x, int size) {
        int[] d = x.shape().dims();
        Shape out = Shape.of(d[0], d[1], d[2] / size, d[3] / size);
        if (floatKernels(x)) {
            return Tensor.wrap(out, ImageKernels.maxPool(x.floatData(), d[0] * d[1], d[2], d[3], size, fast));
        }
        return typed(out, ReferenceImage.maxPool(x.toDoubleArray(), d[0] * d[1], d[2], d[3], size), x.dtype());
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gy, Tensor x, int size) {
        int[] d = x.shape().dims();
        if (floatKernels(x)) {
            return Tensor.wrap(x.shape(), ImageKernels.maxPoolBackward(gy.floatData(), x.floatData(), d[0] * d[1],
                    d[2], d[3], size, fast));
        }
        return typed(x.shape(), ReferenceImage.maxPoolBackward(gy.toDoubleArray(), x.toDoubleArray(), d[0] * d[1],
                d[2], d[3], size), x.dtype());
    }

    /** On FLOAT32 kernels: one pass that pools each plane after normalising it and keeps the argmax. */
    @Override
    public BatchNormReluPool batchNormReluMaxPool2x2(Tensor x, Tensor gamma, Tensor beta, double eps) {
        if (!floatKernels(x)) {
            return Backend.super.batchNormReluMaxPool2x2(x, gamma, beta, eps);
        }
        int[] d = x.shape().dims();
        BatchNormKernels.ForwardPooled f = BatchNormKernels.forwardReluPooled(x.floatData(), d[0], d[1], d[2], d[3],
                gamma.toDoubleArray(), beta.toDoubleArray(), eps, fast);
        Shape perChannel = gamma.shape();
        BatchNormForward norm = new BatchNormForward(Tensor.wrap(x.shape(), f.norm().y()),
                Tensor.wrap(perChannel, f.norm().mean()), Tensor.wrap(perChannel, f.norm().variance()));
        return new BatchNormReluPool(norm, Tensor.wrap(Shape.of(d[0], d[1], d[2] / 2, d[3] / 2), f.pooled()),
                new MaxPoolArgmax(f.window()));
    }

    /** From the kept argmax where there is one (FLOAT32), else found again from x. */
    @Override
    public Tensor maxPool2x2Backward(Tensor gy, Tensor x, MaxPoolArgmax argmaxOrNull) {
        if (argmaxOrNull == null || !floatKernels(x)) {
            return maxPool2dBackward(gy, x, 2);
        }
        int[] d = x.shape().dims();
        return Tensor.wrap(x.shape(), ImageKernels.maxPool2x2Backward(gy.floatData(), argmaxOrNull.window(),
                d[0] * d[1], d[2], d[3]));
    }

    @Override
    public Tensor maxPool2x2BackwardAdding(Tensor previous, Tensor gy, Tensor x, MaxPoolArgmax argmax) {
        int[] d = x.shape().dims();
        if (argmax == null || !floatKernels(x) || previous.dtype() != DType.FLOAT32 || gy.dtype() != DType.FLOAT32
                || d[2] % 2 != 0 || d[3] % 2 != 0) {
            return Backend.super.maxPool2x2BackwardAdding(previous, gy, x, argmax);
        }
        return Tensor.wrap(x.shape(), ImageKernels.maxPool2x2BackwardAdding(previous.floatData(), gy.floatData(),
                argmax.window(), d[0] * d[1], d[2], d[3]));
    }

    @Override
    public Tensor upsampleBilinear2x(Tensor x) {
        int[] d = x.shape().dims();
        Shape out = Shape.of(d[0], d[1], 2 * d[2], 2 * d[3]);
        if (floatKernels(x)) {
            return Tensor.wrap(out, ImageKernels.upsampleBilinear2x(x.floatData(), d[0] * d[1], d[2], d[3]));
        }
        return typed(out, ReferenceImage.upsampleBilinear2x(x.toDoubleArray(), d[0] * d[1], d[2], d[3]), x.dtype());
    }

    @Override
    public Tensor upsampleBilinear2xAdjoint(Tensor gy, Shape xShape) {
        int[] d = xShape.dims();
        if (floatKernels(gy)) {
            return Tensor.wrap(xShape, ImageKernels.upsampleBilinear2xAdjoint(gy.floatData(), d[0] * d[1], d[2],
                    d[3]));
        }
        return typed(xShape, ReferenceImage.upsampleBilinear2xAdjoint(gy.toDoubleArray(), d[0] * d[1], d[2], d[3]),
                gy.dtype());
    }

    @Override
    public Tensor permute(Tensor x, int[] axes) {
        return Layout.permute(x, axes);
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape shape) {
        return Layout.broadcastTo(x, shape);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end) {
        return BlockCopy.slice(x, axis, start, end);
    }

    @Override
    public Tensor concat(Tensor[] parts, int axis, Shape shape) {
        return BlockCopy.concat(parts, axis, shape);
    }

    @Override
    public Tensor pad(Tensor x, int axis, int before, int after, Padding mode) {
        return BlockCopy.pad(x, axis, before, after, mode);
    }

    @Override
    public Tensor padAdjoint(Tensor g, int axis, int before, int length, Padding mode) {
        return BlockCopy.padAdjoint(g, axis, before, length, mode);
    }

    /** A scan of the host arrays ({@link NonFiniteScan}): the same answer as the default, with no array made. */
    @Override
    public Tensor nonFiniteProbe(java.util.List<Tensor> tensors) {
        return NonFiniteScan.probe(tensors);
    }

    /** Whether t is FLOAT32 and this backend runs its fast plain-Java kernels (not {@link #scalar()}). */
    private boolean floatKernels(Tensor t) {
        return !reference && t.dtype() == DType.FLOAT32;
    }

    /**
     * Wraps double results as {@code dtype}, rounding once for FLOAT32.
     *
     * @param shape the result's shape
     * @param values shape.size() values, handed over (kept as is for FLOAT64)
     * @param dtype the result type
     * @return the result tensor
     */
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
