package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ReLU, maximum, max-reduce and max-pool let a NaN through, as IEEE 754's maximum and PyTorch do: a NaN that a
 * ReLU turned into 0 would hide a diverged network behind finite outputs. Both types, sizes that take the
 * Vector API paths and their scalar tails.
 */
class NanPropagationProperties {
    /** (2, 3, 8, 8) values in [−1, 1) with NaNs (and ±∞) at random places. */
    private static Tensor withNans(long seed, boolean float32, int nans) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[2 * 3 * 8 * 8];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        for (int k = 0; k < nans; k++) {
            v[r.nextInt(v.length)] = k % 5 == 4 ? Double.NEGATIVE_INFINITY : Double.NaN;
        }
        Tensor t = Tensor.wrap(Shape.of(2, 3, 8, 8), v);
        return float32 ? t.to(io.sipflow.autodiff.DType.FLOAT32) : t;
    }

    @Property(tries = 30)
    void reluKeepsNanAndClampsEverythingElse(@ForAll long seed, @ForAll boolean float32,
                                             @ForAll @IntRange(min = 1, max = 20) int nans) {
        Tensor x = withNans(seed, float32, nans);
        Tensor y = x.relu();
        for (int i = 0; i < x.size(); i++) {
            double a = x.getFlat(i);
            double expected = Double.isNaN(a) ? Double.NaN : a <= 0 ? 0 : a;
            assertEquals(expected, y.getFlat(i), 0.0, "relu at " + i + " of " + a);
        }
    }

    @Property(tries = 30)
    void maximumAndMaxReducePropagateNan(@ForAll long seed, @ForAll boolean float32,
                                         @ForAll @IntRange(min = 1, max = 20) int nans) {
        Tensor x = withNans(seed, float32, nans);
        Tensor zero = Tensor.full(x.dtype(), x.shape(), 0.0);
        Tensor m = x.maximum(zero);
        for (int i = 0; i < x.size(); i++) {
            assertEquals(Double.isNaN(x.getFlat(i)), Double.isNaN(m.getFlat(i)), "maximum at " + i);
        }
        assertTrue(Double.isNaN(x.max().item()), "max over a tensor holding NaN");
    }

    @Property(tries = 30)
    void maxPoolWindowIsNanIffItHoldsOne(@ForAll long seed, @ForAll boolean float32,
                                         @ForAll @IntRange(min = 1, max = 20) int nans) {
        Tensor x = withNans(seed, float32, nans);
        Tensor y = ImageOps.maxPool2d(x, 2);
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    boolean any = false;
                    for (int u = 0; u < 2; u++) {
                        for (int v = 0; v < 2; v++) {
                            any |= Double.isNaN(x.getFlat(p * 64 + (2 * i + u) * 8 + 2 * j + v));
                        }
                    }
                    assertEquals(any, Double.isNaN(y.getFlat(p * 16 + i * 4 + j)), "window " + p + "," + i + "," + j);
                }
            }
        }
    }
}
