package io.sipflow.physics.train;

import io.sipflow.autodiff.Tensor;

import java.util.Locale;

/**
 * Mean ± population standard deviation (min … max) of a per-example quantity, as PhiFlow prints a batch.
 *
 * @param count the number of examples
 * @param mean the mean
 * @param std the population standard deviation (divided by count, not count − 1)
 * @param min the smallest value
 * @param max the largest value
 */
public record BatchStats(int count, double mean, double std, double min, double max) {

    /**
     * Statistics of every element of {@code perExample}.
     *
     * @param perExample one value per example (any shape), non-empty
     * @return count, mean, population standard deviation, min and max
     */
    public static BatchStats of(Tensor perExample) {
        double[] v = perExample.toDoubleArray();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            sum += d;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        double mean = sum / v.length;
        double sq = 0;
        for (double d : v) {
            sq += (d - mean) * (d - mean);
        }
        return new BatchStats(v.length, mean, Math.sqrt(sq / v.length), min, max);
    }

    /** {@return the seed's line, e.g. {@code (batch=128) 10.493 ± 6.369 (2e+00...3e+01)}} */
    public String format() {
        return String.format(Locale.ROOT, "(batch=%d) %.3f ± %.3f (%.0e...%.0e)", count, mean, std, min, max);
    }
}
