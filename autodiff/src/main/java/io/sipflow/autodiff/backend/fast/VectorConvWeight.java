package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

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
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    private static final int LANES = SumOrder.LANES;
    /** Passes over q per block: each holds VL of the 16 logical lanes. */
    private static final int PASSES = LANES / VL;
    /**
     * Taps per register tile: 4 × 4 accumulators where vectors are 512 bits wide (32 registers), 4 × 2 on narrower
     * ones (AVX2's 16 registers; as for {@link VectorConv#NR}).
     */
    private static final int TN = VL >= 16 ? 4 : 2;
    /**
     * Output positions per block of q on narrower vectors (a multiple of LANES): the 4×2 tiles there were bound by
     * streaming whole images from L2 for every tile; with several passes per block, blocks long enough that each
     * pass's loop runs a few dozen iterations measured best (BENCHMARKS.md). With 512-bit vectors whole images (no
     * blocking) measured best. The block only regroups the work: each lane's sum keeps its order.
     */
    private static final int Q_BLOCK = VL >= 16 ? Integer.MAX_VALUE : 1024;

    private VectorConvWeight() {
    }

    static float[] backwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding) {
        PaddedImage g = new PaddedImage(c, h, wd, k, LANES);
        int oPad = (o + 3) / 4 * 4;
        int tPad = (g.taps + TN - 1) / TN * TN;
        int[] off = g.tapOffsets(tPad);
        int grain = SumOrder.imagesPerChunk(g.qLen);
        int chunks = Parallel.chunkCount(n, grain);
        double[][] partial = new double[chunks][];
        Parallel.forChunks(n, grain, (chunk, lo, hi) -> {
            int images = hi - lo;
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, images * g.length);
            float[] gq = Scratch.floats(Scratch.PADDED_GRADIENT, images * oPad * g.qLen);
            for (int img = lo; img < hi; img++) {
                g.pad(x, img * c * h * wd, padding, xp, (img - lo) * g.length);
                layOutGradient(gy, img, o, oPad, h, wd, g, gq, (img - lo) * oPad * g.qLen);
            }
            // Every tile's lane sums at once, so q can run in blocks: on AVX2 a block's gradient rows and input
            // spans stay in cache for all tiles and passes. Each lane still sums its terms in image and q order.
            float[] tmp = Scratch.floats(Scratch.LANE_SUMS, oPad * tPad * LANES);
            java.util.Arrays.fill(tmp, 0, oPad * tPad * LANES, 0f);
            int block = Math.min(g.qLen, Q_BLOCK);
            for (int m = 0; m < images; m++) {
                for (int qb = 0; qb < g.qLen; qb += block) {
                    int qe = Math.min(g.qLen, qb + block);
                    for (int o0 = 0; o0 < oPad; o0 += 4) {
                        int g0 = m * oPad * g.qLen + o0 * g.qLen;
                        for (int t0 = 0; t0 < tPad; t0 += TN) {
                            int at = (o0 * tPad + 4 * t0) * LANES;
                            for (int pass = 0; pass < PASSES; pass++) {
                                if (TN == 4) {
                                    tile(gq, g0, xp, m * g.length, qb + pass * VL, qe, g.qLen, off, t0, tmp,
                                            at + pass * VL);
                                } else {
                                    tile2(gq, g0, xp, m * g.length, qb + pass * VL, qe, g.qLen, off, t0, tmp,
                                            at + pass * VL);
                                }
                            }
                        }
                    }
                }
            }
            double[] acc = new double[oPad * tPad];
            for (int o0 = 0; o0 < oPad; o0 += 4) {
                for (int t0 = 0; t0 < tPad; t0 += TN) {
                    addLanes(tmp, (o0 * tPad + 4 * t0) * LANES, acc, o0, t0, tPad);
                }
            }
            partial[chunk] = acc;
        });
        float[] gw = new float[o * g.taps];
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < g.taps; t++) {
                double s = 0;
                for (double[] p : partial) {
                    s += p[oc * tPad + t];
                }
                gw[oc * g.taps + t] = (float) s;
            }
        }
        return gw;
    }

    /** acc[o0 + i, t0 + j] += the 16 lanes of tile accumulator (i, j) at tmp[at ..], added in lane order. */
    private static void addLanes(float[] tmp, int at, double[] acc, int o0, int t0, int tPad) {
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < TN; j++) {
                double s = 0;
                int from = at + (TN * i + j) * LANES;
                for (int l = 0; l < LANES; l++) {
                    s += tmp[from + l];
                }
                acc[(o0 + i) * tPad + t0 + j] += s;
            }
        }
    }

    /** gq[o, i·wp + j] = gy[img, o, i, j] for j &lt; w, at {@code at}; zero in the thrown-away columns and rows. */
    private static void layOutGradient(float[] gy, int img, int o, int oPad, int h, int wd, PaddedImage g,
                                       float[] gq, int at) {
        java.util.Arrays.fill(gq, at, at + oPad * g.qLen, 0f);
        for (int oc = 0; oc < o; oc++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(gy, ((img * o + oc) * h + i) * wd, gq, at + oc * g.qLen + i * g.wp, wd);
            }
        }
    }

    /**
     * tmp[at + 16·(4i + j) + l] += Σ_{q = qFrom + l + 16·s &lt; qTo} gq[g0 + i·qLen + q] · xp[x0 + q + off[t0 + j]] for
     * the VL lanes l of one pass (the caller offsets qFrom and at by the pass's first lane): one image's share of a
     * 4×4 tile, in 16 vector accumulators loaded from and stored back to {@code tmp} (one flat loop: C2 keeps the
     * vectors in registers).
     */
    private static void tile(float[] gq, int g0, float[] xp, int x0, int qFrom, int qTo, int qLen,
                              int[] off, int t0, float[] tmp, int at) {
        FloatVector a00 = FloatVector.fromArray(S, tmp, at), a01 = FloatVector.fromArray(S, tmp, at + LANES);
        FloatVector a02 = FloatVector.fromArray(S, tmp, at + 2 * LANES), a03 = FloatVector.fromArray(S, tmp, at + 3 * LANES);
        FloatVector a10 = FloatVector.fromArray(S, tmp, at + 4 * LANES), a11 = FloatVector.fromArray(S, tmp, at + 5 * LANES);
        FloatVector a12 = FloatVector.fromArray(S, tmp, at + 6 * LANES), a13 = FloatVector.fromArray(S, tmp, at + 7 * LANES);
        FloatVector a20 = FloatVector.fromArray(S, tmp, at + 8 * LANES), a21 = FloatVector.fromArray(S, tmp, at + 9 * LANES);
        FloatVector a22 = FloatVector.fromArray(S, tmp, at + 10 * LANES);
        FloatVector a23 = FloatVector.fromArray(S, tmp, at + 11 * LANES);
        FloatVector a30 = FloatVector.fromArray(S, tmp, at + 12 * LANES);
        FloatVector a31 = FloatVector.fromArray(S, tmp, at + 13 * LANES);
        FloatVector a32 = FloatVector.fromArray(S, tmp, at + 14 * LANES);
        FloatVector a33 = FloatVector.fromArray(S, tmp, at + 15 * LANES);
        int f0 = x0 + off[t0], f1 = x0 + off[t0 + 1], f2 = x0 + off[t0 + 2], f3 = x0 + off[t0 + 3];
        for (int q = qFrom; q < qTo; q += LANES) {
            FloatVector x0v = FloatVector.fromArray(S, xp, q + f0);
            FloatVector x1v = FloatVector.fromArray(S, xp, q + f1);
            FloatVector x2v = FloatVector.fromArray(S, xp, q + f2);
            FloatVector x3v = FloatVector.fromArray(S, xp, q + f3);
            FloatVector y0 = FloatVector.fromArray(S, gq, g0 + q);
            a00 = y0.fma(x0v, a00);
            a01 = y0.fma(x1v, a01);
            a02 = y0.fma(x2v, a02);
            a03 = y0.fma(x3v, a03);
            FloatVector y1 = FloatVector.fromArray(S, gq, g0 + qLen + q);
            a10 = y1.fma(x0v, a10);
            a11 = y1.fma(x1v, a11);
            a12 = y1.fma(x2v, a12);
            a13 = y1.fma(x3v, a13);
            FloatVector y2 = FloatVector.fromArray(S, gq, g0 + 2 * qLen + q);
            a20 = y2.fma(x0v, a20);
            a21 = y2.fma(x1v, a21);
            a22 = y2.fma(x2v, a22);
            a23 = y2.fma(x3v, a23);
            FloatVector y3 = FloatVector.fromArray(S, gq, g0 + 3 * qLen + q);
            a30 = y3.fma(x0v, a30);
            a31 = y3.fma(x1v, a31);
            a32 = y3.fma(x2v, a32);
            a33 = y3.fma(x3v, a33);
        }
        a00.intoArray(tmp, at);
        a01.intoArray(tmp, at + LANES);
        a02.intoArray(tmp, at + 2 * LANES);
        a03.intoArray(tmp, at + 3 * LANES);
        a10.intoArray(tmp, at + 4 * LANES);
        a11.intoArray(tmp, at + 5 * LANES);
        a12.intoArray(tmp, at + 6 * LANES);
        a13.intoArray(tmp, at + 7 * LANES);
        a20.intoArray(tmp, at + 8 * LANES);
        a21.intoArray(tmp, at + 9 * LANES);
        a22.intoArray(tmp, at + 10 * LANES);
        a23.intoArray(tmp, at + 11 * LANES);
        a30.intoArray(tmp, at + 12 * LANES);
        a31.intoArray(tmp, at + 13 * LANES);
        a32.intoArray(tmp, at + 14 * LANES);
        a33.intoArray(tmp, at + 15 * LANES);
    }

    /** {@link #tile} with 2 taps (8 accumulators, tmp[16·(2i + j) + l]), for 16-register machines. */
    private static void tile2(float[] gq, int g0, float[] xp, int x0, int qFrom, int qTo, int qLen,
                               int[] off, int t0, float[] tmp, int at) {
        FloatVector a00 = FloatVector.fromArray(S, tmp, at), a01 = FloatVector.fromArray(S, tmp, at + LANES);
        FloatVector a10 = FloatVector.fromArray(S, tmp, at + 2 * LANES), a11 = FloatVector.fromArray(S, tmp, at + 3 * LANES);
        FloatVector a20 = FloatVector.fromArray(S, tmp, at + 4 * LANES), a21 = FloatVector.fromArray(S, tmp, at + 5 * LANES);
        FloatVector a30 = FloatVector.fromArray(S, tmp, at + 6 * LANES), a31 = FloatVector.fromArray(S, tmp, at + 7 * LANES);
        int f0 = x0 + off[t0], f1 = x0 + off[t0 + 1];
        for (int q = qFrom; q < qTo; q += LANES) {
            FloatVector x0v = FloatVector.fromArray(S, xp, q + f0);
            FloatVector x1v = FloatVector.fromArray(S, xp, q + f1);
            FloatVector y0 = FloatVector.fromArray(S, gq, g0 + q);
            a00 = y0.fma(x0v, a00);
            a01 = y0.fma(x1v, a01);
            FloatVector y1 = FloatVector.fromArray(S, gq, g0 + qLen + q);
            a10 = y1.fma(x0v, a10);
            a11 = y1.fma(x1v, a11);
            FloatVector y2 = FloatVector.fromArray(S, gq, g0 + 2 * qLen + q);
            a20 = y2.fma(x0v, a20);
            a21 = y2.fma(x1v, a21);
            FloatVector y3 = FloatVector.fromArray(S, gq, g0 + 3 * qLen + q);
            a30 = y3.fma(x0v, a30);
            a31 = y3.fma(x1v, a31);
        }
        a00.intoArray(tmp, at);
        a01.intoArray(tmp, at + LANES);
        a10.intoArray(tmp, at + 2 * LANES);
        a11.intoArray(tmp, at + 3 * LANES);
        a20.intoArray(tmp, at + 4 * LANES);
        a21.intoArray(tmp, at + 5 * LANES);
        a30.intoArray(tmp, at + 6 * LANES);
        a31.intoArray(tmp, at + 7 * LANES);
    }
}
