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
 * <li>sums: the scalar loops' own. Four-lane double vectors can repeat their order (four interleaved partial
 * sums) bit for bit and ran 2-3x faster alone, but mixing those 128/256-bit shapes with the element loops' ones
 * made C2's output erratic under JDK 17: now and then a recompiled loop ran boxed, 10-60x slower (BatchNorm
 * backward 40 ms instead of 17). With one float and one double shape the timings are stable.</li>
 * </ul>
 */
final class VectorBatchNormLoops implements BatchNormLoops {
    static final VectorBatchNormLoops INSTANCE = new VectorBatchNormLoops();
    /** Element loops: as many double lanes as the machine prefers, and as many floats. */
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));

    private VectorBatchNormLoops() {
    }

    /** Whether the preferred double vector has at least four lanes (else the scalar loops are as fast). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.length() >= 4;
    }

    private static DoubleVector widen(FloatVector v) {
        return (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
    }

    private static FloatVector narrow(DoubleVector v) {
        return (FloatVector) v.convertShape(VectorOperators.D2F, F, 0);
    }

    /** g·1 or g·0 (float products) for relu &gt; 0 or not (NaN and −0 are not); F lanes. */
    private static FloatVector masked(FloatVector g, float[] relu, int j) {
        VectorMask<Float> on = FloatVector.fromArray(F, relu, j).compare(VectorOperators.GT, 0f);
        return g.mul(FloatVector.zero(F).blend(FloatVector.broadcast(F, 1f), on));
    }

    private static float masked(float[] g, float[] relu, int j) {
        return relu == null ? g[j] : g[j] * (relu[j] > 0f ? 1f : 0f);
    }

    @Override
    public double sum(float[] x, int lo, int hi) {
        return ScalarBatchNormLoops.INSTANCE.sum(x, lo, hi);
    }

    @Override
    public double squaredDeviations(float[] x, int lo, int hi, double mu) {
        return ScalarBatchNormLoops.INSTANCE.squaredDeviations(x, lo, hi, mu);
    }

    @Override
    public void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
        ScalarBatchNormLoops.INSTANCE.gradientSums(g, relu, x, lo, hi, mu, into);
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
                DoubleVector d = widen(FloatVector.fromArray(F, x, j));
                FloatVector v = narrow(d.sub(vmu).mul(vscale).add(vshift));
                v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, j); // NaN stays NaN
            }
            for (; j < hi; j++) {
                float v = (float) ((x[j] - mu) * scale + shift);
                y[j] = v <= 0f ? 0f : v;
            }
        } else {
            for (; j <= end; j += F.length()) {
                DoubleVector d = widen(FloatVector.fromArray(F, x, j));
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
                DoubleVector m = widen(FloatVector.fromArray(F, g, j));
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j)).sub(vmu);
                narrow(vscale.mul(m.sub(vmeanG).sub(xc.mul(vmeanGX)))).intoArray(gx, j);
            }
        } else {
            for (; j <= end; j += F.length()) {
                DoubleVector m = widen(masked(FloatVector.fromArray(F, g, j), relu, j));
                DoubleVector xc = widen(FloatVector.fromArray(F, x, j)).sub(vmu);
                narrow(vscale.mul(m.sub(vmeanG).sub(xc.mul(vmeanGX)))).intoArray(gx, j);
            }
        }
        for (; j < hi; j++) {
            gx[j] = (float) (scale * (masked(g, relu, j) - meanG - (x[j] - mu) * meanGX));
        }
    }
}
