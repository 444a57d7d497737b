package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.BufferPool;

import java.util.concurrent.atomic.LongAdder;

/**
 * CpuBackend's fast FLOAT32 batch normalisation with batch statistics, on the raw NCHW float arrays (no
 * whole-tensor copies to double). Per channel c over M = N·H·W values:
 * <pre>
 * μ = mean(x),  σ² = mean((x − μ)²),  y = (x − μ)·γ/√(σ² + ε) + β
 * gβ = Σ g,  gγ = Σ g·x̂,  gx = γ/√(σ² + ε) · (g − gβ/M − x̂·gγ/M),   x̂ = (x − μ)/√(σ² + ε)
 * </pre>
 * Statistics and sums accumulate in double, per image block in {@link BatchNormLoops}' fixed order (run by
 * {@link BatchNormLoops#LOOPS}, the Vector API loops where available, bit for bit the scalar ones), the blocks' sums
 * then added in image order (the forward computes a channel's block sums first, several side by side); each element
 * is computed in double and rounded once. Channels run in parallel, each summed by one thread, so results do not
 * depend on the thread count. {@link ReferenceBatchNorm} is the spec these are tested against.
 */
final class BatchNormKernels {
    private static final LongAdder FORWARD = KernelCounts.counter("batch norm forward / " + BatchNormLoops.LOOPS);
    private static final LongAdder BACKWARD = KernelCounts.counter("batch norm backward / " + BatchNormLoops.LOOPS);
    private BatchNormKernels() {
    }

    /** The normalised output and the per-channel statistics it used (biased variance). */
    record Forward(float[] y, double[] mean, double[] variance) {
    }

    /** The three gradients of {@link #forward}. */
    record Backward(float[] gx, double[] gGamma, double[] gBeta) {
    }

    /**
     * With {@code relu} the output is max(y, 0) (y &lt;= 0 ? 0 : y, so −0 gives +0 and NaN stays NaN), clamped inside the
     * normalising loop instead of in a second pass over y.
     */
    static Forward forward(float[] x, int n, int c, int hw, double[] gamma, double[] beta, double eps, boolean relu) {
        return forward(x, n, c, hw, 0, gamma, beta, eps, relu, null, null, null);
    }

    /** {@link #forward} with ReLU, and the 2×2 max pooling of its output with each window's argmax code. */
    record ForwardPooled(Forward norm, float[] pooled, byte[] window) {
    }

    /**
     * {@link #forward} with relu, each (h, w) plane of y max-pooled 2×2 ({@link ImageKernels#maxPool2x2Plane}) right
     * after it is normalised, while it is still in cache, instead of in a second pass over y. h and w are even.
     */
    static ForwardPooled forwardReluPooled(float[] x, int n, int c, int h, int w, double[] gamma, double[] beta,
                                           double eps, FastKernels fast) {
        float[] pooled = BufferPool.floats(x.length / 4); // every window's maximum written
        byte[] window = BufferPool.bytes(pooled.length); // every window's code written; back when the node is freed
        Forward f = forward(x, n, c, h * w, w, gamma, beta, eps, true, pooled, window, fast);
        return new ForwardPooled(f, pooled, window);
    }

