package io.sipflow.physics.cli;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Mean, sample standard deviation and 95 % Student-t confidence interval of one number measured over several
 * seeds: mean ± t(0.975, n − 1)·s/√n, with s the sample standard deviation (n − 1 in the denominator). The same
 * interval of per-seed differences (SIP − GD on one seed) is the paired comparison: methods that share seeds
 * share their weight initialisation and data, so the difference removes that variation.
 *
 * @param n the number of values
 * @param mean their mean
 * @param std their sample standard deviation (NaN for n = 1)
 * @param low the interval's lower end (NaN for n = 1)
 * @param high the interval's upper end (NaN for n = 1)
 */
record SeedStatistics(int n, double mean, double std, double low, double high) {
    /** The confidence level of every interval. */
    static final double LEVEL = 0.95;

    /** The statistics of {@code values} (at least one). */
    static SeedStatistics of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("SeedStatistics: no values");
        }
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new SeedStatistics(1, mean, Double.NaN, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(ss / (n - 1));
        double half = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - LEVEL) / 2) * std / Math.sqrt(n);
        return new SeedStatistics(n, mean, std, mean - half, mean + half);
    }

    /** Whether the interval lies entirely below ({@code < 0}) or above ({@code > 0}) zero; 0 when it holds zero. */
    int sign() {
        return high < 0 ? -1 : low > 0 ? 1 : 0;
    }
}
