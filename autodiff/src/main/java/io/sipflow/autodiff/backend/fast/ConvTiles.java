package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorConv}: for outputs o0 … o0+MR−1 and NR·VL positions from q,
 * <pre>
 * yb[y0 + i·bq + p] = fma(xp[q + p + off[T−1]], wt[w0 + (T−1)·MR + i],
 *                        … fma(xp[q + p + off[0]], wt[w0 + i], yb[y0 + i·bq + p]))
 * </pre>
 * MR·NR vector accumulators in registers, loaded from the block {@code yb} (the bias, or the values accumulated
 * onto), then one FMA per accumulator and tap, taps in order, then stored back. Each position's value is one FMA chain
 * in tap order whatever the tile: the shapes only decide which chains run side by side. Per tap a tile loads NR input
 * vectors (mostly across cache lines: the taps shift them by single floats) and broadcasts MR weights, so tall
 * tiles (many outputs, few vectors) load least per FMA: 8 × 3 (24 accumulators of 32 registers) with 512-bit
 * vectors, 6 × 2 (12 of 16) on AVX2, and a 4-row tile of the same width for the last outputs.
 * Written out in full: a vector passed to a method C2 does not inline gets boxed.
 */
final class ConvTiles {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;

    private ConvTiles() {
    }

    /** 8 outputs × 3 vectors of q (24 accumulators). */
    static void tile8x3(float[] xp, int q, int[] off, float[] wt, int w0, float[] yb, int y0, int bq) {
        int r0 = y0;
        int r1 = y0 + 1 * bq;
        int r2 = y0 + 2 * bq;
        int r3 = y0 + 3 * bq;
        int r4 = y0 + 4 * bq;
        int r5 = y0 + 5 * bq;
        int r6 = y0 + 6 * bq;
        int r7 = y0 + 7 * bq;
        FloatVector a00 = FloatVector.fromArray(S, yb, r0);
        FloatVector a01 = FloatVector.fromArray(S, yb, r0 + VL);
        FloatVector a02 = FloatVector.fromArray(S, yb, r0 + 2 * VL);
        FloatVector a10 = FloatVector.fromArray(S, yb, r1);
        FloatVector a11 = FloatVector.fromArray(S, yb, r1 + VL);
        FloatVector a12 = FloatVector.fromArray(S, yb, r1 + 2 * VL);
        FloatVector a20 = FloatVector.fromArray(S, yb, r2);
        FloatVector a21 = FloatVector.fromArray(S, yb, r2 + VL);
        FloatVector a22 = FloatVector.fromArray(S, yb, r2 + 2 * VL);
        FloatVector a30 = FloatVector.fromArray(S, yb, r3);
        FloatVector a31 = FloatVector.fromArray(S, yb, r3 + VL);
        FloatVector a32 = FloatVector.fromArray(S, yb, r3 + 2 * VL);
        FloatVector a40 = FloatVector.fromArray(S, yb, r4);
        FloatVector a41 = FloatVector.fromArray(S, yb, r4 + VL);
        FloatVector a42 = FloatVector.fromArray(S, yb, r4 + 2 * VL);
        FloatVector a50 = FloatVector.fromArray(S, yb, r5);
        FloatVector a51 = FloatVector.fromArray(S, yb, r5 + VL);
        FloatVector a52 = FloatVector.fromArray(S, yb, r5 + 2 * VL);
        FloatVector a60 = FloatVector.fromArray(S, yb, r6);
        FloatVector a61 = FloatVector.fromArray(S, yb, r6 + VL);
        FloatVector a62 = FloatVector.fromArray(S, yb, r6 + 2 * VL);
        FloatVector a70 = FloatVector.fromArray(S, yb, r7);
        FloatVector a71 = FloatVector.fromArray(S, yb, r7 + VL);
        FloatVector a72 = FloatVector.fromArray(S, yb, r7 + 2 * VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            FloatVector x2 = FloatVector.fromArray(S, xp, xi + 2 * VL);
            int wi = w0 + t * 8;
            FloatVector b0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
            FloatVector b4 = FloatVector.broadcast(S, wt[wi + 4]);
            a40 = x0.fma(b4, a40);
            a41 = x1.fma(b4, a41);
            a42 = x2.fma(b4, a42);
            FloatVector b5 = FloatVector.broadcast(S, wt[wi + 5]);
            a50 = x0.fma(b5, a50);
            a51 = x1.fma(b5, a51);
            a52 = x2.fma(b5, a52);
            FloatVector b6 = FloatVector.broadcast(S, wt[wi + 6]);
            a60 = x0.fma(b6, a60);
            a61 = x1.fma(b6, a61);
            a62 = x2.fma(b6, a62);
            FloatVector b7 = FloatVector.broadcast(S, wt[wi + 7]);
            a70 = x0.fma(b7, a70);
            a71 = x1.fma(b7, a71);
            a72 = x2.fma(b7, a72);
        }
        a00.intoArray(yb, r0);
        a01.intoArray(yb, r0 + VL);
        a02.intoArray(yb, r0 + 2 * VL);
        a10.intoArray(yb, r1);
        a11.intoArray(yb, r1 + VL);
        a12.intoArray(yb, r1 + 2 * VL);
        a20.intoArray(yb, r2);
        a21.intoArray(yb, r2 + VL);
        a22.intoArray(yb, r2 + 2 * VL);
        a30.intoArray(yb, r3);
        a31.intoArray(yb, r3 + VL);
        a32.intoArray(yb, r3 + 2 * VL);
        a40.intoArray(yb, r4);
        a41.intoArray(yb, r4 + VL);
        a42.intoArray(yb, r4 + 2 * VL);
        a50.intoArray(yb, r5);
        a51.intoArray(yb, r5 + VL);
        a52.intoArray(yb, r5 + 2 * VL);
        a60.intoArray(yb, r6);
        a61.intoArray(yb, r6 + VL);
        a62.intoArray(yb, r6 + 2 * VL);
        a70.intoArray(yb, r7);
        a71.intoArray(yb, r7 + VL);
        a72.intoArray(yb, r7 + 2 * VL);
    }

