package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;

/**
 * FLOAT32 gradient of conv2d with respect to its weights, on {@link PaddedImage}s:
 * <pre>
 * gw[o, t] = Σ_n Σ_q gyq[n, o, q] · xpad[n, q + off[t]]        gyq = gy laid out at q = i·wp + j, 0 for j ≥ w
 * </pre>
 * in the order {@link SumOrder} fixes: images in chunks of about {@value SumOrder#Q_PER_CHUNK} output positions (one
 * 64×64 image, many 8×8 ones); per chunk, register tiles of 4 outputs × {@link #TN} taps hold vectors of partial
 * sums, logical lane l of {@value SumOrder#LANES} summing the q ≡ l (mod 16) in image and q order; at the end of the
 * chunk the 16 lanes are added in lane order into double, and the chunks in chunk order. A 512-bit vector holds all
 * 16 lanes; narrower ones take LANES / VL passes over q, pass r holding lanes r·VL … r·VL + VL − 1 (on AVX2 two
 * passes with the same 8 accumulators, the second reading the q block the first left in cache). So the result is the
 * same bits at any thread count, at any vector width, and in {@link ScalarConv#backwardWeight}.
 */
final class VectorConvWeight {
    private static final int VL = VectorConv.VL;
    private static final int LANES = SumOrder.LANES;
    /** Passes over q per block: each holds VL of the 16 logical lanes. */
    private static final int PASSES = LANES / VL;
    /** Taps per register tile of 4 outputs: 6 where vectors are 512 bits wide, 2 on narrower ones. */
    private static final int TN = VL >= 16 ? 6 : 2;
    /**
     * Output positions per block of q, about (blocks of equal length, each a multiple of LANES): the tiles there were
     * bound by streaming whole images from L2 for every tile; with several passes per block (narrower vectors),
     * blocks long enough that each pass's loop runs a few dozen iterations measured best (BENCHMARKS.md). With
     * 512-bit vectors, images of more than {@value #WHOLE_IMAGE_MAX} positions (64×64: 4224) in blocks of this
     * length measured 3–9 % faster than whole images, smaller ones (32×32: 1088) 5–15 % slower, so those stay
     * whole. The block only regroups the work: each lane's sum keeps its order.
     */
    private static final int Q_BLOCK = 1024;
    /** With 512-bit vectors, images of at most this many positions run whole ({@link #Q_BLOCK}). */
    private static final int WHOLE_IMAGE_MAX = 2048;

    private VectorConvWeight() {
    }

