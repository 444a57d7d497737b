package io.sipflow.autodiff.backend;

/**
 * The per-block loops of {@link BatchNormKernels}, one contiguous block x[lo..hi) of one image and channel at a
 * time, on FLOAT32 arrays. Sums use four interleaved double partial sums ({@link StridedSum#sum}'s order: a fixed
 * order that breaks the add latency chain); each element is computed in double and rounded to float once.
 */
final class BatchNormLoops {
    private static final String VECTOR_LOOPS = "io.sipflow.autodiff.backend.fast.VectorBatchNormLoops";
    /** These scalar loops behind {@link BatchNormBlockLoops}: the spec the vector ones must match bit for bit. */
    static final BatchNormBlockLoops SCALAR = new Scalar();
    /**
     * The loops in use: the Vector API ones ({@link #vector()}) whenever {@link FastPath} uses the Vector API, on JDK
     * 17 as on 25 (they once made JDK 17's C2 compile the convolutions' vectors worse; with the current conv tiles the
     * whole step is faster with them on JDK 17 too, AVX2 and AVX-512: BENCHMARKS.md), else {@link #SCALAR}.
     * {@code -Dsipflow.cpu.scalarBatchNorm=true} turns them off (for timing the two against each other).
     */
    static final BatchNormBlockLoops LOOPS = choose();

    private BatchNormLoops() {
    }

    private static BatchNormBlockLoops choose() {
        if (!FastPath.usesVectorApi() || Boolean.getBoolean("sipflow.cpu.scalarBatchNorm")) {
            return SCALAR;
        }
        BatchNormBlockLoops v = vector();
        return v != null ? v : SCALAR;
    }

    /** A new instance of the Vector API loops, or null when module jdk.incubator.vector is missing. */
    static BatchNormBlockLoops vector() {
        if (!FastPath.vectorModulePresent()) {
            return null;
        }
        try {
            return (BatchNormBlockLoops) Class.forName(VECTOR_LOOPS).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("sipflow: could not load " + VECTOR_LOOPS + " (" + e + "); batch norm runs its scalar loops");
            return null;
        }
    }

    /** The static loops below as a {@link BatchNormBlockLoops}. */
    private static final class Scalar implements BatchNormBlockLoops {
        @Override
        public double sum(float[] x, int lo, int hi) {
            return BatchNormLoops.sum(x, lo, hi);
        }

        @Override
        public double squaredDeviations(float[] x, int lo, int hi, double mu) {
            return BatchNormLoops.squaredDeviations(x, lo, hi, mu);
        }

        @Override
        public void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
            BatchNormLoops.gradientSums(g, relu, x, lo, hi, mu, into);
        }

