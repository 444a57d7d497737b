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
            DoubleVector v = DoubleVector.fromArray(D, r, r0 + j).mul(a0).add(DoubleVector.fromArray(D, r, r1 + j).mul(a1));
            ((FloatVector) v.convertShape(VectorOperators.D2F, F4, 0)).intoArray(y, yr + j);
        }
        for (; j < n; j++) {
            y[yr + j] = (float) (a0 * r[r0 + j] + a1 * r[r1 + j]);
        }
    }

    @Override
    public void splitColumns(float[] gy, int at, double[] even, double[] odd, int w) {
        int m = 0;
        for (; m + L <= w; m += L) {
            FloatVector v = FloatVector.fromArray(F8, gy, at + 2 * m);
            ((DoubleVector) v.rearrange(EVENS).convertShape(VectorOperators.F2D, D, 0)).intoArray(even, m);
            ((DoubleVector) v.rearrange(ODDS).convertShape(VectorOperators.F2D, D, 0)).intoArray(odd, m);
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
            DoubleVector v = DoubleVector.fromArray(D, acc, row + m);
            v = v.add(DoubleVector.fromArray(D, odd, m - 1).mul(quarter));
            v = v.add(DoubleVector.fromArray(D, even, m).mul(threeQuarters));
            v = v.add(DoubleVector.fromArray(D, odd, m).mul(threeQuarters));
            v = v.add(DoubleVector.fromArray(D, even, m + 1).mul(quarter));
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
