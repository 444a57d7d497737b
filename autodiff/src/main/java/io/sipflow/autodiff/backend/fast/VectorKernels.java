package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ChannelSink;
import io.sipflow.autodiff.backend.FastKernels;
import io.sipflow.autodiff.backend.ImageChannels;
import io.sipflow.autodiff.backend.KernelCounts;

import java.util.concurrent.atomic.LongAdder;

/**
 * The Vector API kernels behind {@link FastKernels}; loaded by name from {@link io.sipflow.autodiff.backend.FastPath}.
 * Their sums follow {@link SumOrder}, which needs the vector length to divide its 16 logical lanes (4, 8 or 16
 * floats: 128-, 256- and 512-bit vectors); on any other width the constructor refuses and the plain-Java twins run.
 */
public final class VectorKernels implements FastKernels {
    private static final String IMPL = "vector " + VectorConv.S.vectorBitSize() + "-bit";
    private static final LongAdder CONV_FORWARD = KernelCounts.counter("conv2d forward / " + IMPL);
    private static final LongAdder CONV_ACCUMULATE = KernelCounts.counter("conv2d forward accumulate / " + IMPL);
    private static final LongAdder CONV_DATA = KernelCounts.counter("conv2d backward data / " + IMPL);
    private static final LongAdder CONV_WEIGHT = KernelCounts.counter("conv2d backward weight / " + IMPL + " × "
            + (SumOrder.LANES / VectorConv.VL) + " passes");
    private static final LongAdder CONV_BOTH = KernelCounts.counter("conv2d backward data and weight in one pass / "
            + IMPL);
    private static final LongAdder CONV_DATA_CONCAT =
            KernelCounts.counter("conv2d backward data, channels to a sink / " + IMPL);
    private static final LongAdder CONV_CONCAT = KernelCounts.counter("conv2d forward, computed channels / " + IMPL);
    private static final LongAdder CONV_WEIGHT_CONCAT = KernelCounts.counter(
            "conv2d backward weight, computed channels / " + IMPL + " × " + (SumOrder.LANES / VectorConv.VL)
                    + " passes");
    private static final LongAdder MATMUL_F32 = KernelCounts.counter("matmul float32 / " + IMPL);
    private static final LongAdder MATMUL_F64 = KernelCounts.counter("matmul float64 / " + IMPL);

    /**
     * Creates the kernels; {@link io.sipflow.autodiff.backend.FastPath} calls it by reflection when the module is
     * present. Refuses vector widths that do not divide the 16 logical lanes of {@link SumOrder}.
     */
    public VectorKernels() {
        if (SumOrder.LANES % VectorConv.VL != 0) {
            throw new IllegalStateException("vectors of " + VectorConv.VL + " floats do not divide the "
                    + SumOrder.LANES + " logical lanes of the summation order");
        }
    }