    /** The loops of both: with pooled non-null, each plane of y (rows of w) is pooled into it after normalising. */
    private static Forward forward(float[] x, int n, int c, int hw, int w, double[] gamma, double[] beta, double eps,
                                   boolean relu, float[] pooled, byte[] window, FastKernels fast) {
        FORWARD.increment();
        int count = n * hw;
        float[] y = BufferPool.floats(x.length);
        double[] mean = new double[c];
        double[] var = new double[c];
        Parallel.forRange(c, Parallel.grainFor(4L * count), (lo, hi) -> { // about four passes over a channel
            BatchNormBlockLoops loops = BatchNormLoops.LOOPS; // read from the static final: C2 knows its class
            float[] codes = pooled == null ? null : new float[w / 2];
            double[] planes = new double[n]; // image i's sum over the channel's plane, added in i order below
            for (int ch = lo; ch < hi; ch++) {
                loops.planeSums(x, ch * hw, c * hw, n, hw, planes);
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += planes[i];
                }
                double mu = s / count;
                loops.planeSquaredDeviations(x, ch * hw, c * hw, n, hw, mu, planes);
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    ss += planes[i];
                }
                mean[ch] = mu;
                var[ch] = ss / count;
                double scale = gamma[ch] * invStd(var[ch], eps);
                double shift = beta[ch];
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    loops.normalise(x, y, base, base + hw, mu, scale, shift, relu);
                    if (pooled != null) {
                        ImageKernels.maxPool2x2Plane(y, base, hw / w, w, pooled, window, base / 4, fast, codes);
                    }
                }
            }
        });
        return new Forward(y, mean, var);
    }

    /** The backward pass below with the mask (if any) read from reluOutput. */
    static Backward backward(float[] g, float[] reluOutput, float[] x, int n, int c, int hw, double[] mean,
                             double[] variance, double eps, double[] gamma) {
        return backward(g, reluOutput, x, n, c, hw, mean, variance, eps, gamma, null, null);
    }

    /** The backward pass below into a fresh gx. */
    static Backward backward(float[] g, float[] reluOutput, float[] x, int n, int c, int hw, double[] mean,
                             double[] variance, double eps, double[] gamma, double[] reluBeta) {
        return backward(g, reluOutput, x, n, c, hw, mean, variance, eps, gamma, reluBeta, null);
    }

    /**
     * The VJP of {@link #forward}. With {@code reluOutput} non-null (the output of a ReLU fused after the batch
     * norm) the incoming gradient is first masked, g ← g·[reluOutput &gt; 0] (ReLU's VJP, the same float products),
     * inside the loops, so no masked copy of g is allocated; null = no mask. With {@code reluBeta} non-null (and
     * reluOutput null) the mask of a fused ReLU is recomputed from x instead, [y &gt; 0] for the forward's
     * y = (float) ((x − μ)·γ/√(σ² + ε) + β), β = reluBeta: the same mask without reading y. gx goes into
     * {@code into} when given (g itself may be: each element of g is read before gx's is written, and a channel's
     * sums are taken before its gx is), else into a fresh array.
     */
    static Backward backward(float[] g, float[] reluOutput, float[] x, int n, int c, int hw, double[] mean,
                             double[] variance, double eps, double[] gamma, double[] reluBeta, float[] into) {
        BACKWARD.increment();
        int count = n * hw;
        float[] gx = into != null ? into : BufferPool.floats(x.length);
        double[] gGamma = new double[c];
        double[] gBeta = new double[c];
        Parallel.forRange(c, Parallel.grainFor(4L * count), (lo, hi) -> { // about four passes over a channel
            BatchNormBlockLoops loops = BatchNormLoops.LOOPS;
            double[] block = new double[2 * n]; // image i's two sums at 2i, 2i + 1, added in i order below
            double[] pair = new double[2];
            for (int ch = lo; ch < hi; ch++) {
                double mu = mean[ch];
                double invStd = invStd(variance[ch], eps);
                double scale = gamma[ch] * invStd; // also the forward's, whose ReLU mask reluBeta recomputes
                if (reluBeta != null) { // several images' planes side by side (planeGradientSumsRelu)
                    loops.planeGradientSumsRelu(g, x, ch * hw, c * hw, n, hw, mu, scale, reluBeta[ch], block);
                } else {
                    for (int i = 0; i < n; i++) {
                        int base = (i * c + ch) * hw;
                        loops.gradientSums(g, reluOutput, x, base, base + hw, mu, pair);
                        block[2 * i] = pair[0];
                        block[2 * i + 1] = pair[1];
                    }
                }
                double sumG = 0;
                double sumGX = 0;
                for (int i = 0; i < n; i++) {
                    sumG += block[2 * i];
                    sumGX += block[2 * i + 1];
                }
                sumGX *= invStd;
                gBeta[ch] = sumG;
                gGamma[ch] = sumGX;
                double meanG = sumG / count;
                double meanGX = sumGX / count * invStd;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * hw;
                    if (reluBeta != null) {
                        loops.inputGradientRelu(g, x, gx, base, base + hw, mu, scale, reluBeta[ch], meanG, meanGX);
                    } else {
                        loops.inputGradient(g, reluOutput, x, gx, base, base + hw, mu, scale, meanG, meanGX);
                    }
                }
            }
        });
        return new Backward(gx, gGamma, gBeta);
    }

    /** 1/√(σ² + ε): forward and backward compute it from the same double, so they agree bit for bit. */
    static double invStd(double variance, double eps) {
        return 1.0 / Math.sqrt(variance + eps);
    }
}