        @Override
        public void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift,
                              boolean relu) {
            BatchNormLoops.normalise(x, y, lo, hi, mu, scale, shift, relu);
        }

        @Override
        public void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu,
                                  double scale, double meanG, double meanGX) {
            BatchNormLoops.inputGradient(g, relu, x, gx, lo, hi, mu, scale, meanG, meanGX);
        }

        @Override
        public void gradientSumsRelu(float[] g, float[] x, int lo, int hi, double mu, double scale, double shift,
                                     double[] into) {
            BatchNormLoops.gradientSumsRelu(g, x, lo, hi, mu, scale, shift, into);
        }

        @Override
        public void inputGradientRelu(float[] g, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                                      double shift, double meanG, double meanGX) {
            BatchNormLoops.inputGradientRelu(g, x, gx, lo, hi, mu, scale, shift, meanG, meanGX);
        }

        @Override
        public String toString() {
            return "scalar batch norm";
        }
    }

    /** Σ x[lo..hi) in {@link StridedSum#sum}'s order: four interleaved double sums, then (s0 + s1) + (s2 + s3). */
    static double sum(float[] x, int lo, int hi) {
        return StridedSum.sum(null, x, lo, hi);
    }

    /** Σ (x[j] − μ)² over x[lo..hi), in {@link #sum}'s order. */
    static double squaredDeviations(float[] x, int lo, int hi, double mu) {
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

    /**
     * Both gradient sums over [lo..hi) in one pass, each in {@link #sum}'s order: into[0] = Σ m[j],
     * into[1] = Σ m[j]·(x[j] − μ), with m[j] as in {@link #masked}.
     */
    static void gradientSums(float[] g, float[] relu, float[] x, int lo, int hi, double mu, double[] into) {
        into[0] = sum(g, relu, lo, hi);
        into[1] = centredDot(g, relu, x, lo, hi, mu);
    }

    /**
     * y[j] = (float) ((x[j] − μ)·scale + shift) for j in [lo..hi); with {@code relu}, then y[j] &lt;= 0 ? 0 : y[j]
     * (so −0 gives +0 and NaN stays NaN, as IEEE max and PyTorch's ReLU do).
     */
    static void normalise(float[] x, float[] y, int lo, int hi, double mu, double scale, double shift, boolean relu) {
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

    /** gx[j] = (float) (scale·(m[j] − meanG − (x[j] − μ)·meanGX)) for j in [lo..hi), m[j] as in {@link #masked}. */
    static void inputGradient(float[] g, float[] relu, float[] x, float[] gx, int lo, int hi, double mu, double scale,
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
    /** 1 where the float with raw bits b is a NaN (exponent all ones, mantissa not zero), else 0. */
    private static int nan(int b) {
        return (0x7F800000 - (b & 0x7FFFFFFF)) >>> 31;
    }

    private static int positive(int b) {
        return ((-b) >>> 31) & ((b - 0x7F800001) >>> 31);
    }

    /**
     * {@link #gradientSums} with the fused ReLU's mask recomputed from x: m[j] = g[j]·[v &gt; 0] with
     * v = (float) ((x[j] − μ)·scale + shift), the float {@link #normalise} computed in the forward pass (so
     * [v &gt; 0] = [relu output &gt; 0]); both sums in {@link #sum}'s order.
     */
    static void gradientSumsRelu(float[] g, float[] x, int lo, int hi, double mu, double scale, double shift,
                                 double[] into) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        double t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        int j = lo;
        for (; j + 3 < hi; j += 4) {
            float m0 = maskedByX(g, x, j, mu, scale, shift);
            float m1 = maskedByX(g, x, j + 1, mu, scale, shift);
            float m2 = maskedByX(g, x, j + 2, mu, scale, shift);
            float m3 = maskedByX(g, x, j + 3, mu, scale, shift);
            s0 += m0;
            s1 += m1;
            s2 += m2;
            s3 += m3;
            t0 += m0 * (x[j] - mu);
            t1 += m1 * (x[j + 1] - mu);
            t2 += m2 * (x[j + 2] - mu);
            t3 += m3 * (x[j + 3] - mu);
        }
        for (; j < hi; j++) {
            float m = maskedByX(g, x, j, mu, scale, shift);
            s0 += m;
            t0 += m * (x[j] - mu);
        }
        into[0] = (s0 + s1) + (s2 + s3);
        into[1] = (t0 + t1) + (t2 + t3);
    }

    /** {@link #inputGradient} with the mask of {@link #gradientSumsRelu}; scale is also the forward's. */
    static void inputGradientRelu(float[] g, float[] x, float[] gx, int lo, int hi, double mu, double scale,
                                  double shift, double meanG, double meanGX) {
        for (int j = lo; j < hi; j++) {
            gx[j] = (float) (scale * (maskedByX(g, x, j, mu, scale, shift) - meanG - (x[j] - mu) * meanGX));
        }
    }

    /** g[j]·[v &gt; 0], v = (float) ((x[j] − μ)·scale + shift), without a branch (see {@link #masked}). */
    private static float maskedByX(float[] g, float[] x, int j, double mu, double scale, double shift) {
        return g[j] * positive(Float.floatToRawIntBits((float) ((x[j] - mu) * scale + shift)));
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
