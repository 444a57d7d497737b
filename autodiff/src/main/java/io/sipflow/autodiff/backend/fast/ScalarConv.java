package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ChannelSink;
import io.sipflow.autodiff.backend.Parallel;

import java.util.Arrays;

/**
 * The FLOAT32 convolutions of {@link VectorConv} and {@link VectorConvWeight} in plain Java, the same float
 * operations in the same order, so a JVM without the Vector API gets the same bits:
 * <pre>
 * forward:        y[o, q]  = fma(xpad[q + off[T−1]], W[o, T−1], … fma(xpad[q + off[0]], W[o, 0], b[o]))
 * backward-data:  forward on the {@link AdjointWeights}
 * backward-weight: {@link SumOrder}: 16 logical lanes of float FMA chains per chunk of images, lanes and then
 *                 chunks added in order in double
 * </pre>
 * on the same {@link PaddedImage} layout (q = i·wp + j). Each position's chain is independent of the others', so
 * the loops run tap by tap over a whole row of positions (which C2 can vectorise without changing any value).
 */
final class ScalarConv {
    private ScalarConv() {
    }

    /** {@link VectorConv#forward}, or with {@code init} non-null its accumulate form (no bias; result into init). */
    static float[] forward(float[] x, float[] w, float[] bias, float[] init, int n, int c, int h, int wd, int o,
                           int k, Padding padding) {
        return forward(ConvInput.of(x, c), w, bias, init, null, n, h, wd, o, k, padding);
    }

    /**
     * {@link VectorConv#forward(ConvInput, float[], float[], int, int, int, int, int, Padding)}, or accumulating
     * (init non-null), or with outputs [o − rest.channels(), o) handed to {@code rest} image by image (rest non-null,
     * init null; the result then holds the others).
     */
    static float[] forward(ConvInput input, float[] w, float[] bias, float[] init, ChannelSink rest, int n, int h,
                           int wd, int o, int k, Padding padding) {
        int c = input.channels();
        PaddedImage g = new PaddedImage(c, h, wd, k, 1);
        int[] off = g.tapOffsets(g.taps);
        int positions = h * g.wp;
        int kept = rest == null ? o : o - rest.channels();
        float[] y = init != null ? init : BufferPool.floats(n * kept * h * wd);
        Parallel.forRange(n, 1, (lo, hi) -> {
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, g.length);
            float[] acc = Scratch.floats(Scratch.OUTPUT_ROWS, positions);
            float[] image = rest == null ? y : Scratch.floats(Scratch.IMAGE_OUTPUT, o * h * wd);
            for (int img = lo; img < hi; img++) {
                input.pad(g, img, padding, xp, 0);
                for (int oc = 0; oc < o; oc++) {
                    int yPlane = (rest == null ? img * o + oc : oc) * h * wd;
                    if (init != null) {
                        for (int i = 0; i < h; i++) {
                            System.arraycopy(y, yPlane + i * wd, acc, i * g.wp, wd);
                        }
                    } else {
                        Arrays.fill(acc, 0, positions, bias == null ? 0f : bias[oc]);
                    }
                    for (int t = 0; t < off.length; t++) {
                        float wv = w[oc * g.taps + t];
                        int d = off[t];
                        for (int q = 0; q < positions; q++) {
                            acc[q] = Math.fma(xp[q + d], wv, acc[q]);
                        }
                    }
                    for (int i = 0; i < h; i++) {
                        System.arraycopy(acc, i * g.wp, image, yPlane + i * wd, wd);
                    }
                }
                if (rest != null) {
                    System.arraycopy(image, 0, y, img * kept * h * wd, kept * h * wd);
                    rest.accept(img, image, kept * h * wd);
                }
            }
        });
        return y;
    }

    static float[] backwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k, Padding padding) {
        return forward(gy, AdjointWeights.of(w, o, c, k), null, null, n, o, h, wd, c, k, padding);
    }

    /** {@link VectorConv#backwardData(float[], float[], ChannelSink, int, int, int, int, int, int, Padding)}. */
    static float[] backwardData(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o, int k,
                                Padding padding) {
        return forward(ConvInput.of(gy, o), AdjointWeights.of(w, o, c, k), null, null, rest, n, h, wd, c, k,
                padding);
    }

    /** {@link VectorConvWeight#backwardWeight}: gw[o, t] = Σ_n Σ_q gyq[n, o, q] · xpad[n, q + off[t]]. */
    static float[] backwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding) {
        return backwardWeight(gy, ConvInput.of(x, c), n, h, wd, o, k, padding);
    }

    /** {@link #backwardWeight} for an input with computed channels ({@link ConvInput}). */
    static float[] backwardWeight(float[] gy, ConvInput input, int n, int h, int wd, int o, int k, Padding padding) {
        int c = input.channels();
        int lanes = SumOrder.LANES;
        PaddedImage g = new PaddedImage(c, h, wd, k, lanes);
        int[] off = g.tapOffsets(g.taps);
        int grain = SumOrder.imagesPerChunk(g.qLen);
        int chunks = Parallel.chunkCount(n, grain);
        int stride = o * g.taps;
        double[] partial = Scratch.doubles(Scratch.CHUNK_SUMS, chunks * stride); // chunk c's sums at c·stride
        Parallel.forChunks(n, grain, (chunk, lo, hi) -> {
            int images = hi - lo;
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, images * g.length);
            float[] gq = Scratch.floats(Scratch.PADDED_GRADIENT, images * o * g.qLen);
            for (int img = lo; img < hi; img++) {
                input.pad(g, img, padding, xp, (img - lo) * g.length);
                layOutGradient(gy, img, o, h, wd, g, gq, (img - lo) * o * g.qLen);
            }
            float[] lane = new float[lanes];
            int acc = chunk * stride;
            Arrays.fill(partial, acc, acc + stride, 0.0);
            for (int oc = 0; oc < o; oc++) {
                for (int t = 0; t < g.taps; t++) {
                    Arrays.fill(lane, 0f);
                    for (int m = 0; m < images; m++) {
                        int gRow = (m * o + oc) * g.qLen;
                        int xRow = m * g.length + off[t];
                        for (int q = 0; q < g.qLen; q += lanes) {
                            for (int l = 0; l < lanes; l++) {
                                lane[l] = Math.fma(gq[gRow + q + l], xp[xRow + q + l], lane[l]);
                            }
                        }
                    }
                    double s = 0;
                    for (int l = 0; l < lanes; l++) {
                        s += lane[l];
                    }
                    partial[acc + oc * g.taps + t] += s;
                }
            }
        });
        float[] gw = new float[o * g.taps];
        for (int i = 0; i < gw.length; i++) {
            double s = 0;
            for (int chunk = 0; chunk < chunks; chunk++) {
                s += partial[chunk * stride + i];
            }
            gw[i] = (float) s;
        }
        return gw;
    }

    /** gq[o, i·wp + j] = gy[img, o, i, j] for j &lt; w, at {@code at}; zero in the thrown-away columns and rows. */
    private static void layOutGradient(float[] gy, int img, int o, int h, int wd, PaddedImage g, float[] gq, int at) {
        Arrays.fill(gq, at, at + o * g.qLen, 0f);
        for (int oc = 0; oc < o; oc++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(gy, ((img * o + oc) * h + i) * wd, gq, at + oc * g.qLen + i * g.wp, wd);
            }
        }
    }
}