    @Override
    public float[] convForward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                               Padding padding) {
        CONV_FORWARD.increment();
        return VectorConv.forward(x, w, bias, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convForwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                         Padding padding) {
        CONV_ACCUMULATE.increment();
        return VectorConv.forwardAccumulate(into, x, w, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k,
                                    Padding padding) {
        CONV_DATA.increment();
        return VectorConv.backwardData(gy, w, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                      Padding padding) {
        CONV_WEIGHT.increment();
        return VectorConvWeight.backwardWeight(gy, x, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeightAndBias(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                             Padding padding, float[] gb) {
        CONV_WEIGHT.increment();
        return VectorConvWeight.backwardWeight(gy, x, n, c, h, wd, o, k, padding, gb);
    }

    /** One pass over gy for both where the data gradient runs the padded tiles (else one after the other). */
    @Override
    public float[][] convBackward(float[] gy, float[] w, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding, float[] gb) {
        VectorConv.Pass data = VectorConv.dataPass(gy, w, null, n, c, h, wd, o, k, padding,
                Scratch.PADDED_DATA_GRADIENT);
        if (data == null) {
            return FastKernels.super.convBackward(gy, w, x, n, c, h, wd, o, k, padding, gb);
        }
        CONV_BOTH.increment();
        float[] gw = VectorConvWeight.backwardWeight(gy, ConvInput.of(x, c), n, h, wd, o, k, padding, gb, data);
        return new float[][] {data.y, gw};
    }

    /** One pass over gy for both, as {@link #convBackward}. */
    @Override
    public float[][] convBackwardConcat(float[] gy, float[] w, float[] a, int ca, ImageChannels extra,
                                        ChannelSink rest, int n, int h, int wd, int o, int k, Padding padding,
                                        float[] gb) {
        int c = ca + extra.channels();
        VectorConv.Pass data = VectorConv.dataPass(gy, w, rest, n, c, h, wd, o, k, padding,
                Scratch.PADDED_DATA_GRADIENT);
        if (data == null) {
            return FastKernels.super.convBackwardConcat(gy, w, a, ca, extra, rest, n, h, wd, o, k, padding, gb);
        }
        CONV_BOTH.increment();
        float[] gw = VectorConvWeight.backwardWeight(gy, new ConvInput(a, ca, extra), n, h, wd, o, k, padding, gb,
                data);
        return new float[][] {data.y, gw};
    }

    @Override
    public float[] convBackwardDataConcat(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o,
                                          int k, Padding padding) {
        CONV_DATA_CONCAT.increment();
        return VectorConv.backwardData(gy, w, rest, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convForwardConcat(float[] a, int ca, ImageChannels extra, float[] w, float[] bias, int n, int h,
                                     int wd, int o, int k, Padding padding) {
        CONV_CONCAT.increment();
        return VectorConv.forward(new ConvInput(a, ca, extra), w, bias, n, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeightConcat(float[] gy, float[] a, int ca, ImageChannels extra, int n, int h, int wd,
                                            int o, int k, Padding padding) {
        CONV_WEIGHT_CONCAT.increment();
        return VectorConvWeight.backwardWeight(gy, new ConvInput(a, ca, extra), n, h, wd, o, k, padding, null);
    }

    @Override
    public float[] convBackwardWeightConcatAndBias(float[] gy, float[] a, int ca, ImageChannels extra, int n, int h,
                                                   int wd, int o, int k, Padding padding, float[] gb) {
        CONV_WEIGHT_CONCAT.increment();
        return VectorConvWeight.backwardWeight(gy, new ConvInput(a, ca, extra), n, h, wd, o, k, padding, gb);
    }

    @Override
    public boolean unary(io.sipflow.autodiff.backend.UnaryOp op, float[] x, float[] y, int lo, int hi) {
        return VectorElementwise.unary(op, x, y, lo, hi);
    }

    @Override
    public int maxPool2x2Row(float[] x, int top, int w, float[] y, int o) {
        return VectorMaxPool.forwardRow(x, top, w, y, o);
    }

    @Override
    public int maxPool2x2RowKeepingArgmax(float[] x, int top, int w, float[] y, int o, float[] codes) {
        return VectorMaxPool.forwardRowKeepingArgmax(x, top, w, y, o, codes);
    }

    @Override
    public int maxPool2x2BackwardRow(float[] gy, float[] x, int top, int w, float[] gx, int o) {
        return VectorMaxPool.backwardRow(gy, x, top, w, gx, o);
    }

    @Override
    public double fmaPeakGflops() {
        return PeakProbe.gflops();
    }

    @Override
    public float[] matmul(float[] a, float[] b, int batch, int m, int k, int n) {
        MATMUL_F32.increment();
        return VectorGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public double[] matmul(double[] a, double[] b, int batch, int m, int k, int n) {
        MATMUL_F64.increment();
        return VectorGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public boolean usesVectorApi() {
        return true;
    }

    @Override
    public String toString() {
        return "vector(" + VectorConv.S + ")";
    }
}
