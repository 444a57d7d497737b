package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The register tiles of {@link VectorConvWeight}: for outputs o0 … o0+3 and taps t0 … t0+MT−1, over the positions
 * q = qFrom, qFrom + 16, … &lt; qTo,
 * <pre>
 * tmp[at + 16·(MT·i + j) + l] = fma(gq[g4 + 4q + 16i + l], xp[x0 + q + l + off[t0 + j]],
 *                                   tmp[at + 16·(MT·i + j) + l])
 * </pre>
 * for the VL lanes l of one pass, in q order: MT·4 vector accumulators of lane sums in registers, loaded from and
 * stored back to {@code tmp}. The gradient is laid out four outputs side by side ({@link VectorConvWeight}), so the
 * tile reads it at one index. Per step a tile loads 4 gradient and MT input vectors for 4·MT FMAs, and most loads
 * cross a cache line (costing two load slots), so wider tiles load less per FMA: 4 × 6 (24 accumulators of 32
 * registers) with 512-bit vectors; 4 × 2 (8 of 16) on AVX2, where wider tiles measured slower. Each accumulator is
 * one lane's FMA chain in q order whatever the tile, as {@link SumOrder} fixes. Written out in full: a vector passed
 * to a method C2 does not inline gets boxed.
 */
final class ConvWeightTiles {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int LANES = SumOrder.LANES;
    /**
     * The class of {@link #S}'s vectors; every vector here is cast to it before a Vector API call on it. A value of
     * {@code FloatVector.fromArray} and an accumulator leaving its loop are typed {@code FloatVector} when C2 parses
     * the call, and C2 17 then picks the implementation ({@code intoArray}'s species, {@code fma}'s lanewise) from the
     * call site's type profile, shared with the other vector shapes (the 128-bit ones of the batch-norm and upsample
     * loops): the store then ran as plain Java on boxed vectors (1.8 GB per SIP step on JDK 17 with AVX2).
     * {@code Class.cast} with a constant class is a C2 intrinsic: a class check, after which C2 knows the exact class.
     * Only types change: the same instructions, the same bits. Package-private: the other gradient kernels use it.
     */
    static final Class<?> VC = S.vectorType();

    private ConvWeightTiles() {
    }

