package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Padding;

/**
 * The FLOAT32 convolution, matmul and relu kernels {@link CpuBackend} runs: through the JDK Vector API when module
 * {@code jdk.incubator.vector} is present, else their plain-Java twins (see {@link FastPath}). Each output is summed
 * in one order fixed by the shapes alone, whatever the vector width, thread count or implementation, so both give
 * the same bits on every x86 and JVM. Same contracts as {@link ReferenceConv} and the reference matmul loop, which
 * stay the executable spec (in double); results agree with them within floating-point accumulation error.
 */
public interface FastKernels {
    /** FLOAT32 conv2d forward; arguments as {@link ReferenceConv#forward}. */
    float[] convForward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                        Padding padding);

    /**
     * FLOAT32 {@code into + conv(x, w)} without bias, each output's float accumulation continued from into's value
     * in the tap order of {@link #convForward}: convolving channels [0, Ca) (with the bias) and then accumulating
     * channels [Ca, C) gives one convolution over all C channels bit for bit. Writes the result into {@code into}
     * and returns it.
     */
    float[] convForwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                  Padding padding);

    /** FLOAT32 gradient of conv2d w.r.t. its input; arguments as {@link ReferenceConv#backwardData}. */
    float[] convBackwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k, Padding padding);

    /** FLOAT32 gradient of conv2d w.r.t. its weights; arguments as {@link ReferenceConv#backwardWeight}. */
    float[] convBackwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k, Padding padding);

    /** y[lo..hi) = op(x[lo..hi)) for the ops it has a kernel for (RELU, STEP); false, writing nothing, otherwise. */
    boolean unary(io.sipflow.autodiff.backend.UnaryOp op, float[] x, float[] y, int lo, int hi);

    /**
     * This machine's FLOAT32 FMA peak in GFLOP/s at {@link Parallel#threads()} threads, measured by a short probe
     * (about a tenth of a second): the ceiling the convolutions' GFLOP/s are to be read against.
     */
    double fmaPeakGflops();

    /** Batched row-major product (batch, m, k) × (batch, k, n) → (batch, m, n). */
    float[] matmul(float[] a, float[] b, int batch, int m, int k, int n);

    /** Batched row-major product (batch, m, k) × (batch, k, n) → (batch, m, n). */
    double[] matmul(double[] a, double[] b, int batch, int m, int k, int n);

    /** Whether these are the Vector API kernels (false: their plain-Java twins, the same bits). */
    boolean usesVectorApi();
}
