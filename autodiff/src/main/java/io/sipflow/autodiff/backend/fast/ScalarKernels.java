package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ChannelSink;
import io.sipflow.autodiff.backend.FastKernels;
import io.sipflow.autodiff.backend.ImageChannels;
import io.sipflow.autodiff.backend.KernelCounts;
import io.sipflow.autodiff.backend.UnaryOp;

import java.util.concurrent.atomic.LongAdder;

/**
 * The kernels of {@link VectorKernels} in plain Java ({@link ScalarConv}, {@link ScalarGemm}): what the CPU backend
 * runs on a JVM without module {@code jdk.incubator.vector}. Same float operations in the same order, so the same
 * bits; slower. Names no Vector API class, so it loads without the module.
 */
public final class ScalarKernels implements FastKernels {
    private static final String IMPL = "scalar";
    private static final LongAdder CONV_FORWARD = KernelCounts.counter("conv2d forward / " + IMPL);
    private static final LongAdder CONV_ACCUMULATE = KernelCounts.counter("conv2d forward accumulate / " + IMPL);
    private static final LongAdder CONV_DATA = KernelCounts.counter("conv2d backward data / " + IMPL);
    private static final LongAdder CONV_WEIGHT = KernelCounts.counter("conv2d backward weight / " + IMPL);
    private static final LongAdder CONV_DATA_CONCAT =
            KernelCounts.counter("conv2d backward data, channels to a sink / " + IMPL);
    private static final LongAdder CONV_CONCAT = KernelCounts.counter("conv2d forward, computed channels / " + IMPL);
    private static final LongAdder CONV_WEIGHT_CONCAT =
            KernelCounts.counter("conv2d backward weight, computed channels / " + IMPL);
    private static final LongAdder MATMUL_F32 = KernelCounts.counter("matmul float32 / " + IMPL);
    private static final LongAdder MATMUL_F64 = KernelCounts.counter("matmul float64 / " + IMPL);

    public ScalarKernels() {
    }

    @Override
    public float[] convForward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                               Padding padding) {
        CONV_FORWARD.increment();
        return ScalarConv.forward(x, w, bias, null, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convForwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                         Padding padding) {
        CONV_ACCUMULATE.increment();
        return ScalarConv.forward(x, w, null, into, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k,
                                    Padding padding) {
        CONV_DATA.increment();
        return ScalarConv.backwardData(gy, w, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                      Padding padding) {
        CONV_WEIGHT.increment();
        return ScalarConv.backwardWeight(gy, x, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardDataConcat(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o,
                                          int k, Padding padding) {
        CONV_DATA_CONCAT.increment();
        return ScalarConv.backwardData(gy, w, rest, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convForwardConcat(float[] a, int ca, ImageChannels extra, float[] w, float[] bias, int n, int h,
                                     int wd, int o, int k, Padding padding) {
        CONV_CONCAT.increment();
        return ScalarConv.forward(new ConvInput(a, ca, extra), w, bias, null, null, n, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeightConcat(float[] gy, float[] a, int ca, ImageChannels extra, int n, int h, int wd,
                                            int o, int k, Padding padding) {
        CONV_WEIGHT_CONCAT.increment();
        return ScalarConv.backwardWeight(gy, new ConvInput(a, ca, extra), n, h, wd, o, k, padding);
    }

    /** None: the backend's own relu and step loops give the same values. */
    @Override
    public boolean unary(UnaryOp op, float[] x, float[] y, int lo, int hi) {
        return false;
    }

    /** None: the backend's own scalar loop gives the same values. */
    @Override
    public int maxPool2x2Row(float[] x, int top, int w, float[] y, int o) {
        return 0;
    }

    /** None: the backend's own scalar loop gives the same values. */
    @Override
    public int maxPool2x2RowKeepingArgmax(float[] x, int top, int w, float[] y, int o, float[] codes) {
        return 0;
    }

    /** None: the backend's own scalar loop gives the same values. */
    @Override
    public int maxPool2x2BackwardRow(float[] gy, float[] x, int top, int w, float[] gx, int o) {
        return 0;
    }

    /** Not measured: the probe is a Vector API loop. */
    @Override
    public double fmaPeakGflops() {
        return Double.NaN;
    }

    @Override
    public float[] matmul(float[] a, float[] b, int batch, int m, int k, int n) {
        MATMUL_F32.increment();
        return ScalarGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public double[] matmul(double[] a, double[] b, int batch, int m, int k, int n) {
        MATMUL_F64.increment();
        return ScalarGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public boolean usesVectorApi() {
        return false;
    }

    @Override
    public String toString() {
        return "scalar";
    }
}
