package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.BatchNormLoops;
import io.sipflow.autodiff.backend.FastKernels;
import io.sipflow.autodiff.backend.ScalarBatchNormLoops;

/** The Vector API kernels behind {@link FastKernels}; loaded by name from {@link io.sipflow.autodiff.backend.FastPath}. */
public final class VectorKernels implements FastKernels {
    private static final boolean VECTOR_BATCH_NORM = Boolean.getBoolean("sipflow.bn.vector");

    public VectorKernels() {
    }

    @Override
    public float[] convForward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                               Padding padding) {
        return VectorConv.forward(x, w, bias, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convForwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                         Padding padding) {
        return VectorConv.forwardAccumulate(into, x, w, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k,
                                    Padding padding) {
        return VectorConv.backwardData(gy, w, n, c, h, wd, o, k, padding);
    }

    @Override
    public float[] convBackwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                      Padding padding) {
        return VectorConvWeight.backwardWeight(gy, x, n, c, h, wd, o, k, padding);
    }

    @Override
    public boolean unary(io.sipflow.autodiff.backend.UnaryOp op, float[] x, float[] y, int lo, int hi) {
        return VectorElementwise.unary(op, x, y, lo, hi);
    }

    /**
     * The scalar loops unless {@code -Dsipflow.bn.vector=true}. The Vector API loops are bit-identical and 2-5x
     * faster alone (BatchNormLoopsEquivalenceProperties, a 128×16×64×64 kernel benchmark), but inside the full
     * training step under JDK 17 C2 compiled them boxed: `sipflow bench` went from 0.68 s to 6.6 s per SIP step.
     * Their float/double shapes (256/512-bit) differ from the convolutions' 512-bit floats, and the JDK's shared
     * vector code then has polluted type profiles, which its intrinsics rely on.
     */
    @Override
    public BatchNormLoops batchNormLoops() {
        return VECTOR_BATCH_NORM && VectorBatchNormLoops.supported() ? VectorBatchNormLoops.INSTANCE
                : ScalarBatchNormLoops.INSTANCE;
    }

    @Override
    public BatchNormLoops vectorBatchNormLoops() {
        return VectorBatchNormLoops.supported() ? VectorBatchNormLoops.INSTANCE : ScalarBatchNormLoops.INSTANCE;
    }

    @Override
    public double fmaPeakGflops() {
        return PeakProbe.gflops();
    }

    @Override
    public float[] matmul(float[] a, float[] b, int batch, int m, int k, int n) {
        return VectorGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public double[] matmul(double[] a, double[] b, int batch, int m, int k, int n) {
        return VectorGemm.multiply(a, b, batch, m, k, n);
    }

    @Override
    public String toString() {
        return "vector(" + VectorConv.S + ")";
    }
}
