package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU backend's {@link Backend#nonFiniteProbe} (a scan of the exponent bits) gives what the probe is defined as,
 * Σ_t Σ(0·t): 0 when every value is finite, NaN otherwise. One value, planted anywhere in any of several tensors of
 * either type, decides it; the finite extremes (the largest value, subnormals, −0) must not.
 */
class NonFiniteScanProperties {
    private static final double[] PLANTS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, -0.0, Float.MAX_VALUE, Float.MIN_VALUE, 1e300};

    @Property(tries = 200)
    void theProbeIsZeroExactlyWhenEveryValueIsFinite(@ForAll @IntRange(min = 1, max = 4) int count,
                                                      @ForAll @IntRange(min = 1, max = 300) int length,
                                                      @ForAll @IntRange(min = -1, max = 9) int plant,
                                                      @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> values = new ArrayList<>();
        List<DType> types = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] v = new double[1 + rng.nextInt(length)];
            for (int e = 0; e < v.length; e++) {
                v[e] = rng.nextGaussian() * 1e3;
            }
            values.add(v);
            types.add(rng.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64);
        }
        String at = "no value planted";
        if (plant >= 0) {
            int t = rng.nextInt(count);
            int e = rng.nextInt(values.get(t).length);
            values.get(t)[e] = PLANTS[plant];
            at = PLANTS[plant] + " at " + e + " of tensor " + t + " (" + types.get(t) + ")";
        }
        List<Tensor> tensors = new ArrayList<>();
        double definition = 0; // Σ_t Σ(0·t) in each tensor's type
        for (int i = 0; i < count; i++) {
            double[] v = values.get(i);
            tensors.add(Tensor.of(types.get(i), Shape.of(v.length), v));
            for (double x : v) {
                definition += types.get(i) == DType.FLOAT32 ? 0f * (float) x : 0.0 * x;
            }
        }
        Tensor probe = CpuBackend.instance().nonFiniteProbe(tensors);
        assertEquals(DType.FLOAT64, probe.dtype());
        assertEquals(definition, probe.item(), 0.0, at);
    }
}
