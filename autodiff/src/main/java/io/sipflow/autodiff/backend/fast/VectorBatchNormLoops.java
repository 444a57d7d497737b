package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.BatchNormLoops;
import io.sipflow.autodiff.backend.ScalarBatchNormLoops;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BatchNormLoops} with the Vector API, bit for bit equal to {@link ScalarBatchNormLoops}:
 * <ul>
 * <li>element loops: load floats, widen to double (exact), the same double operations in the same order as the
 * scalar expression (separate mul and add, never fma; IEEE results do not depend on the lane), narrow with
 * round-to-nearest as the (float) cast does. The fused ReLU is a compare and blend (y &gt; 0 ? y : 0), the ReLU
 * mask the float product g·1 or g·0, as in the scalar loops;</li>
 * <li>sums: the scalar loops keep four interleaved partial sums, element lo + 4t + k going to sum k in order of t;
 * here the four sums are the four lanes of one 256-bit double vector that adds 4 widened floats per step, so each
 * lane sees the same additions in the same order; the tail and the final (s0 + s1) + (s2 + s3) are scalar.</li>
 * </ul>
 */
final class VectorBatchNormLoops implements BatchNormLoops {
    static final VectorBatchNormLoops INSTANCE = new VectorBatchNormLoops();
    /** Element loops: as many double lanes as the machine prefers, and as many floats. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** Sums: exactly four lanes, the four partial sums of the scalar order. */
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;

    private VectorBatchNormLoops() {
    }

