package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.BatchNormBlockLoops;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The batch-norm block loops with the Vector API, bit for bit the scalar ones ({@code BatchNormLoops}). Sums keep the
 * scalar order by holding the four interleaved double partial sums s0..s3 as the four lanes of one 256-bit
 * DoubleVector (lane k adds x[lo + 4i + k], as s_k does), then combining lanes as (s0 + s1) + (s2 + s3) after the
 * scalar tail went into s0. (One such chain is still bound by the add latency, as the four scalar ones are, but the
 * load, widening and add take one instruction each per four elements instead of four.) Element-wise loops
 * compute each element in double lanes (no fused multiply-add: the Vector API rounds each mul and add, as Java does)
 * and round to float once.
 * <p>No vector lives in a field, a lambda or a phi of two branches (C2 would box it: an earlier vectorised batch norm
 * made the whole training step 7× slower that way); the ReLU and no-ReLU cases are separate loops.
 */
public final class VectorBatchNormLoops implements BatchNormBlockLoops {
    /** Four doubles: the four partial sums. */
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    /** The widest doubles, for element-wise loops, and the floats with as many lanes. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    /**
     * The vector classes of the four species: every vector is cast to its class before a Vector API call on it
     * (loads, conversions, loop-carried accumulators), so that C2 17 knows the exact class at parse time instead of
     * taking it from a type profile shared with the other shapes (see {@link ConvWeightTiles#VC}; without the casts
     * gradientSumsRelu and squares2 boxed on JDK 17 with AVX-512). Only types change: the same instructions, the same
     * bits.
     */
    private static final Class<?> D4C = D4.vectorType();
    private static final Class<?> F4C = F4.vectorType();
    private static final Class<?> DC = D.vectorType();
    private static final Class<?> FC = F.vectorType();

    /** Creates the loops; loaded by name, so only when module {@code jdk.incubator.vector} is present. */
    public VectorBatchNormLoops() {
    }

    @Override
    public String toString() {
        return "vector batch norm (" + D.length() + " double lanes)";
    }

