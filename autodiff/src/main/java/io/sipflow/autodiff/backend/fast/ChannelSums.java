package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Sums of whole planes of floats in double, each in the order of {@code StridedSum.sum} (and of the batch-norm
 * loops' {@code sum}): value lo + 4i + k goes to partial sum s_k, the tail (len mod 4 values) to s0, then
 * (s0 + s1) + (s2 + s3). One plane's four partial sums are the four lanes of a 256-bit vector, as in
 * {@link VectorBatchNormLoops#sum}; four planes run side by side, so the four add chains overlap instead of one
 * waiting on its own latency.
 */
final class ChannelSums {
    private static final VectorSpecies<Double> D4 = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    /** The vector classes of D4 and F4: casts to them give C2 17 the exact class (see {@link ConvWeightTiles#VC}). */
    private static final Class<?> D4C = D4.vectorType();
    private static final Class<?> F4C = F4.vectorType();

    private ChannelSums() {
    }

    /** out[at + p] = Σ x[base + p·stride .. + len) for planes p &lt; planes. */
    static void planes(float[] x, int base, int stride, int planes, int len, double[] out, int at) {
        int p = 0;
        for (; p + 4 <= planes; p += 4) {
            four(x, base + p * stride, stride, len, out, at + p);
        }
        for (; p < planes; p++) {
            four(x, base + p * stride, 0, len, out, at + p); // the same plane four times; the first is kept
        }
    }

    private static DoubleVector widen4(float[] a, int j) {
        FloatVector f = (FloatVector) F4C.cast(FloatVector.fromArray(F4, a, j));
        return (DoubleVector) D4C.cast(f.convertShape(VectorOperators.F2D, D4, 0));
    }

    /** Four planes at b, b + stride, b + 2·stride, b + 3·stride into out[at ..]; with stride 0 only out[at]. */
    private static void four(float[] x, int b, int stride, int len, double[] out, int at) {
        DoubleVector s0 = DoubleVector.zero(D4);
        DoubleVector s1 = DoubleVector.zero(D4);
        DoubleVector s2 = DoubleVector.zero(D4);
        DoubleVector s3 = DoubleVector.zero(D4);
        int b1 = b + stride;
        int b2 = b + 2 * stride;
        int b3 = b + 3 * stride;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 = ((DoubleVector) D4C.cast(s0)).add(widen4(x, b + j));
            s1 = ((DoubleVector) D4C.cast(s1)).add(widen4(x, b1 + j));
            s2 = ((DoubleVector) D4C.cast(s2)).add(widen4(x, b2 + j));
            s3 = ((DoubleVector) D4C.cast(s3)).add(widen4(x, b3 + j));
        }
        // the lanes leave as doubles: a vector passed to a method C2 does not inline is boxed (allocated)
        s0 = (DoubleVector) D4C.cast(s0);
        s1 = (DoubleVector) D4C.cast(s1);
        s2 = (DoubleVector) D4C.cast(s2);
        s3 = (DoubleVector) D4C.cast(s3);
        out[at] = finish(s0.lane(0), s0.lane(1), s0.lane(2), s0.lane(3), x, b, j, len);
        if (stride != 0) {
            out[at + 1] = finish(s1.lane(0), s1.lane(1), s1.lane(2), s1.lane(3), x, b1, j, len);
            out[at + 2] = finish(s2.lane(0), s2.lane(1), s2.lane(2), s2.lane(3), x, b2, j, len);
            out[at + 3] = finish(s3.lane(0), s3.lane(1), s3.lane(2), s3.lane(3), x, b3, j, len);
        }
    }

    /** The tail x[b + j .. b + len) into lane 0 (s0), then the lanes as (s0 + s1) + (s2 + s3). */
    private static double finish(double s0, double s1, double s2, double s3, float[] x, int b, int j, int len) {
        for (; j < len; j++) {
            s0 += x[b + j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