    /** Whether the preferred double vector has the four lanes the sums need, so none runs on a slow emulation. */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.length() >= 4;
    }

    private static DoubleVector widen(FloatVector v, VectorSpecies<Double> to) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, to, 0);
    }

    private static FloatVector narrow(DoubleVector v) {
        return (FloatVector) v.convertShape(VectorOperators.D2F, F, 0);
    }

    /** g·1 or g·0 (float products) for relu &gt; 0 or not (NaN and −0 are not); F lanes. */
    private static FloatVector masked(FloatVector g, float[] relu, int j) {
        VectorMask<Float> on = FloatVector.fromArray(F, relu, j).compare(VectorOperators.GT, 0f);
        return g.mul(FloatVector.zero(F).blend(FloatVector.broadcast(F, 1f), on));
    }

    /** As {@link #masked(FloatVector, float[], int)}, F4 lanes. */
    private static FloatVector masked4(FloatVector g, float[] relu, int j) {
        VectorMask<Float> on = FloatVector.fromArray(F4, relu, j).compare(VectorOperators.GT, 0f);
        return g.mul(FloatVector.zero(F4).blend(FloatVector.broadcast(F4, 1f), on));
    }

    private static float masked(float[] g, float[] relu, int j) {
        return relu == null ? g[j] : g[j] * (relu[j] > 0f ? 1f : 0f);
    }

    @Override
    public double sum(float[] x, int lo, int hi) {
        DoubleVector acc = DoubleVector.zero(D4);
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            acc = acc.add(widen(FloatVector.fromArray(F4, x, j), D4));
        }
        double s0 = acc.lane(0);
        for (; j < hi; j++) {
            s0 += x[j];
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }

    @Override
    public double squaredDeviations(float[] x, int lo, int hi, double mu) {
        DoubleVector acc = DoubleVector.zero(D4);
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            DoubleVector d = widen(FloatVector.fromArray(F4, x, j), D4).sub(mu);
            acc = acc.add(d.mul(d));
        }
        double s0 = acc.lane(0);
        for (; j < hi; j++) {
            double d = x[j] - mu;
            s0 += d * d;
        }
        return (s0 + acc.lane(1)) + (acc.lane(2) + acc.lane(3));
    }

    @Override
    public void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
        // two methods rather than two loops in one: after an if/else the accumulators would be phis of two
        // vectors, which C2 boxes (it ran 4x slower once inlined into BatchNormKernels' channel loop)
        if (relu == null) {
            plainGradientSums(g, x, lo, hi, mu, into);
        } else {
            maskedGradientSums(g, relu, x, lo, hi, mu, into);
        }
    }

    private static void plainGradientSums(float[] g, float[] x, int lo, int hi, double mu, double[] into) {
        DoubleVector accG = DoubleVector.zero(D4);
        DoubleVector accGX = DoubleVector.zero(D4);
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            DoubleVector m = widen(FloatVector.fromArray(F4, g, j), D4);
            accG = accG.add(m);
            accGX = accGX.add(m.mul(widen(FloatVector.fromArray(F4, x, j), D4).sub(mu)));
        }
        finishGradientSums(accG, accGX, g, null, x, j, hi, mu, into);
    }

    private static void maskedGradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu,
                                           double[] into) {
        DoubleVector accG = DoubleVector.zero(D4);
        DoubleVector accGX = DoubleVector.zero(D4);
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            DoubleVector m = widen(masked4(FloatVector.fromArray(F4, g, j), relu, j), D4);
            accG = accG.add(m);
            accGX = accGX.add(m.mul(widen(FloatVector.fromArray(F4, x, j), D4).sub(mu)));
        }
        finishGradientSums(accG, accGX, g, relu, x, j, hi, mu, into);
    }

    /** The scalar tail [j, hi) into lane 0, then (s0 + s1) + (s2 + s3) for both sums. */
    private static void finishGradientSums(DoubleVector accG, DoubleVector accGX, float[] g, float[] relu, float[] x,
                                           int j, int hi, double mu, double[] into) {
        double g0 = accG.lane(0);
        double gx0 = accGX.lane(0);
        for (int k = j; k < hi; k++) {
            g0 += masked(g, relu, k);
        }
        for (int k = j; k < hi; k++) {
            gx0 += masked(g, relu, k) * (x[k] - mu);
        }
        into[0] = (g0 + accG.lane(1)) + (accG.lane(2) + accG.lane(3));
        into[1] = (gx0 + accGX.lane(1)) + (accGX.lane(2) + accGX.lane(3));
    }

    @Override
    public void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu) {
        DoubleVector vmu = DoubleVector.broadcast(D, mu);
        DoubleVector vscale = DoubleVector.broadcast(D, scale);
        DoubleVector vshift = DoubleVector.broadcast(D, shift);
        int j = lo;
        int end = hi - F.length();
        if (relu) {
            FloatVector zero = FloatVector.zero(F);
            for (; j <= end; j += F.length()) {
                DoubleVector d = widen(FloatVector.fromArray(F, x, j), D);
                FloatVector v = narrow(d.sub(vmu).mul(vscale).add(vshift));
                zero.blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, j);
            }
            for (; j < hi; j++) {
                float v = (float) ((x[j] - mu) * scale + shift);
                y[j] = v > 0f ? v : 0f;
            }
        } else {
            for (; j <= end; j += F.length()) {
                DoubleVector d = widen(FloatVector.fromArray(F, x, j), D);
                narrow(d.sub(vmu).mul(vscale).add(vshift)).intoArray(y, j);
            }
            for (; j < hi; j++) {
                y[j] = (float) ((x[j] - mu) * scale + shift);
            }
        }
    }

    @Override
    public void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                              double meanG, double meanGX) {
        DoubleVector vmu = DoubleVector.broadcast(D, mu);
        DoubleVector vscale = DoubleVector.broadcast(D, scale);
        DoubleVector vmeanG = DoubleVector.broadcast(D, meanG);
        DoubleVector vmeanGX = DoubleVector.broadcast(D, meanGX);
        int j = lo;
        int end = hi - F.length();
        // scale·((m − meanG) − (x − μ)·meanGX), scale on the left as in the scalar expression
        if (relu == null) {
            for (; j <= end; j += F.length()) {
                DoubleVector m = widen(FloatVector.fromArray(F, g, j), D);
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j), D).sub(vmu);
                narrow(vscale.mul(m.sub(vmeanG).sub(xc.mul(vmeanGX)))).intoArray(gx, j);
            }
        } else {
            for (; j <= end; j += F.length()) {
                DoubleVector m = widen(masked(FloatVector.fromArray(F, g, j), relu, j), D);
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j), D).sub(vmu);
                narrow(vscale.mul(m.sub(vmeanG).sub(xc.mul(vmeanGX)))).intoArray(gx, j);
            }
        }
        for (; j < hi; j++) {
            gx[j] = (float) (scale * (masked(g, relu, j) - meanG - (x[j] - mu) * meanGX));
        }
    }
}
