package io.sipflow.autodiff.backend;

/**
 * The reference {@link BatchNormLoops}: plain Java, and the fallback when the Vector API is missing or
 * {@code -Dsipflow.cpu.scalar=true}. Sums use four interleaved double partial sums (a fixed order that breaks the
 * add latency chain); each element is computed in double and rounded to float once.
 */
public final class ScalarBatchNormLoops implements BatchNormLoops {
    public static final ScalarBatchNormLoops INSTANCE = new ScalarBatchNormLoops();

    private ScalarBatchNormLoops() {
    }

    @Override
    public double sum(float[] x, int lo, int hi) {
        return StridedSum.sum(null, x, lo, hi);
    }

    @Override
    public double squaredDeviations(float[] x, int lo, int hi, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            double d0 = x[j] - mu, d1 = x[j + 1] - mu, d2 = x[j + 2] - mu, d3 = x[j + 3] - mu;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; j < hi; j++) {
            double d = x[j] - mu;
            s0 += d * d;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
        into[0] = sum(g, relu, lo, hi);
        into[1] = centredDot(g, relu, x, lo, hi, mu);
    }

    @Override
    public void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu) {
        if (relu) {
            for (int j = lo; j < hi; j++) {
                // v > 0 ? v : 0 without a branch (a ReLU's signs mispredict half the time): keep v's bits where
                // positive(b) is 1 (exactly where v > 0, see masked), else the bits of +0
                int b = Float.floatToRawIntBits((float) ((x[j] - mu) * scale + shift));
                y[j] = Float.intBitsToFloat(b & -(positive(b) | nan(b))); // and NaN stays NaN, as IEEE max
            }
        } else {
            for (int j = lo; j < hi; j++) {
                y[j] = (float) ((x[j] - mu) * scale + shift);
            }
        }
    }

    @Override
    public void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                              double meanG, double meanGX) {
        for (int j = lo; j < hi; j++) {
            gx[j] = (float) (scale * (masked(g, relu, j) - meanG - (x[j] - mu) * meanGX));
        }
    }

    /**
     * g[j], or g[j]·[relu[j] &gt; 0] when a fused ReLU's output is given: exactly ReLU's VJP product (g·1 or g·0,
     * so −0 where g &lt; 0). The mask is computed without a branch: for the ~50/50 pattern of a ReLU a branch
     * mispredicts so often that the fused loops ran at half speed. With b the raw bits of relu[j],
     * relu[j] &gt; 0 ⇔ 0 &lt; b ≤ 0x7F800000 (positive and not NaN; −0 is Integer.MIN_VALUE), and
     * (−b) &gt;&gt;&gt; 31 is 1 exactly for b &gt; 0 (and for MIN_VALUE), (b − 0x7F800001) &gt;&gt;&gt; 31 is 1
     * exactly for b ≤ 0x7F800000 (and 0 for MIN_VALUE, which wraps).
     */
    private static float masked(float[] g, float[] relu, int j) {
        if (relu == null) {
            return g[j];
        }
        return g[j] * positive(Float.floatToRawIntBits(relu[j]));
    }

    /** 1 where the float with raw bits b is &gt; 0, else 0 (see {@link #masked}). */
    private static int positive(int b) {
        return ((-b) >>> 31) & ((b - 0x7F800001) >>> 31);
    }

    /** 1 where the float with raw bits b is a NaN (exponent all ones, mantissa not zero), else 0. */
    private static int nan(int b) {
        return (0x7F800000 - (b & 0x7FFFFFFF)) >>> 31;
    }

    /** Σ g[j] (masked) over one block, four interleaved double sums. */
    private static double sum(float[] g, float[] relu, int lo, int hi) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            s0 += masked(g, relu, j);
            s1 += masked(g, relu, j + 1);
            s2 += masked(g, relu, j + 2);
            s3 += masked(g, relu, j + 3);
        }
        for (; j < hi; j++) {
            s0 += masked(g, relu, j);
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** Σ g[j]·(x[j] − μ) (g masked) over one block, four interleaved double sums. */
    private static double centredDot(float[] g, float[] relu, float[] x, int lo, int hi, double mu) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            s0 += masked(g, relu, j) * (x[j] - mu);
            s1 += masked(g, relu, j + 1) * (x[j + 1] - mu);
            s2 += masked(g, relu, j + 2) * (x[j + 2] - mu);
            s3 += masked(g, relu, j + 3) * (x[j + 3] - mu);
        }
        for (; j < hi; j++) {
            s0 += masked(g, relu, j) * (x[j] - mu);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
