package io.sipflow.autodiff.backend.fast;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * {@link VectorRowCopy} writes exactly what {@code System.arraycopy} writes, raw bits compared (NaN payloads and −0
 * included), and nothing outside [to, to + length): every length from 0 to well past two vectors, so each branch
 * (value by value, 4-lane vectors, whole vectors with and without the overlapping last one) runs at any offset.
 */
class RowCopyProperties {
    @Property(tries = 300)
    void copiesWhatArraycopyCopiesAndNothingElse(@ForAll @IntRange(min = 0, max = 70) int length,
                                                 @ForAll @IntRange(min = 0, max = 40) int from,
                                                 @ForAll @IntRange(min = 0, max = 40) int to,
                                                 @ForAll @LongRange long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] src = new float[from + length + rng.nextInt(20)];
        for (int i = 0; i < src.length; i++) {
            src[i] = Float.intBitsToFloat(rng.nextInt()); // any bit pattern: NaNs with payloads, ±∞, −0, subnormals
        }
        float[] expected = new float[to + length + rng.nextInt(20)];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = Float.intBitsToFloat(rng.nextInt());
        }
        float[] actual = expected.clone();
        System.arraycopy(src, from, expected, to, length);
        VectorRowCopy.INSTANCE.copy(src, from, actual, to, length);
        assertArrayEquals(bits(expected), bits(actual), "length " + length + " from " + from + " to " + to);
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
