package io.sipflow.autodiff.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowCopy} in whole vectors, inlined where it is called instead of a call into the JVM's copy stub per row: the
 * widest vectors from the row's start, the last one ending at the row's end (overlapping the one before when the
 * length is not a multiple of the width; the arrays differ, so the overlap writes the same values twice); rows
 * shorter than one such vector in 4-lane vectors the same way, rows shorter than 4 value by value. Padding 128
 * images of 16 × 64² this way took 24 % less time than with {@code System.arraycopy} per row (BENCHMARKS.md).
 */
final class VectorRowCopy implements RowCopy {
    static final VectorRowCopy INSTANCE = new VectorRowCopy();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> S4 = FloatVector.SPECIES_128;
    private static final int VL = S.length();
    /** The exact vector classes, cast to before each call (see {@link ConvWeightTiles#VC}). */
    private static final Class<?> SC = S.vectorType();
    private static final Class<?> S4C = S4.vectorType();

    private VectorRowCopy() {
    }

    @Override
    public void copy(float[] src, int from, float[] dst, int to, int length) {
        if (length >= VL) {
            copyWide(src, from, dst, to, length);
        } else if (length >= 4) {
            copyFour(src, from, dst, to, length);
        } else {
            for (int j = 0; j < length; j++) {
                dst[to + j] = src[from + j];
            }
        }
    }

    /** Widest vectors from the start, then one more ending at the end (length ≥ VL). */
    private static void copyWide(float[] src, int from, float[] dst, int to, int length) {
        int j = 0;
        for (; j <= length - VL; j += VL) {
            ((FloatVector) SC.cast(FloatVector.fromArray(S, src, from + j))).intoArray(dst, to + j);
        }
        if (j < length) {
            int last = length - VL;
            ((FloatVector) SC.cast(FloatVector.fromArray(S, src, from + last))).intoArray(dst, to + last);
        }
    }

    /** {@link #copyWide} in 4-lane vectors (4 ≤ length &lt; VL). */
    private static void copyFour(float[] src, int from, float[] dst, int to, int length) {
        int j = 0;
        for (; j <= length - 4; j += 4) {
            ((FloatVector) S4C.cast(FloatVector.fromArray(S4, src, from + j))).intoArray(dst, to + j);
        }
        if (j < length) {
            int last = length - 4;
            ((FloatVector) S4C.cast(FloatVector.fromArray(S4, src, from + last))).intoArray(dst, to + last);
        }
    }
}
