package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 1×1 convolutions with few outputs (the U-Net's output layer: 16 channels → 1), streamed once, without
 * padding, register tiles or row copies. Forward, from the bias (or the value accumulated onto), taps in channel
 * order:
 * <pre>
 * y[n, o, p]  = fma(x[n, c−1, p], w[o, c−1], … fma(x[n, 0, p], w[o, 0], b[o]))
 * gx[n, c, p] = fma(w[o−1, c], gy[n, o−1, p], … fma(w[0, c], gy[n, 0, p], +0))
 * </pre>
 * the chains {@link VectorConv#forward} computes for k = 1 (its tap t is channel t, read at the same position) and
 * {@link VectorConv#backwardData} on the adjoint weights (tap t is output t; the accumulator starts from the +0 of
 * "no bias"), so the bits are those of the general kernel and of {@link ScalarConv}, −0 and NaN included. There the
 * work is one vector FMA per position and output, spread over {@link VectorConv#MR} register rows mostly padded
 * with zero weights, and the time went to the padded copies, the block buffer and the row copies; here each input
 * vector is read once and each output vector computed and stored once.
 */
final class PointwiseConv {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    private static final Class<?> VC = ConvWeightTiles.VC;
    /** Outputs up to which these kernels are used: the forward keeps one accumulator per output and position vector. */
    static final int MAX_OUTPUTS = 4;

    private PointwiseConv() {
    }

    /** Whether these kernels take a convolution of kernel size k with o outputs. */
    static boolean handles(int k, int o) {
        return k == 1 && o <= MAX_OUTPUTS;
    }

    /**
     * y (n×o×hw) = conv(x (n×c×hw), w (o×c×1×1)) + bias; with {@code init} non-null, no bias: each chain starts
     * from init's value and the result replaces it (as {@link VectorConv#forwardAccumulate}).
     */
    static float[] forward(float[] x, float[] w, float[] bias, float[] init, int n, int c, int hw, int o) {
        float[] y = init != null ? init : BufferPool.floats(n * o * hw); // every element written
        Parallel.forRange(n, Parallel.grainFor((long) c * o * hw / VL), (lo, hi) -> {
            for (int img = lo; img < hi; img++) {
                for (int oc = 0; oc < o; oc++) {
                    forwardPlane(x, img * c * hw, w, oc * c, c, hw, init != null, bias == null ? 0f : bias[oc], y,
                            (img * o + oc) * hw);
                }
            }
        });
        return y;
    }

    /**
     * One output plane y[at .. at + hw) from the c planes of x at {@code x0}, weights w[w0 .. w0 + c): four position
     * vectors side by side (four independent chains hide the FMA latency), then single vectors, then a scalar tail.
     */
    private static void forwardPlane(float[] x, int x0, float[] w, int w0, int c, int hw, boolean fromInit, float b,
                                     float[] y, int at) {
        FloatVector bv = (FloatVector) VC.cast(FloatVector.broadcast(S, b));
        int p = 0;
        for (int end = hw - 4 * VL; p <= end; p += 4 * VL) {
            FloatVector a0 = fromInit ? (FloatVector) VC.cast(FloatVector.fromArray(S, y, at + p)) : bv;
            FloatVector a1 = fromInit ? (FloatVector) VC.cast(FloatVector.fromArray(S, y, at + p + VL)) : bv;
            FloatVector a2 = fromInit ? (FloatVector) VC.cast(FloatVector.fromArray(S, y, at + p + 2 * VL)) : bv;
            FloatVector a3 = fromInit ? (FloatVector) VC.cast(FloatVector.fromArray(S, y, at + p + 3 * VL)) : bv;
            for (int ci = 0; ci < c; ci++) {
                int xi = x0 + ci * hw + p;
                FloatVector wv = (FloatVector) VC.cast(FloatVector.broadcast(S, w[w0 + ci]));
                a0 = ((FloatVector) VC.cast(FloatVector.fromArray(S, x, xi))).fma(wv, a0);
                a1 = ((FloatVector) VC.cast(FloatVector.fromArray(S, x, xi + VL))).fma(wv, a1);
                a2 = ((FloatVector) VC.cast(FloatVector.fromArray(S, x, xi + 2 * VL))).fma(wv, a2);
                a3 = ((FloatVector) VC.cast(FloatVector.fromArray(S, x, xi + 3 * VL))).fma(wv, a3);
            }
            ((FloatVector) VC.cast(a0)).intoArray(y, at + p);
            ((FloatVector) VC.cast(a1)).intoArray(y, at + p + VL);
            ((FloatVector) VC.cast(a2)).intoArray(y, at + p + 2 * VL);
            ((FloatVector) VC.cast(a3)).intoArray(y, at + p + 3 * VL);
        }
        for (int end = hw - VL; p <= end; p += VL) {
            FloatVector a = fromInit ? (FloatVector) VC.cast(FloatVector.fromArray(S, y, at + p)) : bv;
            for (int ci = 0; ci < c; ci++) {
                a = ((FloatVector) VC.cast(FloatVector.fromArray(S, x, x0 + ci * hw + p)))
                        .fma((FloatVector) VC.cast(FloatVector.broadcast(S, w[w0 + ci])), a);
            }
            ((FloatVector) VC.cast(a)).intoArray(y, at + p);
        }
        for (; p < hw; p++) {
            float a = fromInit ? y[at + p] : b;
            for (int ci = 0; ci < c; ci++) {
                a = Math.fma(x[x0 + ci * hw + p], w[w0 + ci], a);
            }
            y[at + p] = a;
        }
    }

    /** gx (n×c×hw) of gy (n×o×hw) and w (o×c×1×1), as in the class comment. */
    static float[] backwardData(float[] gy, float[] w, int n, int c, int hw, int o) {
        float[] gx = BufferPool.floats(n * c * hw); // every element written
        Parallel.forRange(n, Parallel.grainFor((long) c * o * hw / VL), (lo, hi) -> {
            for (int img = lo; img < hi; img++) {
                for (int ci = 0; ci < c; ci++) {
                    dataPlane(gy, img * o * hw, w, ci, c, o, hw, gx, (img * c + ci) * hw);
                }
            }
        });
        return gx;
    }

    /** One plane gx[at .. at + hw) from the o planes of gy at {@code g0}, weights w[·, ci]. */
    private static void dataPlane(float[] gy, int g0, float[] w, int ci, int c, int o, int hw, float[] gx, int at) {
        int p = 0;
        for (int end = hw - VL; p <= end; p += VL) {
            FloatVector acc = (FloatVector) VC.cast(FloatVector.zero(S));
            for (int oc = 0; oc < o; oc++) {
                acc = ((FloatVector) VC.cast(FloatVector.fromArray(S, gy, g0 + oc * hw + p)))
                        .fma((FloatVector) VC.cast(FloatVector.broadcast(S, w[oc * c + ci])), acc);
            }
            ((FloatVector) VC.cast(acc)).intoArray(gx, at + p);
        }
        for (; p < hw; p++) {
            float acc = 0f;
            for (int oc = 0; oc < o; oc++) {
                acc = Math.fma(gy[g0 + oc * hw + p], w[oc * c + ci], acc);
            }
            gx[at + p] = acc;
        }
    }
}
