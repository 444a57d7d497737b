package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.UpsampleRowLoops;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The upsampling row loops with the Vector API, bit for bit the plain ones ({@code UpsampleLoops}): each lane
 * computes one element's double expression with the same separately rounded products and sums in the same order
 * (no fused multiply-add), and float↔double conversions are exact one way and round once the other, as Java's
 * casts. Four double lanes (256 bits), so AVX2 and AVX-512 run the same code; the tails run the plain expressions.
 * No vector lives in a field other than the constant shuffle, a lambda or a phi of two branches.
 */
public final class VectorUpsampleLoops implements UpsampleRowLoops {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final VectorSpecies<Float> F4 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Float> F8 = FloatVector.SPECIES_256;
    private static final int L = D.length();
    /**
     * The vector classes of D, F4 and F8: every vector is cast to its class before a Vector API call on it, so that
     * C2 17 knows the exact class at parse time instead of taking it from a type profile shared with the other
     * shapes (see {@link ConvWeightTiles#VC}; without the casts these loops boxed on JDK 17 with AVX-512). Only
     * types change: the same instructions, the same bits.
     */
    private static final Class<?> DC = D.vectorType();
    private static final Class<?> F4C = F4.vectorType();
    private static final Class<?> F8C = F8.vectorType();
    /** Eight floats' four even lanes first (the upper four lanes are not read). */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromValues(F8, 0, 2, 4, 6, 0, 2, 4, 6);
    /** Eight floats' four odd lanes first. */
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromValues(F8, 1, 3, 5, 7, 1, 3, 5, 7);

    /** Creates the loops; loaded by name, so only when module {@code jdk.incubator.vector} is present. */
    public VectorUpsampleLoops() {
    }

    @Override
    public String toString() {
        return "vector upsample loops (" + L + " double lanes)";
    }

    @Override
    public void blendRows(double[] r, int r0, int r1, double a0, double a1, float[] y, int yr, int n) {
        int j = 0;
        for (; j + L <= n; j += L) {
            DoubleVector v0 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, r, r0 + j));
            DoubleVector v1 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, r, r1 + j));
            DoubleVector v = (DoubleVector) DC.cast(v0.mul(a0).add(v1.mul(a1)));
            ((FloatVector) F4C.cast(v.convertShape(VectorOperators.D2F, F4, 0))).intoArray(y, yr + j);
        }
        for (; j < n; j++) {
            y[yr + j] = (float) (a0 * r[r0 + j] + a1 * r[r1 + j]);
        }
    }

    @Override
    public void splitColumns(float[] gy, int at, double[] even, double[] odd, int w) {
        int m = 0;
        for (; m + L <= w; m += L) {
            FloatVector v = (FloatVector) F8C.cast(FloatVector.fromArray(F8, gy, at + 2 * m));
            FloatVector e = (FloatVector) F8C.cast(v.rearrange(EVENS));
            FloatVector o = (FloatVector) F8C.cast(v.rearrange(ODDS));
            ((DoubleVector) DC.cast(e.convertShape(VectorOperators.F2D, D, 0))).intoArray(even, m);
            ((DoubleVector) DC.cast(o.convertShape(VectorOperators.F2D, D, 0))).intoArray(odd, m);
        }
        for (; m < w; m++) {
            even[m] = gy[at + 2 * m];
            odd[m] = gy[at + 2 * m + 1];
        }
    }

    @Override
    public void gatherInterior(double[] even, double[] odd, double[] acc, int row, double quarter,
                               double threeQuarters, int w) {
        int m = 2;
        for (; m + L - 1 <= w - 2; m += L) {
            DoubleVector v = (DoubleVector) DC.cast(DoubleVector.fromArray(D, acc, row + m));
            DoubleVector o0 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, odd, m - 1));
            DoubleVector e0 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, even, m));
            DoubleVector o1 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, odd, m));
            DoubleVector e1 = (DoubleVector) DC.cast(DoubleVector.fromArray(D, even, m + 1));
            v = (DoubleVector) DC.cast(v.add(o0.mul(quarter)));
            v = (DoubleVector) DC.cast(v.add(e0.mul(threeQuarters)));
            v = (DoubleVector) DC.cast(v.add(o1.mul(threeQuarters)));
            v = (DoubleVector) DC.cast(v.add(e1.mul(quarter)));
            v.intoArray(acc, row + m);
        }
        for (; m <= w - 2; m++) {
            double v = acc[row + m];
            v += quarter * odd[m - 1];
            v += threeQuarters * even[m];
            v += threeQuarters * odd[m];
            v += quarter * even[m + 1];
            acc[row + m] = v;
        }
    }
}