    private static DoubleVector widen4(float[] a, int j) {
        FloatVector f = (FloatVector) F4C.cast(FloatVector.fromArray(F4, a, j));
        return (DoubleVector) D4C.cast(f.convertShape(VectorOperators.F2D, D4, 0));
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) DC.cast(((FloatVector) FC.cast(v)).convertShape(VectorOperators.F2D, D, 0));
    }

    private static FloatVector narrow(DoubleVector v) {
        return (FloatVector) FC.cast(((DoubleVector) DC.cast(v)).convertShape(VectorOperators.D2F, F, 0));
    }

    @Override
    public double sum(float[] x, int lo, int hi) {
        return sumRange(x, lo, hi);
    }

    /** {@link #sum}'s loop, static for {@link #planeSums(float[], int, int, int, int, double[], int)}. */
    private static double sumRange(float[] x, int lo, int hi) {
        DoubleVector s = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            s = ((DoubleVector) D4C.cast(s)).add(widen4(x, j));
        }
        s = (DoubleVector) D4C.cast(s);
        double s0 = s.lane(0), s1 = s.lane(1), s2 = s.lane(2), s3 = s.lane(3);
        for (; j < hi; j++) {
            s0 += x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double squaredDeviations(float[] x, int lo, int hi, double mu) {
        DoubleVector s = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            DoubleVector d = widen4(x, j).sub(mu);
            s = ((DoubleVector) D4C.cast(s)).add(d.mul(d));
        }
        s = (DoubleVector) D4C.cast(s);
        double s0 = s.lane(0), s1 = s.lane(1), s2 = s.lane(2), s3 = s.lane(3);
        for (; j < hi; j++) {
            double d = x[j] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Four planes' sums side by side: four independent chains of 256-bit adds instead of one, so the loop runs at the
     * add throughput (or the memory's) instead of the add latency; each plane's lanes get exactly its own values in
     * {@link #sum}'s order.
     */
    @Override
    public void planeSums(float[] x, int first, int stride, int count, int len, double[] into) {
        planeSums(x, first, stride, count, len, into, 0);
    }

    /**
     * into[at + i] = Σ x[first + i·stride .. + len) for planes i &lt; count, each in {@link #sum}'s order; four planes
     * side by side, so their add chains overlap. The weight gradient's bias sums ({@link VectorConvWeight}) use it too.
     */
    static void planeSums(float[] x, int first, int stride, int count, int len, double[] into, int at) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            sums4(x, first + i * stride, stride, len, into, at + i);
        }
        for (; i < count; i++) {
            int lo = first + i * stride;
            into[at + i] = sumRange(x, lo, lo + len);
        }
    }

    /**
     * into[at + k] = sum of x[b0 + k·stride ..) over len values, k = 0..3. A small method of its own: called once per
     * four planes, C2 compiles it whole early instead of running the hot loop in an on-stack-replacement compile
     * (where the accumulators can end up boxed: that made the forward up to 3× slower in some runs).
     */
    private static void sums4(float[] x, int b0, int stride, int len, double[] into, int at) {
        int b1 = b0 + stride;
        int b2 = b1 + stride;
        int b3 = b2 + stride;
        DoubleVector s0 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector s1 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector s2 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector s3 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 = ((DoubleVector) D4C.cast(s0)).add(widen4(x, b0 + j));
            s1 = ((DoubleVector) D4C.cast(s1)).add(widen4(x, b1 + j));
            s2 = ((DoubleVector) D4C.cast(s2)).add(widen4(x, b2 + j));
            s3 = ((DoubleVector) D4C.cast(s3)).add(widen4(x, b3 + j));
        }
        s0 = (DoubleVector) D4C.cast(s0);
        s1 = (DoubleVector) D4C.cast(s1);
        s2 = (DoubleVector) D4C.cast(s2);
        s3 = (DoubleVector) D4C.cast(s3);
        into[at] = sumTail(s0.lane(0), s0.lane(1), s0.lane(2), s0.lane(3), x, b0 + j, b0 + len);
        into[at + 1] = sumTail(s1.lane(0), s1.lane(1), s1.lane(2), s1.lane(3), x, b1 + j, b1 + len);
        into[at + 2] = sumTail(s2.lane(0), s2.lane(1), s2.lane(2), s2.lane(3), x, b2 + j, b2 + len);
        into[at + 3] = sumTail(s3.lane(0), s3.lane(1), s3.lane(2), s3.lane(3), x, b3 + j, b3 + len);
    }

    /** The scalar tail x[j..hi) into s0, then (s0 + s1) + (s2 + s3), as {@link #sum} ends. */
    private static double sumTail(double s0, double s1, double s2, double s3, float[] x, int j, int hi) {
        for (; j < hi; j++) {
            s0 += x[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Two planes side by side, as {@link #planeSums} (four made C2 on JDK 17 box the accumulators in some runs). */
    @Override
    public void planeSquaredDeviations(float[] x, int first, int stride, int count, int len, double mu,
                                       double[] into) {
        int i = 0;
        for (; i + 1 < count; i += 2) {
            squares2(x, first + i * stride, stride, len, mu, into, i);
        }
        for (; i < count; i++) {
            int lo = first + i * stride;
            into[i] = squaredDeviations(x, lo, lo + len, mu);
        }
    }

    /** into[at + k] = squared deviations of x[b0 + k·stride ..) over len values, k = 0, 1 (see {@link #sums4}). */
    private static void squares2(float[] x, int b0, int stride, int len, double mu, double[] into, int at) {
        int b1 = b0 + stride;
        DoubleVector s0 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector s1 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = 0;
        for (; j + 3 < len; j += 4) {
            DoubleVector d0 = widen4(x, b0 + j).sub(mu);
            DoubleVector d1 = widen4(x, b1 + j).sub(mu);
            s0 = ((DoubleVector) D4C.cast(s0)).add(d0.mul(d0));
            s1 = ((DoubleVector) D4C.cast(s1)).add(d1.mul(d1));
        }
        s0 = (DoubleVector) D4C.cast(s0);
        s1 = (DoubleVector) D4C.cast(s1);
        into[at] = squaresTail(s0.lane(0), s0.lane(1), s0.lane(2), s0.lane(3), x, b0 + j, b0 + len, mu);
        into[at + 1] = squaresTail(s1.lane(0), s1.lane(1), s1.lane(2), s1.lane(3), x, b1 + j, b1 + len, mu);
    }

    /** The scalar tail of {@link #squaredDeviations} into s0, then (s0 + s1) + (s2 + s3). */
    private static double squaresTail(double s0, double s1, double s2, double s3, float[] x, int j, int hi,
                                      double mu) {
        for (; j < hi; j++) {
            double d = x[j] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
        DoubleVector s = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector t = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = lo;
        if (relu == null) {
            for (; j + 3 < hi; j += 4) {
                DoubleVector m = widen4(g, j);
                s = ((DoubleVector) D4C.cast(s)).add(m);
                t = ((DoubleVector) D4C.cast(t)).add(m.mul(widen4(x, j).sub(mu)));
            }
        } else {
            FloatVector one = (FloatVector) F4C.cast(FloatVector.broadcast(F4, 1f));
            FloatVector zero = (FloatVector) F4C.cast(FloatVector.zero(F4));
            for (; j + 3 < hi; j += 4) {
                // g·[relu > 0] as ReLU's VJP computes it: a float product with 1 or 0 (so −0 for g < 0, NaN for ±∞·0)
                FloatVector r = (FloatVector) F4C.cast(FloatVector.fromArray(F4, relu, j));
                FloatVector gv = (FloatVector) F4C.cast(FloatVector.fromArray(F4, g, j));
                FloatVector mf = (FloatVector) F4C.cast(gv.mul(zero.blend(one, r.compare(VectorOperators.GT, 0f))));
                DoubleVector m = (DoubleVector) D4C.cast(mf.convertShape(VectorOperators.F2D, D4, 0));
                s = ((DoubleVector) D4C.cast(s)).add(m);
                t = ((DoubleVector) D4C.cast(t)).add(m.mul(widen4(x, j).sub(mu)));
            }
        }
        s = (DoubleVector) D4C.cast(s);
        double s0 = s.lane(0), s1 = s.lane(1), s2 = s.lane(2), s3 = s.lane(3);
        t = (DoubleVector) D4C.cast(t);
        double t0 = t.lane(0), t1 = t.lane(1), t2 = t.lane(2), t3 = t.lane(3);
        for (; j < hi; j++) {
            float m = masked(g, relu, j);
            s0 += m;
            t0 += m * (x[j] - mu);
        }
        into[0] = (s0 + s1) + (s2 + s3);
        into[1] = (t0 + t1) + (t2 + t3);
    }

    @Override
    public void gradientSumsRelu(float[] g, float[] x, int lo, int hi, double mu, double scale, double shift,
                                 double[] into) {
        DoubleVector s = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector t = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector one = (DoubleVector) D4C.cast(DoubleVector.broadcast(D4, 1.0));
        DoubleVector zero = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            // The forward's ReLU output y > 0 exactly where its float v = (float) ((x − μ)·scale + shift) is, i.e.
            // where the double d before rounding is > 2^−150 (half the least float, which rounds to even 0). And
            // the double product of widened g with 1 or 0 is the widened float product g·1f or g·0f.
            DoubleVector xc = widen4(x, j).sub(mu);
            DoubleVector d = xc.mul(scale).add(shift);
            DoubleVector m = widen4(g, j).mul(zero.blend(one, d.compare(VectorOperators.GT, 0x1p-150)));
            s = ((DoubleVector) D4C.cast(s)).add(m);
            t = ((DoubleVector) D4C.cast(t)).add(m.mul(xc));
        }
        s = (DoubleVector) D4C.cast(s);
        double s0 = s.lane(0), s1 = s.lane(1), s2 = s.lane(2), s3 = s.lane(3);
        t = (DoubleVector) D4C.cast(t);
        double t0 = t.lane(0), t1 = t.lane(1), t2 = t.lane(2), t3 = t.lane(3);
        for (; j < hi; j++) {
            float m = BatchNormBlockLoops.reluMasked(g[j], x[j], mu, scale, shift);
            s0 += m;
            t0 += m * (x[j] - mu);
        }
        into[0] = (s0 + s1) + (s2 + s3);
        into[1] = (t0 + t1) + (t2 + t3);
    }

    /**
     * Two planes side by side, as {@link #planeSquaredDeviations}: four independent add chains (two per plane)
     * instead of two, each plane's lanes getting exactly its own values in {@link #gradientSumsRelu}'s order.
     */
    @Override
    public void planeGradientSumsRelu(float[] g, float[] x, int first, int stride, int count, int len, double mu,
                                      double scale, double shift, double[] into) {
        int i = 0;
        for (; i + 1 < count; i += 2) {
            gradientSumsRelu2(g, x, first + i * stride, stride, len, mu, scale, shift, into, 2 * i);
        }
        double[] block = new double[2];
        for (; i < count; i++) {
            int lo = first + i * stride;
            gradientSumsRelu(g, x, lo, lo + len, mu, scale, shift, block);
            into[2 * i] = block[0];
            into[2 * i + 1] = block[1];
        }
    }

    /**
     * into[at + 2k], into[at + 2k + 1] = {@link #gradientSumsRelu} of the plane at b0 + k·stride over len values,
     * k = 0, 1 (a method of its own, as {@link #sums4}).
     */
    private static void gradientSumsRelu2(float[] g, float[] x, int b0, int stride, int len, double mu, double scale,
                                          double shift, double[] into, int at) {
        int b1 = b0 + stride;
        DoubleVector s0 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector t0 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector s1 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector t1 = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        DoubleVector one = (DoubleVector) D4C.cast(DoubleVector.broadcast(D4, 1.0));
        DoubleVector zero = (DoubleVector) D4C.cast(DoubleVector.zero(D4));
        int j = 0;
        for (; j + 3 < len; j += 4) { // each plane as in gradientSumsRelu
            DoubleVector xc0 = widen4(x, b0 + j).sub(mu);
            DoubleVector d0 = xc0.mul(scale).add(shift);
            DoubleVector m0 = widen4(g, b0 + j).mul(zero.blend(one, d0.compare(VectorOperators.GT, 0x1p-150)));
            DoubleVector xc1 = widen4(x, b1 + j).sub(mu);
            DoubleVector d1 = xc1.mul(scale).add(shift);
            DoubleVector m1 = widen4(g, b1 + j).mul(zero.blend(one, d1.compare(VectorOperators.GT, 0x1p-150)));
            s0 = ((DoubleVector) D4C.cast(s0)).add(m0);
            t0 = ((DoubleVector) D4C.cast(t0)).add(m0.mul(xc0));
            s1 = ((DoubleVector) D4C.cast(s1)).add(m1);
            t1 = ((DoubleVector) D4C.cast(t1)).add(m1.mul(xc1));
        }
        s0 = (DoubleVector) D4C.cast(s0);
        t0 = (DoubleVector) D4C.cast(t0);
        s1 = (DoubleVector) D4C.cast(s1);
        t1 = (DoubleVector) D4C.cast(t1);
        gradientTail(s0.lane(0), s0.lane(1), s0.lane(2), s0.lane(3), t0.lane(0), t0.lane(1), t0.lane(2), t0.lane(3),
                g, x, b0 + j, b0 + len, mu, scale, shift, into, at);
        gradientTail(s1.lane(0), s1.lane(1), s1.lane(2), s1.lane(3), t1.lane(0), t1.lane(1), t1.lane(2), t1.lane(3),
                g, x, b1 + j, b1 + len, mu, scale, shift, into, at + 2);
    }

    /** The scalar tail of {@link #gradientSumsRelu} into s0 and t0, then both sums into into[at], into[at + 1]. */
    private static void gradientTail(double s0, double s1, double s2, double s3, double t0, double t1, double t2,
                                     double t3, float[] g, float[] x, int j, int hi, double mu, double scale,
                                     double shift, double[] into, int at) {
        for (; j < hi; j++) {
            float m = BatchNormBlockLoops.reluMasked(g[j], x[j], mu, scale, shift);
            s0 += m;
            t0 += m * (x[j] - mu);
        }
        into[at] = (s0 + s1) + (s2 + s3);
        into[at + 1] = (t0 + t1) + (t2 + t3);
    }

    @Override
    public void inputGradientRelu(float[] g, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                                  double shift, double meanG, double meanGX) {
        DoubleVector one = (DoubleVector) DC.cast(DoubleVector.broadcast(D, 1.0));
        DoubleVector zero = (DoubleVector) DC.cast(DoubleVector.zero(D));
        int j = lo;
        for (int end = hi - F.length(); j <= end; j += F.length()) {
            DoubleVector xc = widen(FloatVector.fromArray(F, x, j)).sub(mu);
            DoubleVector d = xc.mul(scale).add(shift); // the mask as in gradientSumsRelu
            DoubleVector m = widen(FloatVector.fromArray(F, g, j)).mul(zero.blend(one,
                    d.compare(VectorOperators.GT, 0x1p-150)));
            narrow(m.sub(meanG).sub(xc.mul(meanGX)).mul(scale)).intoArray(gx, j);
        }
        for (; j < hi; j++) {
            float m = BatchNormBlockLoops.reluMasked(g[j], x[j], mu, scale, shift);
            gx[j] = (float) (scale * (m - meanG - (x[j] - mu) * meanGX));
        }
    }

    /** g[j], or g[j]·[relu[j] &gt; 0] (the float product with 1 or 0), for the scalar tails. */
    private static float masked(float[] g, float[] relu, int j) {
        return relu == null ? g[j] : g[j] * (relu[j] > 0f ? 1f : 0f);
    }

    @Override
    public void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu) {
        int j = lo;
        if (relu) {
            FloatVector zero = (FloatVector) FC.cast(FloatVector.zero(F));
            for (int end = hi - F.length(); j <= end; j += F.length()) {
                FloatVector v = narrow(widen(FloatVector.fromArray(F, x, j)).sub(mu).mul(scale).add(shift));
                // −0 gives +0, NaN stays NaN
                ((FloatVector) FC.cast(v.blend(zero, v.compare(VectorOperators.LE, 0f)))).intoArray(y, j);
            }
            for (; j < hi; j++) {
                float v = (float) ((x[j] - mu) * scale + shift);
                y[j] = v <= 0f ? 0f : v;
            }
        } else {
            for (int end = hi - F.length(); j <= end; j += F.length()) {
                narrow(widen(FloatVector.fromArray(F, x, j)).sub(mu).mul(scale).add(shift)).intoArray(y, j);
            }
            for (; j < hi; j++) {
                y[j] = (float) ((x[j] - mu) * scale + shift);
            }
        }
    }

    @Override
    public void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                              double meanG, double meanGX) {
        int j = lo;
        if (relu == null) {
            for (int end = hi - F.length(); j <= end; j += F.length()) {
                DoubleVector m = widen(FloatVector.fromArray(F, g, j));
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j)).sub(mu);
                narrow(m.sub(meanG).sub(xc.mul(meanGX)).mul(scale)).intoArray(gx, j);
            }
        } else {
            FloatVector one = (FloatVector) FC.cast(FloatVector.broadcast(F, 1f));
            FloatVector zero = (FloatVector) FC.cast(FloatVector.zero(F));
            for (int end = hi - F.length(); j <= end; j += F.length()) {
                FloatVector r = (FloatVector) FC.cast(FloatVector.fromArray(F, relu, j));
                FloatVector gv = (FloatVector) FC.cast(FloatVector.fromArray(F, g, j));
                FloatVector mf = gv.mul(zero.blend(one, r.compare(VectorOperators.GT, 0f)));
                DoubleVector m = widen(mf);
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j)).sub(mu);
                narrow(m.sub(meanG).sub(xc.mul(meanGX)).mul(scale)).intoArray(gx, j);
            }
        }
        for (; j < hi; j++) {
            gx[j] = (float) (scale * (masked(g, relu, j) - meanG - (x[j] - mu) * meanGX));
        }
    }
}
