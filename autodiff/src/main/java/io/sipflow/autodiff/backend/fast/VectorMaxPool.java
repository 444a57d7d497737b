package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 2×2 max pooling (stride 2) and its VJP on one output row at a time, VL input columns per vector. A window
 * (a b / c d) has its maximum at the row-major scan's first maximum, NaN winning (the last NaN): as a tournament,
 * top = first maximum of (a, b), bottom = of (c, d), then of (top, bottom), each "later beats earlier" meaning
 * {@code later > earlier || later is NaN}, which selects the same element as the scan (ties keep the earlier one,
 * a NaN beats anything and nothing beats it). Each lane pair (2m, 2m+1) of a row vector is one window's pair; its
 * first and second elements are broadcast to both lanes of the pair, so the whole tournament runs in both lanes.
 * Only selections (blends), no arithmetic: the outputs are elements of x (or of gy and +0), bit for bit the scalar
 * loop's at any vector width. The one exception is a NaN's payload, which the Vector API's portable code may
 * canonicalise: a block whose values include a NaN is left to the caller's scalar loop (it stops before it).
 * NaN lanes are found as {@code v != v} ({@code compare(NE, v)}), not {@code test(IS_NAN)}: JDK 17's C2 does not
 * intrinsify that test, and boxed vectors and masks for it made the fused batch norm + pooling twice as slow there.
 */
