package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.FastKernels;

/** The Vector API kernels behind {@link FastKernels}; loaded by name from {@link io.sipflow.autodiff.backend.FastPath}. */
public final class VectorKernels implements FastKernels {
    /**
     * Creates the kernels; {@link io.sipflow.autodiff.backend.FastPath} calls it by reflection when the module is
     * present.
     */
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
