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
 * a NaN beats anything and nothing beats it). Forward, the even and odd columns of 2·VL input columns are packed
 * into one vector each, so one tournament decides VL windows; backward, each lane pair (2m, 2m+1) of a row vector
 * is one window's pair, its first and second elements broadcast to both lanes, so the tournament runs in both lanes
 * and each lane knows whether it holds the argmax. Written for JDK 17's C2, which compiles a mask's {@code or},
 * {@code not} and {@code test(IS_NAN)} as plain Java on boxed vectors: each "beats" is two compares ({@code >}, and
 * {@code x != x} for NaN) and two blends, not one blend on the masks' or; one tournament per method, so that C2's
 * node budget (NodeCountInliningCutoff) does not stop the inlining that turns Vector API calls into instructions; no
 * helper methods taking or returning vectors, and no static final vectors blended into a stored result (either made
 * C2 17 lose the vector's class at the store, which then ran as plain Java).
 * Only selections (blends), no arithmetic: the outputs are elements of x (or of gy and +0), bit for bit the scalar
 * loop's at any vector width. The one exception is a NaN's payload, which the Vector API's portable code may
 * canonicalise: a block whose values include a NaN is left to the caller's scalar loop (it stops before it).
 */
final class VectorMaxPool {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    /**
     * The class of {@link #S}'s vectors; every vector here is cast to it (loads, shuffles, blends, constants, stored
     * values), so that JDK 17's C2 knows the exact class when it parses each Vector API call (see
     * {@link ConvWeightTiles#VC}). Without the casts, forwardRowKeepingArgmax was now and then compiled as plain Java
     * on boxed vectors under JDK 17 with AVX2 (one JVM run in four or five: 33–46 MB more allocation per SIP step).
     */
    private static final Class<?> VC = S.vectorType();
    /** Lane i ← lane i with its low bit cleared: each pair's first element in both lanes. */
    private static final VectorShuffle<Float> FIRST = VectorShuffle.fromOp(S, i -> i & ~1);
    /** Lane i ← lane i | 1: each pair's second element in both lanes. */
    private static final VectorShuffle<Float> SECOND = VectorShuffle.fromOp(S, i -> i | 1);
    /** Lane i ← lane 2i mod VL: the even lanes packed into each half. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> (2 * i) % VL);
    /** Lane i ← lane 2i + 1 mod VL: the odd lanes packed into each half. */
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(S, i -> (2 * i + 1) % VL);
    /** Lane i ← lane ⌊i/2⌋: the first VL/2 values, each twice. */
    private static final VectorShuffle<Float> HALVES = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorMask<Float> UPPER = VectorMask.fromLong(S, ((1L << VL) - 1) & ~((1L << (VL / 2)) - 1));
    private static final VectorMask<Float> ODD = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL & ((1L << VL) - 1));

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
            FloatVector r0lo = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at));
            FloatVector r0hi = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + VL));
            FloatVector r1lo = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + w));
            FloatVector r1hi = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + w + VL));
            FloatVector a = (FloatVector) VC.cast(r0lo.rearrange(EVENS).blend(r0hi.rearrange(EVENS), UPPER));
            FloatVector b = (FloatVector) VC.cast(r0lo.rearrange(ODDS).blend(r0hi.rearrange(ODDS), UPPER));
            FloatVector c = (FloatVector) VC.cast(r1lo.rearrange(EVENS).blend(r1hi.rearrange(EVENS), UPPER));
            FloatVector d = (FloatVector) VC.cast(r1lo.rearrange(ODDS).blend(r1hi.rearrange(ODDS), UPPER));
            FloatVector upper = (FloatVector) VC.cast(a.blend(b, b.compare(VectorOperators.GT, a))
                    .blend(b, b.compare(VectorOperators.NE, b)));
            FloatVector lower = (FloatVector) VC.cast(c.blend(d, d.compare(VectorOperators.GT, c))
                    .blend(d, d.compare(VectorOperators.NE, d)));
            FloatVector max = (FloatVector) VC.cast(upper.blend(lower, lower.compare(VectorOperators.GT, upper))
                    .blend(lower, lower.compare(VectorOperators.NE, lower)));
            if (max.compare(VectorOperators.NE, max).anyTrue()) {
                break;
            }
            ((FloatVector) VC.cast(max)).intoArray(y, o + j);
        }
        return j;
    }

    /**
     * {@link #forwardRow}, and each window's argmax code 2u + v (row u, column v of its element) as a float in
     * codes[0 .. written): the tournament's masks select the code as they select the value.
     */
    static int forwardRowKeepingArgmax(float[] x, int top, int w, float[] y, int o, float[] codes) {
        int ow = w / 2;
        // broadcast here, not static final fields: JDK 17's C2 then knows the codes' vector class at their store
        FloatVector zero = (FloatVector) VC.cast(FloatVector.zero(S));
        FloatVector one = (FloatVector) VC.cast(FloatVector.broadcast(S, 1f));
        FloatVector two = (FloatVector) VC.cast(FloatVector.broadcast(S, 2f));
        FloatVector three = (FloatVector) VC.cast(FloatVector.broadcast(S, 3f));
        int j = 0;
        for (; j + VL <= ow; j += VL) {
            int at = top + 2 * j;
            FloatVector r0lo = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at));
            FloatVector r0hi = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + VL));
            FloatVector r1lo = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + w));
            FloatVector r1hi = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + w + VL));
            // lane m of a, b, c, d: window j + m's elements (a b / c d)
            FloatVector a = (FloatVector) VC.cast(r0lo.rearrange(EVENS).blend(r0hi.rearrange(EVENS), UPPER));
            FloatVector b = (FloatVector) VC.cast(r0lo.rearrange(ODDS).blend(r0hi.rearrange(ODDS), UPPER));
            FloatVector c = (FloatVector) VC.cast(r1lo.rearrange(EVENS).blend(r1hi.rearrange(EVENS), UPPER));
            FloatVector d = (FloatVector) VC.cast(r1lo.rearrange(ODDS).blend(r1hi.rearrange(ODDS), UPPER));
            VectorMask<Float> bGreater = b.compare(VectorOperators.GT, a);
            VectorMask<Float> bNaN = b.compare(VectorOperators.NE, b);
            VectorMask<Float> dGreater = d.compare(VectorOperators.GT, c);
            VectorMask<Float> dNaN = d.compare(VectorOperators.NE, d);
            FloatVector upper = (FloatVector) VC.cast(a.blend(b, bGreater).blend(b, bNaN));
            FloatVector lower = (FloatVector) VC.cast(c.blend(d, dGreater).blend(d, dNaN));
            VectorMask<Float> lowerGreater = lower.compare(VectorOperators.GT, upper);
            VectorMask<Float> lowerNaN = lower.compare(VectorOperators.NE, lower);
            FloatVector max = (FloatVector) VC.cast(upper.blend(lower, lowerGreater).blend(lower, lowerNaN));
            if (max.compare(VectorOperators.NE, max).anyTrue()) {
                break;
            }
            ((FloatVector) VC.cast(max)).intoArray(y, o + j);
            FloatVector upperCode = (FloatVector) VC.cast(zero.blend(one, bGreater).blend(one, bNaN));
            FloatVector lowerCode = (FloatVector) VC.cast(two.blend(three, dGreater).blend(three, dNaN));
            ((FloatVector) VC.cast(upperCode.blend(lowerCode, lowerGreater).blend(lowerCode, lowerNaN)))
                    .intoArray(codes, j);
        }
        return j;
    }

    /**
     * gx rows top and top + w (all w columns of both) = gy[o + m] at window m's argmax, +0 elsewhere; returns the
     * number of windows done (VL/2 per vector, stopping where a vector of gy would read past its end or a gradient
     * is NaN).
     */
    static int backwardRow(float[] gy, float[] x, int top, int w, float[] gx, int o) {
        int ow = w / 2;
        int half = VL / 2;
        FloatVector zero = (FloatVector) VC.cast(FloatVector.zero(S)); // a local, as in forwardRowKeepingArgmax
        int j = 0;
        for (; j + half <= ow && o + j + VL <= gy.length; j += half) {
            int at = top + 2 * j;
            FloatVector r0 = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at));
            FloatVector r1 = (FloatVector) VC.cast(FloatVector.fromArray(S, x, at + w));
            FloatVector a = (FloatVector) VC.cast(r0.rearrange(FIRST));
            FloatVector b = (FloatVector) VC.cast(r0.rearrange(SECOND));
            FloatVector c = (FloatVector) VC.cast(r1.rearrange(FIRST));
            FloatVector d = (FloatVector) VC.cast(r1.rearrange(SECOND));
            VectorMask<Float> bGreater = b.compare(VectorOperators.GT, a);
            VectorMask<Float> bNaN = b.compare(VectorOperators.NE, b);
            VectorMask<Float> dGreater = d.compare(VectorOperators.GT, c);
            VectorMask<Float> dNaN = d.compare(VectorOperators.NE, d);
            FloatVector upper = (FloatVector) VC.cast(a.blend(b, bGreater).blend(b, bNaN));
            FloatVector lower = (FloatVector) VC.cast(c.blend(d, dGreater).blend(d, dNaN));
            VectorMask<Float> lowerGreater = lower.compare(VectorOperators.GT, upper);
            VectorMask<Float> lowerNaN = lower.compare(VectorOperators.NE, lower);
            FloatVector g = (FloatVector) VC.cast(
                    ((FloatVector) VC.cast(FloatVector.fromArray(S, gy, o + j))).rearrange(HALVES));
            if (g.compare(VectorOperators.NE, g).anyTrue()) {
                break;
            }
            // lane 2m holds a (c), lane 2m+1 holds b (d): g goes to the even lane unless b (d) wins, else the odd
            FloatVector topPair = (FloatVector) VC.cast(g.blend(zero, bGreater).blend(zero, bNaN)
                    .blend(zero.blend(g, bGreater).blend(g, bNaN), ODD));
            FloatVector bottomPair = (FloatVector) VC.cast(g.blend(zero, dGreater).blend(zero, dNaN)
                    .blend(zero.blend(g, dGreater).blend(g, dNaN), ODD));
            ((FloatVector) VC.cast(topPair.blend(zero, lowerGreater).blend(zero, lowerNaN))).intoArray(gx, at);
            ((FloatVector) VC.cast(zero.blend(bottomPair, lowerGreater).blend(bottomPair, lowerNaN)))
                    .intoArray(gx, at + w);
        }
        return j;
    }
}
