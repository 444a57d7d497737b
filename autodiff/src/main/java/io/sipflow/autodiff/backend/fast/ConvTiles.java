package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorConv}: for outputs o0 … o0+MR−1 and NR vectors j of VL positions each, the
 * vector j reading the padded input from q_j and its accumulators starting from {@code init} at i_j and stored to
 * {@code y} at y_j,
 * <pre>
 * y[y_j + i·ys + p] = fma(xp[q_j + p + off[T−1]], wt[w0 + (T−1)·MR + i],
 *                      … fma(xp[q_j + p + off[0]], wt[w0 + i], init[i_j + i·is + p]))
 * </pre>
 * MR·NR vector accumulators in registers, loaded from {@code init} (the bias, or the values accumulated onto), then
 * one FMA per accumulator and tap, taps in order, then stored. Each position's value is one FMA chain in tap order
 * whatever the tile: the shapes only decide which chains run side by side. The vectors of a tile need not be
 * neighbours (an image row may end between them), and two may be the same vector (the last, partial tile of an
 * image): every accumulator is loaded before any is stored, so both compute and store the same value. The
 * {@code …Run} tiles take NR neighbouring vectors from one q: one input index per tap, so C2 checks the loads' bounds
 * once (with three indexes the 8 × 3 tile ran 16 % slower on data in L1: 186 against 222 GFLOP/s on one core).
 * Per tap a tile loads NR input vectors (mostly across cache lines: the taps shift them by single floats) and
 * broadcasts MR weights, so tall tiles (many outputs, few vectors) load least per FMA: 8 × 3 (24 accumulators of 32
 * registers) with 512-bit vectors, 4 × 2 (8 of 16) on AVX2 (6 × 2 measured slower there, {@link VectorConv#MR}), and
 * a 4-row tile of the same width for the last outputs.
 * Written out in full: a vector passed to a method C2 does not inline gets boxed.
 */
final class ConvTiles {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    /** The species' vector class: every vector is cast to it, as in {@link ConvWeightTiles#VC} (else C2 17 boxes). */
    private static final Class<?> VC = ConvWeightTiles.VC;

    private ConvTiles() {
    }

    /** 8 outputs × 3 vectors (24 accumulators). */
    static void tile8x3(float[] xp, int q0, int q1, int q2, int[] off, float[] wt, int w0,
            float[] init, int i0, int i1, int i2, int is, float[] y, int y0, int y1, int y2, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1));
        FloatVector a02 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 1 * is));
        FloatVector a12 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 1 * is));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 2 * is));
        FloatVector a22 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 2 * is));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 3 * is));
        FloatVector a32 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 3 * is));
        FloatVector a40 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 4 * is));
        FloatVector a41 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 4 * is));
        FloatVector a42 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 4 * is));
        FloatVector a50 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 5 * is));
        FloatVector a51 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 5 * is));
        FloatVector a52 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 5 * is));
        FloatVector a60 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 6 * is));
        FloatVector a61 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 6 * is));
        FloatVector a62 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 6 * is));
        FloatVector a70 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 7 * is));
        FloatVector a71 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 7 * is));
        FloatVector a72 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 7 * is));
        for (int t = 0; t < off.length; t++) {
            int d = off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q0 + d));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q1 + d));
            FloatVector x2 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q2 + d));
            int wi = w0 + t * 8;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
            FloatVector b4 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 4]));
            a40 = x0.fma(b4, a40);
            a41 = x1.fma(b4, a41);
            a42 = x2.fma(b4, a42);
            FloatVector b5 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 5]));
            a50 = x0.fma(b5, a50);
            a51 = x1.fma(b5, a51);
            a52 = x2.fma(b5, a52);
            FloatVector b6 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 6]));
            a60 = x0.fma(b6, a60);
            a61 = x1.fma(b6, a61);
            a62 = x2.fma(b6, a62);
            FloatVector b7 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 7]));
            a70 = x0.fma(b7, a70);
            a71 = x1.fma(b7, a71);
            a72 = x2.fma(b7, a72);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y1);
        ((FloatVector) VC.cast(a02)).intoArray(y, y2);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y1 + 1 * ys);
        ((FloatVector) VC.cast(a12)).intoArray(y, y2 + 1 * ys);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y1 + 2 * ys);
        ((FloatVector) VC.cast(a22)).intoArray(y, y2 + 2 * ys);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y1 + 3 * ys);
        ((FloatVector) VC.cast(a32)).intoArray(y, y2 + 3 * ys);
        ((FloatVector) VC.cast(a40)).intoArray(y, y0 + 4 * ys);
        ((FloatVector) VC.cast(a41)).intoArray(y, y1 + 4 * ys);
        ((FloatVector) VC.cast(a42)).intoArray(y, y2 + 4 * ys);
        ((FloatVector) VC.cast(a50)).intoArray(y, y0 + 5 * ys);
        ((FloatVector) VC.cast(a51)).intoArray(y, y1 + 5 * ys);
        ((FloatVector) VC.cast(a52)).intoArray(y, y2 + 5 * ys);
        ((FloatVector) VC.cast(a60)).intoArray(y, y0 + 6 * ys);
        ((FloatVector) VC.cast(a61)).intoArray(y, y1 + 6 * ys);
        ((FloatVector) VC.cast(a62)).intoArray(y, y2 + 6 * ys);
        ((FloatVector) VC.cast(a70)).intoArray(y, y0 + 7 * ys);
        ((FloatVector) VC.cast(a71)).intoArray(y, y1 + 7 * ys);
        ((FloatVector) VC.cast(a72)).intoArray(y, y2 + 7 * ys);
    }

    /** 4 outputs × 3 vectors (12 accumulators). */
    static void tile4x3(float[] xp, int q0, int q1, int q2, int[] off, float[] wt, int w0,
            float[] init, int i0, int i1, int i2, int is, float[] y, int y0, int y1, int y2, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1));
        FloatVector a02 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 1 * is));
        FloatVector a12 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 1 * is));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 2 * is));
        FloatVector a22 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 2 * is));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 3 * is));
        FloatVector a32 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i2 + 3 * is));
        for (int t = 0; t < off.length; t++) {
            int d = off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q0 + d));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q1 + d));
            FloatVector x2 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q2 + d));
            int wi = w0 + t * 4;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y1);
        ((FloatVector) VC.cast(a02)).intoArray(y, y2);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y1 + 1 * ys);
        ((FloatVector) VC.cast(a12)).intoArray(y, y2 + 1 * ys);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y1 + 2 * ys);
        ((FloatVector) VC.cast(a22)).intoArray(y, y2 + 2 * ys);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y1 + 3 * ys);
        ((FloatVector) VC.cast(a32)).intoArray(y, y2 + 3 * ys);
    }

    /** 4 outputs × 2 vectors (8 accumulators). */
    static void tile4x2(float[] xp, int q0, int q1, int[] off, float[] wt, int w0,
            float[] init, int i0, int i1, int is, float[] y, int y0, int y1, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 1 * is));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 2 * is));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i1 + 3 * is));
        for (int t = 0; t < off.length; t++) {
            int d = off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q0 + d));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q1 + d));
            int wi = w0 + t * 4;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y1);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y1 + 1 * ys);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y1 + 2 * ys);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y1 + 3 * ys);
    }

    /**
     * 8 outputs × 3 neighbouring vectors from q (24 accumulators): {@link #tile8x3} with q_j = q + j·VL,
     * i_j = i0 + j·VL, y_j = y0 + j·VL. One input index per tap: C2 checks the 3 loads' bounds once.
     */
    static void tile8x3Run(float[] xp, int q, int[] off, float[] wt, int w0, float[] init, int i0, int is,
            float[] y, int y0, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + VL));
        FloatVector a02 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * VL));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is + VL));
        FloatVector a12 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is + 2 * VL));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is + VL));
        FloatVector a22 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is + 2 * VL));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is + VL));
        FloatVector a32 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is + 2 * VL));
        FloatVector a40 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 4 * is));
        FloatVector a41 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 4 * is + VL));
        FloatVector a42 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 4 * is + 2 * VL));
        FloatVector a50 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 5 * is));
        FloatVector a51 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 5 * is + VL));
        FloatVector a52 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 5 * is + 2 * VL));
        FloatVector a60 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 6 * is));
        FloatVector a61 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 6 * is + VL));
        FloatVector a62 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 6 * is + 2 * VL));
        FloatVector a70 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 7 * is));
        FloatVector a71 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 7 * is + VL));
        FloatVector a72 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 7 * is + 2 * VL));
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi + VL));
            FloatVector x2 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi + 2 * VL));
            int wi = w0 + t * 8;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
            FloatVector b4 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 4]));
            a40 = x0.fma(b4, a40);
            a41 = x1.fma(b4, a41);
            a42 = x2.fma(b4, a42);
            FloatVector b5 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 5]));
            a50 = x0.fma(b5, a50);
            a51 = x1.fma(b5, a51);
            a52 = x2.fma(b5, a52);
            FloatVector b6 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 6]));
            a60 = x0.fma(b6, a60);
            a61 = x1.fma(b6, a61);
            a62 = x2.fma(b6, a62);
            FloatVector b7 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 7]));
            a70 = x0.fma(b7, a70);
            a71 = x1.fma(b7, a71);
            a72 = x2.fma(b7, a72);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y0 + VL);
        ((FloatVector) VC.cast(a02)).intoArray(y, y0 + 2 * VL);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y0 + 1 * ys + VL);
        ((FloatVector) VC.cast(a12)).intoArray(y, y0 + 1 * ys + 2 * VL);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y0 + 2 * ys + VL);
        ((FloatVector) VC.cast(a22)).intoArray(y, y0 + 2 * ys + 2 * VL);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y0 + 3 * ys + VL);
        ((FloatVector) VC.cast(a32)).intoArray(y, y0 + 3 * ys + 2 * VL);
        ((FloatVector) VC.cast(a40)).intoArray(y, y0 + 4 * ys);
        ((FloatVector) VC.cast(a41)).intoArray(y, y0 + 4 * ys + VL);
        ((FloatVector) VC.cast(a42)).intoArray(y, y0 + 4 * ys + 2 * VL);
        ((FloatVector) VC.cast(a50)).intoArray(y, y0 + 5 * ys);
        ((FloatVector) VC.cast(a51)).intoArray(y, y0 + 5 * ys + VL);
        ((FloatVector) VC.cast(a52)).intoArray(y, y0 + 5 * ys + 2 * VL);
        ((FloatVector) VC.cast(a60)).intoArray(y, y0 + 6 * ys);
        ((FloatVector) VC.cast(a61)).intoArray(y, y0 + 6 * ys + VL);
        ((FloatVector) VC.cast(a62)).intoArray(y, y0 + 6 * ys + 2 * VL);
        ((FloatVector) VC.cast(a70)).intoArray(y, y0 + 7 * ys);
        ((FloatVector) VC.cast(a71)).intoArray(y, y0 + 7 * ys + VL);
        ((FloatVector) VC.cast(a72)).intoArray(y, y0 + 7 * ys + 2 * VL);
    }

    /**
     * 4 outputs × 3 neighbouring vectors from q (12 accumulators): {@link #tile4x3} with q_j = q + j·VL,
     * i_j = i0 + j·VL, y_j = y0 + j·VL. One input index per tap: C2 checks the 3 loads' bounds once.
     */
    static void tile4x3Run(float[] xp, int q, int[] off, float[] wt, int w0, float[] init, int i0, int is,
            float[] y, int y0, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + VL));
        FloatVector a02 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * VL));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is + VL));
        FloatVector a12 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is + 2 * VL));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is + VL));
        FloatVector a22 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is + 2 * VL));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is + VL));
        FloatVector a32 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is + 2 * VL));
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi + VL));
            FloatVector x2 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi + 2 * VL));
            int wi = w0 + t * 4;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            a02 = x2.fma(b0, a02);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            a12 = x2.fma(b1, a12);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            a22 = x2.fma(b2, a22);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
            a32 = x2.fma(b3, a32);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y0 + VL);
        ((FloatVector) VC.cast(a02)).intoArray(y, y0 + 2 * VL);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y0 + 1 * ys + VL);
        ((FloatVector) VC.cast(a12)).intoArray(y, y0 + 1 * ys + 2 * VL);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y0 + 2 * ys + VL);
        ((FloatVector) VC.cast(a22)).intoArray(y, y0 + 2 * ys + 2 * VL);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y0 + 3 * ys + VL);
        ((FloatVector) VC.cast(a32)).intoArray(y, y0 + 3 * ys + 2 * VL);
    }

    /**
     * 4 outputs × 2 neighbouring vectors from q (8 accumulators): {@link #tile4x2} with q_j = q + j·VL,
     * i_j = i0 + j·VL, y_j = y0 + j·VL. One input index per tap: C2 checks the 2 loads' bounds once.
     */
    static void tile4x2Run(float[] xp, int q, int[] off, float[] wt, int w0, float[] init, int i0, int is,
            float[] y, int y0, int ys) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + VL));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 1 * is + VL));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 2 * is + VL));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, init, i0 + 3 * is + VL));
        for (int t = 0; t < off.length; t++) {
            int xi = q + off[t];
            FloatVector x0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi));
            FloatVector x1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, xi + VL));
            int wi = w0 + t * 4;
            FloatVector b0 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi]));
            a00 = x0.fma(b0, a00);
            a01 = x1.fma(b0, a01);
            FloatVector b1 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 1]));
            a10 = x0.fma(b1, a10);
            a11 = x1.fma(b1, a11);
            FloatVector b2 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 2]));
            a20 = x0.fma(b2, a20);
            a21 = x1.fma(b2, a21);
            FloatVector b3 = (FloatVector) VC.cast(FloatVector.broadcast(S, wt[wi + 3]));
            a30 = x0.fma(b3, a30);
            a31 = x1.fma(b3, a31);
        }
        ((FloatVector) VC.cast(a00)).intoArray(y, y0);
        ((FloatVector) VC.cast(a01)).intoArray(y, y0 + VL);
        ((FloatVector) VC.cast(a10)).intoArray(y, y0 + 1 * ys);
        ((FloatVector) VC.cast(a11)).intoArray(y, y0 + 1 * ys + VL);
        ((FloatVector) VC.cast(a20)).intoArray(y, y0 + 2 * ys);
        ((FloatVector) VC.cast(a21)).intoArray(y, y0 + 2 * ys + VL);
        ((FloatVector) VC.cast(a30)).intoArray(y, y0 + 3 * ys);
        ((FloatVector) VC.cast(a31)).intoArray(y, y0 + 3 * ys + VL);
    }
}
