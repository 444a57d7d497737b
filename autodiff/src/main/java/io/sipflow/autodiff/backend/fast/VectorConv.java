package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * FLOAT32 conv2d forward and backward-data as an implicit GEMM on {@link PaddedImage}s:
 * <pre>
 * yq[o, q] = b[o] + Σ_t W[t, o] · xpad[q + off[t]]        t = (c, u, v), off[t] = c·plane + u·wp + v
 * </pre>
 * computed per image in register tiles of 4 outputs × {@link #NR} vectors of q (one FMA per accumulator and tap),
 * taps in the fixed order of the weight layout. Backward-data is the same kernel on the {@link AdjointWeights}.
 * Each output is one float FMA chain, from the bias (or the value accumulated onto) through the taps in order,
 * computed by one thread: the same bits at any thread count, any vector width (the tile only groups outputs), and in
 * {@link ScalarConv}, which runs the same chains one position after another.
 */
final class VectorConv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    private static final int MR = 4;
    /**
     * Vectors of q per register tile: 5 (20 accumulators + 5 inputs + 1 weight) where vectors are 512 bits wide
     * (AVX-512 has 32 vector registers; with 6, 31 of them live, C2's code was slower and its speed varied from one
     * compilation to the next), 2 (8 accumulators) on narrower ones: with AVX2's 16
     * registers C2 spills the accumulators of 4×4 and 4×3 tiles (BENCHMARKS.md has the measurements). Each output is the same sum in
     * the same order whatever the tile: results do not depend on it.
     */
    static final int NR = VL >= 16 ? 5 : 2;

    private VectorConv() {
    }

    static float[] forward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                           Padding padding) {
        return forward(x, w, bias, null, n, c, h, wd, o, k, padding);
    }

    /**
     * into + conv(x, w), no bias, written into {@code into}: each accumulator starts from into's value instead of
     * the bias, and the taps follow in the same order, so convolving the channels [0, Ca) with the bias and then
     * accumulating [Ca, C) gives exactly the float result of one convolution over all C channels.
     */
    static float[] forwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                     Padding padding) {
        return forward(x, w, null, into, n, c, h, wd, o, k, padding);
    }

    /** The forward kernel; with {@code init} non-null the accumulators start from it and the result replaces it. */
    private static float[] forward(float[] x, float[] w, float[] bias, float[] init, int n, int c, int h, int wd,
                                   int o, int k, Padding padding) {
        PaddedImage g = new PaddedImage(c, h, wd, k, NR * VL);
        int oPad = (o + MR - 1) / MR * MR;
        float[] packed = packWeights(w, o, g.taps, oPad);
        float[] b = new float[oPad];
        if (bias != null) {
            System.arraycopy(bias, 0, b, 0, o);
        }
        int[] off = g.tapOffsets(g.taps);
        boolean fromInit = init != null;
        float[] y = fromInit ? init : BufferPool.floats(n * o * h * wd);
        // one vector FMA per (output, tap, VL positions) of an image
        Parallel.forRange(n, Parallel.grainFor((long) oPad * g.taps * g.qLen / VL), (lo, hi) -> {
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, g.length);
            float[] yq = Scratch.floats(Scratch.OUTPUT_ROWS, oPad * g.qLen);
            for (int img = lo; img < hi; img++) {
                g.pad(x, img * c * h * wd, padding, xp);
                // The accumulators' starting values into the q layout: image img's values, or the bias (thrown-away
                // positions: anything). One start for both keeps the tiles free of a choice C2 would box vectors for.
                if (fromInit) {
                    for (int oc = 0; oc < o; oc++) {
                        for (int i = 0; i < h; i++) {
                            System.arraycopy(y, ((img * o + oc) * h + i) * wd, yq, oc * g.qLen + i * g.wp, wd);
                        }
                    }
                } else {
                    for (int oc = 0; oc < oPad; oc++) {
                        Arrays.fill(yq, oc * g.qLen, (oc + 1) * g.qLen, b[oc]);
                    }
                }
                for (int q = 0; q < g.qLen; q += NR * VL) {
                    for (int o0 = 0; o0 < oPad; o0 += MR) {
                        if (NR == 5) {
                            tile5(xp, q, off, packed, oPad, o0, yq, g.qLen);
                        } else {
                            tile2(xp, q, off, packed, oPad, o0, yq, g.qLen);
                        }
                    }
                }
                for (int oc = 0; oc < o; oc++) {
                    for (int i = 0; i < h; i++) {
                        System.arraycopy(yq, oc * g.qLen + i * g.wp, y, ((img * o + oc) * h + i) * wd, wd);
                    }
                }
            }
        });
        return y;
    }

    static float[] backwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k, Padding padding) {
        return forward(gy, AdjointWeights.of(w, o, c, k), null, n, o, h, wd, c, k, padding);
    }

    /** W[t, o] = w[o, t], outputs padded with zeros to a multiple of the tile height. */
    private static float[] packWeights(float[] w, int o, int taps, int oPad) {
        float[] p = new float[taps * oPad];
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < taps; t++) {
                p[t * oPad + oc] = w[oc * taps + t];
            }
        }
        return p;
    }

    /** {@link #tile5} with 2 vectors of q (8 accumulators), for 16-register machines. */
    private static void tile2(float[] xp, int q, int[] off, float[] wt, int oPad, int o0, float[] yq, int qLen) {
        int r0 = o0 * qLen + q;
        int r1 = r0 + qLen;
        int r2 = r1 + qLen;
        int r3 = r2 + qLen;
        FloatVector a00 = FloatVector.fromArray(S, yq, r0);
        FloatVector a01 = FloatVector.fromArray(S, yq, r0 + VL);
        FloatVector a10 = FloatVector.fromArray(S, yq, r1);
        FloatVector a11 = FloatVector.fromArray(S, yq, r1 + VL);
        FloatVector a20 = FloatVector.fromArray(S, yq, r2);
        FloatVector a21 = FloatVector.fromArray(S, yq, r2 + VL);
        FloatVector a30 = FloatVector.fromArray(S, yq, r3);
        FloatVector a31 = FloatVector.fromArray(S, yq, r3 + VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            int wi = t * oPad + o0;
            FloatVector w0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            FloatVector w1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            FloatVector w2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            FloatVector w3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
        }
        // Stored in place, not through a helper: a vector passed to a method C2 does not inline gets boxed.
        int y0 = o0 * qLen + q;
        a00.intoArray(yq, y0);
        a01.intoArray(yq, y0 + VL);
        int y1 = y0 + qLen;
        a10.intoArray(yq, y1);
        a11.intoArray(yq, y1 + VL);
        int y2 = y1 + qLen;
        a20.intoArray(yq, y2);
        a21.intoArray(yq, y2 + VL);
        int y3 = y2 + qLen;
        a30.intoArray(yq, y3);
        a31.intoArray(yq, y3 + VL);
    }

    /**
     * yq[o0..o0+3, q..q+5·VL) += Σ_t W[t, o] · xp[q + off[t] ..]: 20 accumulators in registers, starting from the
     * values in yq (the bias or the values accumulated onto), taps in order; for 32-register (AVX-512) machines.
     * Stored in place, not through a helper: a vector passed to a method C2 does not inline gets boxed.
     */
    private static void tile5(float[] xp, int q, int[] off, float[] wt, int oPad, int o0, float[] yq, int qLen) {
        int r0 = o0 * qLen + q;
        int r1 = r0 + qLen;
        int r2 = r1 + qLen;
        int r3 = r2 + qLen;
        FloatVector a00 = FloatVector.fromArray(S, yq, r0);
        FloatVector a01 = FloatVector.fromArray(S, yq, r0 + VL);
        FloatVector a02 = FloatVector.fromArray(S, yq, r0 + 2 * VL);
        FloatVector a03 = FloatVector.fromArray(S, yq, r0 + 3 * VL);
        FloatVector a04 = FloatVector.fromArray(S, yq, r0 + 4 * VL);
        FloatVector a10 = FloatVector.fromArray(S, yq, r1);
        FloatVector a11 = FloatVector.fromArray(S, yq, r1 + VL);
        FloatVector a12 = FloatVector.fromArray(S, yq, r1 + 2 * VL);
        FloatVector a13 = FloatVector.fromArray(S, yq, r1 + 3 * VL);
        FloatVector a14 = FloatVector.fromArray(S, yq, r1 + 4 * VL);
        FloatVector a20 = FloatVector.fromArray(S, yq, r2);
        FloatVector a21 = FloatVector.fromArray(S, yq, r2 + VL);
        FloatVector a22 = FloatVector.fromArray(S, yq, r2 + 2 * VL);
        FloatVector a23 = FloatVector.fromArray(S, yq, r2 + 3 * VL);
        FloatVector a24 = FloatVector.fromArray(S, yq, r2 + 4 * VL);
        FloatVector a30 = FloatVector.fromArray(S, yq, r3);
        FloatVector a31 = FloatVector.fromArray(S, yq, r3 + VL);
        FloatVector a32 = FloatVector.fromArray(S, yq, r3 + 2 * VL);
        FloatVector a33 = FloatVector.fromArray(S, yq, r3 + 3 * VL);
        FloatVector a34 = FloatVector.fromArray(S, yq, r3 + 4 * VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            FloatVector x2 = FloatVector.fromArray(S, xp, xi + 2 * VL);
            FloatVector x3 = FloatVector.fromArray(S, xp, xi + 3 * VL);
            FloatVector x4 = FloatVector.fromArray(S, xp, xi + 4 * VL);
            int wi = t * oPad + o0;
            FloatVector w0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(w0, a00);
            a01 = x1.fma(w0, a01);
            a02 = x2.fma(w0, a02);
            a03 = x3.fma(w0, a03);
            a04 = x4.fma(w0, a04);
            FloatVector w1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(w1, a10);
            a11 = x1.fma(w1, a11);
            a12 = x2.fma(w1, a12);
            a13 = x3.fma(w1, a13);
            a14 = x4.fma(w1, a14);
            FloatVector w2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(w2, a20);
            a21 = x1.fma(w2, a21);
            a22 = x2.fma(w2, a22);
            a23 = x3.fma(w2, a23);
            a24 = x4.fma(w2, a24);
            FloatVector w3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(w3, a30);
            a31 = x1.fma(w3, a31);
            a32 = x2.fma(w3, a32);
            a33 = x3.fma(w3, a33);
            a34 = x4.fma(w3, a34);
        }
        a00.intoArray(yq, r0);
        a01.intoArray(yq, r0 + VL);
        a02.intoArray(yq, r0 + 2 * VL);
        a03.intoArray(yq, r0 + 3 * VL);
        a04.intoArray(yq, r0 + 4 * VL);
        a10.intoArray(yq, r1);
        a11.intoArray(yq, r1 + VL);
        a12.intoArray(yq, r1 + 2 * VL);
        a13.intoArray(yq, r1 + 3 * VL);
        a14.intoArray(yq, r1 + 4 * VL);
        a20.intoArray(yq, r2);
        a21.intoArray(yq, r2 + VL);
        a22.intoArray(yq, r2 + 2 * VL);
        a23.intoArray(yq, r2 + 3 * VL);
        a24.intoArray(yq, r2 + 4 * VL);
        a30.intoArray(yq, r3);
        a31.intoArray(yq, r3 + VL);
        a32.intoArray(yq, r3 + 2 * VL);
        a33.intoArray(yq, r3 + 3 * VL);
        a34.intoArray(yq, r3 + 4 * VL);
    }
}