    /** 4 outputs × 3 vectors of q (12 accumulators). */
    static void tile4x3(float[] xp, int q, int[] off, float[] wt, int w0, float[] yb, int y0, int bq) {
        int r0 = y0;
        int r1 = y0 + 1 * bq;
        int r2 = y0 + 2 * bq;
        int r3 = y0 + 3 * bq;
        FloatVector a00 = FloatVector.fromArray(S, yb, r0);
        FloatVector a01 = FloatVector.fromArray(S, yb, r0 + VL);
        FloatVector a02 = FloatVector.fromArray(S, yb, r0 + 2 * VL);
        FloatVector a10 = FloatVector.fromArray(S, yb, r1);
        FloatVector a11 = FloatVector.fromArray(S, yb, r1 + VL);
        FloatVector a12 = FloatVector.fromArray(S, yb, r1 + 2 * VL);
        FloatVector a20 = FloatVector.fromArray(S, yb, r2);
        FloatVector a21 = FloatVector.fromArray(S, yb, r2 + VL);
        FloatVector a22 = FloatVector.fromArray(S, yb, r2 + 2 * VL);
        FloatVector a30 = FloatVector.fromArray(S, yb, r3);
        FloatVector a31 = FloatVector.fromArray(S, yb, r3 + VL);
        FloatVector a32 = FloatVector.fromArray(S, yb, r3 + 2 * VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            FloatVector x2 = FloatVector.fromArray(S, xp, xi + 2 * VL);
            int wi = w0 + t * 4;
            FloatVector b0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
        }
        a00.intoArray(yb, r0);
        a01.intoArray(yb, r0 + VL);
        a02.intoArray(yb, r0 + 2 * VL);
        a10.intoArray(yb, r1);
        a11.intoArray(yb, r1 + VL);
        a12.intoArray(yb, r1 + 2 * VL);
        a20.intoArray(yb, r2);
        a21.intoArray(yb, r2 + VL);
        a22.intoArray(yb, r2 + 2 * VL);
        a30.intoArray(yb, r3);
        a31.intoArray(yb, r3 + VL);
        a32.intoArray(yb, r3 + 2 * VL);
    }

