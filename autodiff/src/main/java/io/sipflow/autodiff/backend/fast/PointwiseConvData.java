package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * FLOAT32 data gradient of a 1×1 convolution with few outputs (the U-Net's output layer: 16 channels → 1), without
 * padding, register tiles or row copies:
 * <pre>
 * gx[n, c, p] = fma(w[o−1, c], gy[n, o−1, p], … fma(w[0, c], gy[n, 0, p], +0))
 * </pre>
 * the chain {@link VectorConv#backwardData} computes for k = 1 (its tap t is output t of w, read at the same
 * position; the accumulator starts from the +0 of "no bias"), so the bits are the same, −0 and NaN included. There the
 * work is one vector FMA per position and output, spread over {@link VectorConv#MR} register rows, and the time went
 * to the padded copies, the block buffer and the row copies into gx; here each gx vector is computed and stored once.
 */
final class PointwiseConvData {
    private static final int VL = VectorConv.VL;
    /** Outputs of w up to which this kernel is used: each gx vector loads one gy vector per output. */
    static final int MAX_OUTPUTS = 4;

    private PointwiseConvData() {
    }

    /** Whether {@link #backwardData} takes a convolution of kernel size k with o outputs. */
    static boolean handles(int k, int o) {
        return k == 1 && o <= MAX_OUTPUTS;
    }

    /** gx (n×c×hw) of gy (n×o×hw) and w (o×c×1×1), as in the class comment. */
    static float[] backwardData(float[] gy, float[] w, int n, int c, int hw, int o) {
        float[] gx = BufferPool.floats(n * c * hw); // every element written
        Parallel.forRange(n, Parallel.grainFor((long) c * o * hw / VL), (lo, hi) -> {
            for (int img = lo; img < hi; img++) {
                for (int ci = 0; ci < c; ci++) {
                    plane(gy, img * o * hw, w, ci, c, o, hw, gx, (img * c + ci) * hw);
                }
            }
        });
        return gx;
    }

    /** One plane gx[at .. at + hw) from the o planes of gy at {@code g0}, weights w[·, ci]. */
    private static void plane(float[] gy, int g0, float[] w, int ci, int c, int o, int hw, float[] gx, int at) {
        int p = 0;
        for (int end = hw - VL; p <= end; p += VL) {
            FloatVector acc = FloatVector.zero(VectorConv.S);
            for (int oc = 0; oc < o; oc++) {
                acc = ((FloatVector) ConvWeightTiles.VC.cast(FloatVector.fromArray(VectorConv.S, gy, g0 + oc * hw + p)))
                        .fma(FloatVector.broadcast(VectorConv.S, w[oc * c + ci]), acc);
            }
            ((FloatVector) ConvWeightTiles.VC.cast(acc)).intoArray(gx, at + p);
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