    static float[] backwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding) {
        return backwardWeight(gy, x, n, c, h, wd, o, k, padding, null);
    }

    /**
     * {@link #backwardWeight}, and with {@code gb} non-null the bias gradient gb[oc] = Σ_n Σ_(i,j) gy[n, oc, i, j]
     * too, in the order of {@code StridedSum} (per image a plane sum of
     * {@link VectorBatchNormLoops#planeSums(float[], int, int, int, int, double[], int)}, the images added in order
     * from 0 in double, rounded once): each image's planes are summed right after they were laid out, while they are
     * in cache, instead of in a pass of their own over gy.
     */
    static float[] backwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding, float[] gb) {
        return backwardWeight(gy, ConvInput.of(x, c), n, h, wd, o, k, padding, gb);
    }

    /** {@link #backwardWeight(float[], float[], int, int, int, int, int, int, Padding, float[])} for any input. */
    static float[] backwardWeight(float[] gy, ConvInput input, int n, int h, int wd, int o, int k, Padding padding,
                                  float[] gb) {
        return backwardWeight(gy, input, n, h, wd, o, k, padding, gb, null);
    }

    /**
     * {@link #backwardWeight(float[], ConvInput, int, int, int, int, int, Padding, float[])}, running the images of
     * {@code data} (the data gradient of the same gy, or null) right before each image's gradient is laid out: gy
     * is then read from memory once for both gradients, the layout finding it in cache.
     */
    static float[] backwardWeight(float[] gy, ConvInput input, int n, int h, int wd, int o, int k, Padding padding,
                                  float[] gb, VectorConv.Pass data) {
        int c = input.channels();
        double[] planeSums = gb == null ? null : new double[n * o];
        PaddedImage g = new PaddedImage(c, h, wd, k, LANES, VectorRowCopy.INSTANCE);
        int oPad = (o + 3) / 4 * 4;
        int tPad = (g.taps + TN - 1) / TN * TN;
        int[] off = g.tapOffsets(tPad);
        int grain = SumOrder.imagesPerChunk(g.qLen);
        int chunks = Parallel.chunkCount(n, grain);
        // Chunk c's sums at partial[c·stride …]: the calling thread's buffer, each chunk writing only its own part;
        // their total at partial[chunks·stride …].
        int stride = oPad * tPad;
        double[] partial = Scratch.doubles(Scratch.CHUNK_SUMS, (chunks + 1) * stride);
        Parallel.forChunks(n, grain, (chunk, lo, hi) -> {
            int images = hi - lo;
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, images * g.length);
            float[] gq = Scratch.floats(Scratch.PADDED_GRADIENT, images * oPad * g.qLen);
            for (int img = lo; img < hi; img++) {
                if (data != null) {
                    data.image(img);
                }
                input.pad(g, img, padding, xp, (img - lo) * g.length);
                layOutGradient(gy, img, o, oPad, h, wd, g, gq, (img - lo) * oPad * g.qLen);
                if (planeSums != null) {
                    VectorBatchNormLoops.planeSums(gy, img * o * h * wd, h * wd, o, h * wd, planeSums, img * o);
                }
            }
            // Every tile's lane sums at once, so q can run in blocks: on AVX2 a block's gradient rows and input
            // spans stay in cache for all tiles and passes. Each lane still sums its terms in image and q order.
            // The chunk's last pass over a tile leaves its lane sums final, and in L1: they are added up right then.
            float[] tmp = Scratch.floats(Scratch.LANE_SUMS, oPad * tPad * LANES);
            java.util.Arrays.fill(tmp, 0, oPad * tPad * LANES, 0f);
            int blocks = VL >= 16 && g.qLen <= WHOLE_IMAGE_MAX ? 1 : (g.qLen + Q_BLOCK - 1) / Q_BLOCK;
            int block = (g.qLen / blocks + LANES - 1) / LANES * LANES;
            int acc = chunk * stride;
            java.util.Arrays.fill(partial, acc, acc + stride, 0.0);
            for (int m = 0; m < images; m++) {
                for (int qb = 0; qb < g.qLen; qb += block) {
                    int qe = Math.min(g.qLen, qb + block);
                    boolean last = m == images - 1 && qe == g.qLen;
                    for (int o0 = 0; o0 < oPad; o0 += 4) {
                        for (int t0 = 0; t0 < tPad; t0 += TN) {
                            int at = (o0 * tPad + 4 * t0) * LANES;
                            tiles(gq, m * oPad * g.qLen + o0 * g.qLen, xp, m * g.length, qb, qe, off, t0, tmp, at);
                            if (last) {
                                addLanes(tmp, at, partial, acc, o0, t0, tPad);
                            }
                        }
                    }
                }
            }
        });
        // The chunks' sums added in chunk order, every (oc, t) at once: one sum at a time ran at the latency of
        // its chain of dependent additions (128 chunks at 64×64).
        int total = chunks * stride;
        java.util.Arrays.fill(partial, total, total + stride, 0.0);
        for (int chunk = 0; chunk < chunks; chunk++) {
            int from = chunk * stride;
            for (int i = 0; i < stride; i++) {
                partial[total + i] += partial[from + i];
            }
        }
        float[] gw = new float[o * g.taps];
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < g.taps; t++) {
                gw[oc * g.taps + t] = (float) partial[total + oc * tPad + t];
            }
        }
        if (gb != null) {
            for (int oc = 0; oc < o; oc++) {
                double s = 0;
                for (int img = 0; img < n; img++) {
                    s += planeSums[img * o + oc];
                }
                gb[oc] = (float) s;
            }
        }
        return gw;
    }

    /**
     * One tile's passes over block [qb, qe): pass r holds lanes r·VL … r·VL + VL − 1.
     */
    private static void tiles(float[] gq, int tileBase, float[] xp, int x0, int qb, int qe, int[] off, int t0,
                              float[] tmp, int at) {
        for (int pass = 0; pass < PASSES; pass++) {
            int qFrom = qb + pass * VL;
            int g4 = tileBase - 3 * (qFrom & (LANES - 1));
            if (TN == 6) {
                ConvWeightTiles.tile4x6(gq, g4, xp, x0, qFrom, qe, off, t0, tmp, at + pass * VL);
            } else {
                ConvWeightTiles.tile4x2(gq, g4, xp, x0, qFrom, qe, off, t0, tmp, at + pass * VL);
            }
        }
    }

    /**
     * The gradient of image img laid out for the tiles at {@code at}: per tile of 4 outputs o0..o0+3, the 4·qLen
     * values in groups of 16 positions, output by output: gy[img, o0 + i, q] (q = r·wp + j) at
     * o0·qLen + 64·⌊q/16⌋ + 16·i + q mod 16; 0 in the thrown-away columns and rows, and for outputs past o. Each
     * output's rows are first copied into one plane of qLen positions in q order, whose thrown-away positions are
     * zeroed once per image and never written; the plane then goes to its groups as whole vectors: one copy call per
     * row and one vector copy per group, where the direct way took a copy for each row's part-groups at both ends and
     * a fill for its 2p thrown-away columns. (Not faster in the layer: this pass is the first read of gy from memory,
     * and that read is its time.)
     */
    private static void layOutGradient(float[] gy, int img, int o, int oPad, int h, int wd, PaddedImage g,
                                       float[] gq, int at) {
        float[] plane = Scratch.floats(Scratch.GRADIENT_PLANE, g.qLen);
        java.util.Arrays.fill(plane, 0, g.qLen, 0f);
        for (int oc = 0; oc < oPad; oc++) {
            int tileAt = at + (oc & ~3) * g.qLen + (oc & 3) * LANES;
            if (oc < o) {
                int src = (img * o + oc) * h * wd;
                for (int r = 0; r < h; r++) {
                    VectorRowCopy.INSTANCE.copy(gy, src + r * wd, plane, r * g.wp, wd);
                }
            } else if (oc == o) {
                java.util.Arrays.fill(plane, 0, g.qLen, 0f); // the outputs past o: zeros
            }
            for (int q = 0; q < g.qLen; q += LANES) { // qLen is a whole number of groups
                for (int v = 0; v < LANES; v += VL) {
                    ((FloatVector) ConvWeightTiles.VC.cast(FloatVector.fromArray(VectorConv.S, plane, q + v)))
                            .intoArray(gq, tileAt + 4 * q + v);
                }
            }
        }
    }

    /**
     * sums[acc + (o0 + i)·tPad + t0 + j] += the 16 lanes of tile accumulator (i, j) at tmp[at ..], added in lane
     * order. Eight accumulators at a time, as eight independent chains: one accumulator's sum is a chain of 16
     * dependent double additions, and one at a time (as before) ran at that chain's latency, about 4 cycles per
     * addition (12 % of the weight gradient at 64×64, where every image is a chunk). Each chain is the same sum.
     */
    private static void addLanes(float[] tmp, int at, double[] sums, int acc, int o0, int t0, int tPad) {
        for (int a = 0; a < 4 * TN; a += 8) { // 4·TN is 24 or 8
            int f = at + a * LANES;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            double s4 = 0;
            double s5 = 0;
            double s6 = 0;
            double s7 = 0;
            for (int l = 0; l < LANES; l++) {
                s0 += tmp[f + l];
                s1 += tmp[f + LANES + l];
                s2 += tmp[f + 2 * LANES + l];
                s3 += tmp[f + 3 * LANES + l];
                s4 += tmp[f + 4 * LANES + l];
                s5 += tmp[f + 5 * LANES + l];
                s6 += tmp[f + 6 * LANES + l];
                s7 += tmp[f + 7 * LANES + l];
            }
            sums[acc + sumIndex(a, o0, t0, tPad)] += s0;
            sums[acc + sumIndex(a + 1, o0, t0, tPad)] += s1;
            sums[acc + sumIndex(a + 2, o0, t0, tPad)] += s2;
            sums[acc + sumIndex(a + 3, o0, t0, tPad)] += s3;
            sums[acc + sumIndex(a + 4, o0, t0, tPad)] += s4;
            sums[acc + sumIndex(a + 5, o0, t0, tPad)] += s5;
            sums[acc + sumIndex(a + 6, o0, t0, tPad)] += s6;
            sums[acc + sumIndex(a + 7, o0, t0, tPad)] += s7;
        }
    }

    /** Where accumulator a = TN·i + j of the tile at (o0, t0) adds its sum: (o0 + i)·tPad + t0 + j. */
    private static int sumIndex(int a, int o0, int t0, int tPad) {
        return (o0 + a / TN) * tPad + t0 + a % TN;
    }
}