    /** 6 outputs × 2 vectors of q (12 accumulators). */
    static void tile6x2(float[] xp, int q, int[] off, float[] wt, int w0, float[] yb, int y0, int bq) {
        int r0 = y0;
        int r1 = y0 + 1 * bq;
        int r2 = y0 + 2 * bq;
        int r3 = y0 + 3 * bq;
        int r4 = y0 + 4 * bq;
        int r5 = y0 + 5 * bq;
        FloatVector a00 = FloatVector.fromArray(S, yb, r0);
        FloatVector a01 = FloatVector.fromArray(S, yb, r0 + VL);
        FloatVector a10 = FloatVector.fromArray(S, yb, r1);
        FloatVector a11 = FloatVector.fromArray(S, yb, r1 + VL);
        FloatVector a20 = FloatVector.fromArray(S, yb, r2);
        FloatVector a21 = FloatVector.fromArray(S, yb, r2 + VL);
        FloatVector a30 = FloatVector.fromArray(S, yb, r3);
        FloatVector a31 = FloatVector.fromArray(S, yb, r3 + VL);
        FloatVector a40 = FloatVector.fromArray(S, yb, r4);
        FloatVector a41 = FloatVector.fromArray(S, yb, r4 + VL);
        FloatVector a50 = FloatVector.fromArray(S, yb, r5);
        FloatVector a51 = FloatVector.fromArray(S, yb, r5 + VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            int wi = w0 + t * 6;
            FloatVector b0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            FloatVector b1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            FloatVector b2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            FloatVector b3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            FloatVector b4 = FloatVector.broadcast(S, wt[wi + 4]);
            a40 = x0.fma(b4, a40);
            a41 = x1.fma(b4, a41);
            FloatVector b5 = FloatVector.broadcast(S, wt[wi + 5]);
            a50 = x0.fma(b5, a50);
            a51 = x1.fma(b5, a51);
        }
        a00.intoArray(yb, r0);
        a01.intoArray(yb, r0 + VL);
        a10.intoArray(yb, r1);
        a11.intoArray(yb, r1 + VL);
        a20.intoArray(yb, r2);
        a21.intoArray(yb, r2 + VL);
        a30.intoArray(yb, r3);
        a31.intoArray(yb, r3 + VL);
        a40.intoArray(yb, r4);
        a41.intoArray(yb, r4 + VL);
        a50.intoArray(yb, r5);
        a51.intoArray(yb, r5 + VL);
    }

    /** 4 outputs × 2 vectors of q (8 accumulators). */
    static void tile4x2(float[] xp, int q, int[] off, float[] wt, int w0, float[] yb, int y0, int bq) {
        int r0 = y0;
        int r1 = y0 + 1 * bq;
        int r2 = y0 + 2 * bq;
        int r3 = y0 + 3 * bq;
        FloatVector a00 = FloatVector.fromArray(S, yb, r0);
        FloatVector a01 = FloatVector.fromArray(S, yb, r0 + VL);
        FloatVector a10 = FloatVector.fromArray(S, yb, r1);
        FloatVector a11 = FloatVector.fromArray(S, yb, r1 + VL);
        FloatVector a20 = FloatVector.fromArray(S, yb, r2);
        FloatVector a21 = FloatVector.fromArray(S, yb, r2 + VL);
        FloatVector a30 = FloatVector.fromArray(S, yb, r3);
        FloatVector a31 = FloatVector.fromArray(S, yb, r3 + VL);
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = FloatVector.fromArray(S, xp, xi);
            FloatVector x1 = FloatVector.fromArray(S, xp, xi + VL);
            int wi = w0 + t * 4;
            FloatVector b0 = FloatVector.broadcast(S, wt[wi]);
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            FloatVector b1 = FloatVector.broadcast(S, wt[wi + 1]);
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            FloatVector b2 = FloatVector.broadcast(S, wt[wi + 2]);
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            FloatVector b3 = FloatVector.broadcast(S, wt[wi + 3]);
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
        }
        a00.intoArray(yb, r0);
        a01.intoArray(yb, r0 + VL);
        a10.intoArray(yb, r1);
        a11.intoArray(yb, r1 + VL);
        a20.intoArray(yb, r2);
        a21.intoArray(yb, r2 + VL);
        a30.intoArray(yb, r3);
        a31.intoArray(yb, r3 + VL);
    }
}