    /** 4 outputs × 6 taps (24 accumulators). */
    static void tile4x6(float[] gq, int g4, float[] xp, int x0, int qFrom, int qTo, int[] off, int t0,
                          float[] tmp, int at) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + LANES));
        FloatVector a02 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 2 * LANES));
        FloatVector a03 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 3 * LANES));
        FloatVector a04 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 4 * LANES));
        FloatVector a05 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 5 * LANES));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 6 * LANES));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 7 * LANES));
        FloatVector a12 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 8 * LANES));
        FloatVector a13 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 9 * LANES));
        FloatVector a14 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 10 * LANES));
        FloatVector a15 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 11 * LANES));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 12 * LANES));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 13 * LANES));
        FloatVector a22 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 14 * LANES));
        FloatVector a23 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 15 * LANES));
        FloatVector a24 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 16 * LANES));
        FloatVector a25 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 17 * LANES));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 18 * LANES));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 19 * LANES));
        FloatVector a32 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 20 * LANES));
        FloatVector a33 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 21 * LANES));
        FloatVector a34 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 22 * LANES));
        FloatVector a35 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 23 * LANES));
        int f0 = x0 + off[t0];
        int f1 = x0 + off[t0 + 1];
        int f2 = x0 + off[t0 + 2];
        int f3 = x0 + off[t0 + 3];
        int f4 = x0 + off[t0 + 4];
        int f5 = x0 + off[t0 + 5];
        for (int q = qFrom; q < qTo; q += LANES) {
            FloatVector v0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f0));
            FloatVector v1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f1));
            FloatVector v2 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f2));
            FloatVector v3 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f3));
            FloatVector v4 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f4));
            FloatVector v5 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f5));
            int gi = g4 + 4 * q;
            FloatVector y0 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi));
            a00 = y0.fma(v0, a00);
            a01 = y0.fma(v1, a01);
            a02 = y0.fma(v2, a02);
            a03 = y0.fma(v3, a03);
            a04 = y0.fma(v4, a04);
            a05 = y0.fma(v5, a05);
            FloatVector y1 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + LANES));
            a10 = y1.fma(v0, a10);
            a11 = y1.fma(v1, a11);
            a12 = y1.fma(v2, a12);
            a13 = y1.fma(v3, a13);
            a14 = y1.fma(v4, a14);
            a15 = y1.fma(v5, a15);
            FloatVector y2 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + 2 * LANES));
            a20 = y2.fma(v0, a20);
            a21 = y2.fma(v1, a21);
            a22 = y2.fma(v2, a22);
            a23 = y2.fma(v3, a23);
            a24 = y2.fma(v4, a24);
            a25 = y2.fma(v5, a25);
            FloatVector y3 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + 3 * LANES));
            a30 = y3.fma(v0, a30);
            a31 = y3.fma(v1, a31);
            a32 = y3.fma(v2, a32);
            a33 = y3.fma(v3, a33);
            a34 = y3.fma(v4, a34);
            a35 = y3.fma(v5, a35);
        }
        ((FloatVector) VC.cast(a00)).intoArray(tmp, at);
        ((FloatVector) VC.cast(a01)).intoArray(tmp, at + LANES);
        ((FloatVector) VC.cast(a02)).intoArray(tmp, at + 2 * LANES);
        ((FloatVector) VC.cast(a03)).intoArray(tmp, at + 3 * LANES);
        ((FloatVector) VC.cast(a04)).intoArray(tmp, at + 4 * LANES);
        ((FloatVector) VC.cast(a05)).intoArray(tmp, at + 5 * LANES);
        ((FloatVector) VC.cast(a10)).intoArray(tmp, at + 6 * LANES);
        ((FloatVector) VC.cast(a11)).intoArray(tmp, at + 7 * LANES);
        ((FloatVector) VC.cast(a12)).intoArray(tmp, at + 8 * LANES);
        ((FloatVector) VC.cast(a13)).intoArray(tmp, at + 9 * LANES);
        ((FloatVector) VC.cast(a14)).intoArray(tmp, at + 10 * LANES);
        ((FloatVector) VC.cast(a15)).intoArray(tmp, at + 11 * LANES);
        ((FloatVector) VC.cast(a20)).intoArray(tmp, at + 12 * LANES);
        ((FloatVector) VC.cast(a21)).intoArray(tmp, at + 13 * LANES);
        ((FloatVector) VC.cast(a22)).intoArray(tmp, at + 14 * LANES);
        ((FloatVector) VC.cast(a23)).intoArray(tmp, at + 15 * LANES);
        ((FloatVector) VC.cast(a24)).intoArray(tmp, at + 16 * LANES);
        ((FloatVector) VC.cast(a25)).intoArray(tmp, at + 17 * LANES);
        ((FloatVector) VC.cast(a30)).intoArray(tmp, at + 18 * LANES);
        ((FloatVector) VC.cast(a31)).intoArray(tmp, at + 19 * LANES);
        ((FloatVector) VC.cast(a32)).intoArray(tmp, at + 20 * LANES);
        ((FloatVector) VC.cast(a33)).intoArray(tmp, at + 21 * LANES);
        ((FloatVector) VC.cast(a34)).intoArray(tmp, at + 22 * LANES);
        ((FloatVector) VC.cast(a35)).intoArray(tmp, at + 23 * LANES);
    }

    /** 4 outputs × 2 taps (8 accumulators). */
    static void tile4x2(float[] gq, int g4, float[] xp, int x0, int qFrom, int qTo, int[] off, int t0,
                          float[] tmp, int at) {
        FloatVector a00 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at));
        FloatVector a01 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + LANES));
        FloatVector a10 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 2 * LANES));
        FloatVector a11 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 3 * LANES));
        FloatVector a20 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 4 * LANES));
        FloatVector a21 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 5 * LANES));
        FloatVector a30 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 6 * LANES));
        FloatVector a31 = (FloatVector) VC.cast(FloatVector.fromArray(S, tmp, at + 7 * LANES));
        int f0 = x0 + off[t0];
        int f1 = x0 + off[t0 + 1];
        for (int q = qFrom; q < qTo; q += LANES) {
            FloatVector v0 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f0));
            FloatVector v1 = (FloatVector) VC.cast(FloatVector.fromArray(S, xp, q + f1));
            int gi = g4 + 4 * q;
            FloatVector y0 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi));
            a00 = y0.fma(v0, a00);
            a01 = y0.fma(v1, a01);
            FloatVector y1 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + LANES));
            a10 = y1.fma(v0, a10);
            a11 = y1.fma(v1, a11);
            FloatVector y2 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + 2 * LANES));
            a20 = y2.fma(v0, a20);
            a21 = y2.fma(v1, a21);
            FloatVector y3 = (FloatVector) VC.cast(FloatVector.fromArray(S, gq, gi + 3 * LANES));
            a30 = y3.fma(v0, a30);
            a31 = y3.fma(v1, a31);
        }
        ((FloatVector) VC.cast(a00)).intoArray(tmp, at);
        ((FloatVector) VC.cast(a01)).intoArray(tmp, at + LANES);
        ((FloatVector) VC.cast(a10)).intoArray(tmp, at + 2 * LANES);
        ((FloatVector) VC.cast(a11)).intoArray(tmp, at + 3 * LANES);
        ((FloatVector) VC.cast(a20)).intoArray(tmp, at + 4 * LANES);
        ((FloatVector) VC.cast(a21)).intoArray(tmp, at + 5 * LANES);
        ((FloatVector) VC.cast(a30)).intoArray(tmp, at + 6 * LANES);
        ((FloatVector) VC.cast(a31)).intoArray(tmp, at + 7 * LANES);
    }
}