final class VectorMaxPool {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    /** Lane i ← lane i with its low bit cleared: each pair's first element in both lanes. */
    private static final VectorShuffle<Float> FIRST = VectorShuffle.fromOp(S, i -> i & ~1);
    /** Lane i ← lane i | 1: each pair's second element in both lanes. */
    private static final VectorShuffle<Float> SECOND = VectorShuffle.fromOp(S, i -> i | 1);
    /** Lane i ← lane 2i mod VL: the even lanes packed into each half. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> (2 * i) % VL);
    /** Lane i ← lane ⌊i/2⌋: the first VL/2 values, each twice. */
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, ((1L << VL) - 1) & ~((1L << (VL / 2)) - 1));
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL & ((1L << VL) - 1));
    private static final FloatVector ZERO = FloatVector.zero(S);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
    private static final FloatVector THREE = FloatVector.broadcast(S, 3f);

    private VectorMaxPool() {
    }

    /**
     * y[o .. o + w/2) = the window maxima of input rows at top and top + w; returns the number of outputs written
     * (a multiple of VL; the caller's scalar loop does the rest, from the first block with a NaN maximum on).
     */
    static int forwardRow(float[] x, int top, int w, float[] y, int o) {
        int ow = w / 2;
        int j = 0;
        for (; j + VL <= ow; j += VL) {
            int at = top + 2 * j;
            FloatVector lo = windowMax(x, at, w);
            FloatVector hi = windowMax(x, at + VL, w);
            FloatVector max = lo.rearrange(EVENS).blend(hi.rearrange(EVENS), UPPER);
            if (max.compare(VectorOperators.NE, max).anyTrue()) {
                break;
            }
            max.intoArray(y, o + j);
        }
        return j;
    }

    /**
     * {@link #forwardRow}, and each window's argmax code 2u + v (row u, column v of its element) as a float in
     * codes[0 .. written): the tournament's masks select the code as they select the value.
     */
    static int forwardRowKeepingArgmax(float[] x, int top, int w, float[] y, int o, float[] codes) {
        int ow = w / 2;
        int j = 0;
        for (; j + VL <= ow; j += VL) {
            int at = top + 2 * j;
            FloatVector r0 = FloatVector.fromArray(S, x, at);
            FloatVector r1 = FloatVector.fromArray(S, x, at + w);
            FloatVector a = r0.rearrange(FIRST);
            FloatVector b = r0.rearrange(SECOND);
            FloatVector c = r1.rearrange(FIRST);
            FloatVector d = r1.rearrange(SECOND);
            VectorMask<Float> bWins = beats(b, a);
            VectorMask<Float> dWins = beats(d, c);
            FloatVector upper = a.blend(b, bWins);
            FloatVector lower = c.blend(d, dWins);
            VectorMask<Float> lowerWins = beats(lower, upper);
            FloatVector maxLo = upper.blend(lower, lowerWins);
            FloatVector codeLo = ZERO.blend(ONE, bWins).blend(TWO.blend(THREE, dWins), lowerWins);
            r0 = FloatVector.fromArray(S, x, at + VL);
            r1 = FloatVector.fromArray(S, x, at + VL + w);
            a = r0.rearrange(FIRST);
            b = r0.rearrange(SECOND);
            c = r1.rearrange(FIRST);
            d = r1.rearrange(SECOND);
            bWins = beats(b, a);
            dWins = beats(d, c);
            upper = a.blend(b, bWins);
            lower = c.blend(d, dWins);
            lowerWins = beats(lower, upper);
            FloatVector maxHi = upper.blend(lower, lowerWins);
            FloatVector codeHi = ZERO.blend(ONE, bWins).blend(TWO.blend(THREE, dWins), lowerWins);
            FloatVector max = maxLo.rearrange(EVENS).blend(maxHi.rearrange(EVENS), UPPER);
            if (max.compare(VectorOperators.NE, max).anyTrue()) {
                break;
            }
            max.intoArray(y, o + j);
            codeLo.rearrange(EVENS).blend(codeHi.rearrange(EVENS), UPPER).intoArray(codes, j);
        }
        return j;
    }

    /** Each lane pair's window maximum (in both lanes) for the VL/2 windows whose top row starts at {@code at}. */
    private static FloatVector windowMax(float[] x, int at, int w) {
        FloatVector r0 = FloatVector.fromArray(S, x, at);
        FloatVector r1 = FloatVector.fromArray(S, x, at + w);
        FloatVector a = r0.rearrange(FIRST);
        FloatVector b = r0.rearrange(SECOND);
        FloatVector c = r1.rearrange(FIRST);
        FloatVector d = r1.rearrange(SECOND);
        FloatVector top = a.blend(b, beats(b, a));
        FloatVector bottom = c.blend(d, beats(d, c));
        return top.blend(bottom, beats(bottom, top));
    }

    /** later &gt; earlier or later is NaN (later ≠ later), per lane. */
    private static VectorMask<Float> beats(FloatVector later, FloatVector earlier) {
        return later.compare(VectorOperators.GT, earlier).or(later.compare(VectorOperators.NE, later));
    }

    /**
     * gx rows top and top + w (all w columns of both) = gy[o + m] at window m's argmax, +0 elsewhere; returns the
     * number of windows done (VL/2 per vector, stopping where a vector of gy would read past its end or a gradient
     * is NaN).
     */
    static int backwardRow(float[] gy, float[] x, int top, int w, float[] gx, int o) {
        int ow = w / 2;
        int half = VL / 2;
        int j = 0;
        for (; j + half <= ow && o + j + VL <= gy.length; j += half) {
            int at = top + 2 * j;
            FloatVector r0 = FloatVector.fromArray(S, x, at);
            FloatVector r1 = FloatVector.fromArray(S, x, at + w);
            FloatVector a = r0.rearrange(FIRST);
            FloatVector b = r0.rearrange(SECOND);
            FloatVector c = r1.rearrange(FIRST);
            FloatVector d = r1.rearrange(SECOND);
            VectorMask<Float> bWins = beats(b, a);
            VectorMask<Float> dWins = beats(d, c);
            VectorMask<Float> bottomWins = beats(c.blend(d, dWins), a.blend(b, bWins));
            FloatVector g = FloatVector.fromArray(S, gy, o + j).rearrange(HALVES);
            if (g.compare(VectorOperators.NE, g).anyTrue()) {
                break;
            }
            // lane 2m holds a (c), lane 2m+1 holds b (d): the lane is the argmax when its oddness matches the pair
            ZERO.blend(g, bottomWins.not().and(ODD.eq(bWins))).intoArray(gx, at);
            ZERO.blend(g, bottomWins.and(ODD.eq(dWins))).intoArray(gx, at + w);
        }
        return j;
    }
}
