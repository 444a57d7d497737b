package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ChannelSink;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * FLOAT32 conv2d forward and backward-data as an implicit GEMM on {@link PaddedImage}s:
 * <pre>
 * yq[o, q] = b[o] + Σ_t W[t, o] · xpad[q + off[t]]        t = (c, u, v), off[t] = c·plane + u·wp + v
 * </pre>
 * computed per image in blocks of q, each in {@link ConvTiles register tiles} of {@link #MR} outputs × {@link #NR}
 * vectors of q (one FMA per accumulator and tap), taps in the fixed order of the weight layout. Backward-data is the
 * same kernel on the {@link AdjointWeights}.
 * Each output is one float FMA chain, from the bias (or the value accumulated onto) through the taps in order,
 * computed by one thread: the same bits at any thread count, any vector width (the tile only groups outputs), and in
 * {@link ScalarConv}, which runs the same chains one position after another.
 */
final class VectorConv {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    /**
     * Outputs per register tile: 8 where vectors are 512 bits wide, 4 on narrower ones ({@link ConvTiles}). A 6-row
     * tile on AVX2 (12 accumulators, 2 input vectors and a broadcast in 16 registers) left C2 25 one register short:
     * it kept an accumulator on the stack, a store and reload in that accumulator's chain every tap (50 GFLOP/s on one
     * core against 86 with 4 rows); C2 17 kept it in registers, yet ran 4 rows 8–20 % faster too (BENCHMARKS.md).
     */
    static final int MR = VL >= 16 ? 8 : 4;
    /** Outputs of the tile that takes the last outputs, when no more than this many are left. */
    static final int MR_LAST = 4;
    /** Vectors of q per register tile: 3 with 512-bit vectors, 2 on narrower ones ({@link ConvTiles}). */
    static final int NR = VL >= 16 ? 3 : 2;
    /** Padded rows an accumulator block covers at least ({@link #blockLength}). */
    private static final int BLOCK_ROWS = 2;

    private VectorConv() {
    }

    static float[] forward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                           Padding padding) {
        return forward(ConvInput.of(x, c), w, bias, null, null, n, h, wd, o, k, padding);
    }

    /**
     * conv(input, w) + bias for an input with computed channels ({@link ConvInput}): the bits of {@link #forward} on
     * the concatenated array, since each image is padded into the same layout before the same tiles run. Always
     * through the padded tiles ({@link PointwiseConv} reads an array), which run the same chains.
     */
    static float[] forward(ConvInput input, float[] w, float[] bias, int n, int h, int wd, int o, int k,
                           Padding padding) {
        return forward(input, w, bias, null, null, n, h, wd, o, k, padding);
    }

    /**
     * into + conv(x, w), no bias, written into {@code into}: each accumulator starts from into's value instead of
     * the bias, and the taps follow in the same order, so convolving the channels [0, Ca) with the bias and then
     * accumulating [Ca, C) gives exactly the float result of one convolution over all C channels.
     */
    static float[] forwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                     Padding padding) {
        return forward(ConvInput.of(x, c), w, null, into, null, n, h, wd, o, k, padding);
    }

    /**
     * The forward kernel; with {@code init} non-null the accumulators start from it and the result replaces it.
     * Where an image row holds whole vectors (w a multiple of VL) and the tiles need no padding outputs, the tiles
     * work on the output itself ({@link #imageTiles}); otherwise on blocks of the padded positions
     * ({@link #blockTiles}). Both run the same chains, and so does {@link PointwiseConv}, which takes 1×1
     * convolutions with few outputs.
     */
    private static float[] forward(ConvInput input, float[] w, float[] bias, float[] init, ChannelSink rest, int n,
                                   int h, int wd, int o, int k, Padding padding) {
        if (input.extra() == null && rest == null && PointwiseConv.handles(k, o)) {
            return PointwiseConv.forward(input.x(), w, bias, init, n, input.channels(), h * wd, o);
        }
        Pass pass = new Pass(input, w, bias, init, rest, n, h, wd, o, k, padding, Scratch.PADDED_INPUT);
        Parallel.forRange(n, pass.grain(), (lo, hi) -> {
            for (int img = lo; img < hi; img++) {
                pass.image(img);
            }
        });
        return pass.y;
    }

    /**
     * One convolution prepared (weights packed, tap offsets, bias vectors, the output), run image by image from any
     * thread: {@link #forward} runs it over all images, and {@link VectorConvWeight} runs a data gradient's images
     * inside its own loop, so each image of gy is read from memory once for both gradients.
     */
    static final class Pass {
        private final ConvInput input;
        private final ChannelSink rest;
        private final Padding padding;
        private final PaddedImage g;
        private final int[] rows;
        private final int oPad;
        private final float[] packed;
        private final float[] b;
        private final int[] off;
        private final boolean fromInit;
        private final int o;
        private final int kept;
        private final int imageSize;
        private final boolean direct;
        private final int bq;
        private final float[] bb;
        private final int paddedSlot;
        /** The result: n images of {@code kept} output channels. */
        final float[] y;

        /**
         * Prepares conv(input, w) + bias (or into init, or with outputs [o − rest.channels(), o) handed to rest),
         * padding each image into this thread's {@link Scratch} slot {@code paddedSlot}.
         */
        Pass(ConvInput input, float[] w, float[] bias, float[] init, ChannelSink rest, int n, int h, int wd, int o,
             int k, Padding padding, int paddedSlot) {
            this.input = input;
            this.rest = rest;
            this.padding = padding;
            this.paddedSlot = paddedSlot;
            this.o = o;
            int tq = NR * VL;
            this.g = new PaddedImage(input.channels(), h, wd, k, tq, VectorRowCopy.INSTANCE);
            this.rows = tileRows(o);
            this.oPad = Arrays.stream(rows).sum();
            this.packed = packWeights(w, o, g.taps, rows);
            this.b = new float[oPad];
            if (bias != null) {
                System.arraycopy(bias, 0, b, 0, o);
            }
            this.off = g.tapOffsets(g.taps);
            this.fromInit = init != null;
            this.kept = rest == null ? o : o - rest.channels(); // outputs [kept, o) go to rest, image by image
            this.imageSize = h * wd;
            this.y = fromInit ? init : BufferPool.floats(n * kept * imageSize);
            this.direct = wd % VL == 0 && oPad == o;
            this.bq = blockLength(g.wp, g.qLen, tq);
            // the bias broadcast to one vector per output: the tiles' start where they do not start from y
            this.bb = new float[oPad * NR * VL];
            for (int oc = 0; oc < oPad; oc++) {
                Arrays.fill(bb, oc * NR * VL, (oc + 1) * NR * VL, b[oc]);
            }
        }

        /** Images per task: one vector FMA per (output, tap, VL positions) of an image. */
        int grain() {
            return Parallel.grainFor((long) oPad * g.taps * g.qLen / VL);
        }

        /** Image img's outputs, on this thread's scratch buffers. */
        void image(int img) {
            float[] xp = Scratch.floats(paddedSlot, g.length);
            float[] yb = direct ? null : Scratch.floats(Scratch.OUTPUT_ROWS, oPad * bq);
            // with rest, the image's outputs go to this thread's buffer first, then [0, kept) to y and the others
            // to rest while they are in cache
            float[] image = rest == null ? y : Scratch.floats(Scratch.IMAGE_OUTPUT, o * imageSize);
            int yImage = rest == null ? img * o * imageSize : 0;
            input.pad(g, img, padding, xp, 0);
            if (direct) {
                imageTiles(g, xp, off, packed, rows, fromInit ? y : bb, fromInit, image, yImage);
            } else {
                blockTiles(g, xp, off, packed, rows, oPad, b, fromInit, image, yImage, o, yb, bq);
            }
            if (rest != null) {
                System.arraycopy(image, 0, y, img * kept * imageSize, kept * imageSize);
                rest.accept(img, image, kept * imageSize);
            }
        }
    }

    /**
     * One image's tiles writing into y itself, output positions p = i·w + j in vectors (VL divides w, so a vector
     * lies in one row and reads the padded input from q = i·wp + j): in each row, runs of NR neighbouring vectors
     * ({@code tile…Run}, one input index per tap); the vectors left at the rows' ends (w/VL mod NR per row) in runs
     * of NR across rows, the image's last such run repeating its last vector when fewer are left. Each tile starts
     * from y (fromInit) or from the bias vectors {@code bb} (NR per output). {@code xp} holds the image padded whole.
     * (Padding each row just before its first tile instead, for 16 channels at 32² and 64², measured 3 % faster per
     * layer on an Intel Xeon and 13–18 % slower on an AMD EPYC family 25 (BENCHMARKS.md), so the image is padded
     * whole.)
     */
    private static void imageTiles(PaddedImage g, float[] xp, int[] off, float[] packed, int[] rows, float[] start,
                                   boolean fromInit, float[] y, int yImage) {
        int perRow = g.w / VL;
        int runs = perRow / NR;
        int left = perRow % NR;
        int ends = g.h * left;
        int e = 0; // the next run of row-end vectors
        for (int i = 0; i < g.h; i++) {
            for (int r = 0; r < runs; r++) {
                runTiles(g, xp, i * g.wp + r * NR * VL, off, packed, rows, start, fromInit, y, yImage,
                        i * g.w + r * NR * VL);
            }
            // the runs of row-end vectors that end in rows up to i, while those rows are in cache
            while (e < ends && Math.min(e + NR - 1, ends - 1) / left <= i) {
                endTiles(g, xp, off, packed, rows, start, fromInit, y, yImage, runs, left, ends, e);
                e += NR;
            }
        }
    }

    /** The tiles of all outputs for the NR neighbouring vectors at padded position q, output position p. */
    private static void runTiles(PaddedImage g, float[] xp, int q, int[] off, float[] packed, int[] rows,
                                 float[] start, boolean fromInit, float[] y, int yImage, int p) {
        int hw = g.h * g.w;
        int o0 = 0;
        for (int m : rows) {
            int w0 = o0 * g.taps;
            int y0 = yImage + o0 * hw;
            int i0 = fromInit ? y0 + p : o0 * NR * VL;
            int is = fromInit ? hw : NR * VL;
            if (VL >= 16) {
                if (m == MR) {
                    ConvTiles.tile8x3Run(xp, q, off, packed, w0, start, i0, is, y, y0 + p, hw);
                } else {
                    ConvTiles.tile4x3Run(xp, q, off, packed, w0, start, i0, is, y, y0 + p, hw);
                }
            } else {
                ConvTiles.tile4x2Run(xp, q, off, packed, w0, start, i0, is, y, y0 + p, hw);
            }
            o0 += m;
        }
    }

    /**
     * The tiles of all outputs for row-end vectors e … e + NR − 1 (of h·left; vector e is row e / left, column
     * (runs·NR + e % left)·VL), the last repeated where fewer are left.
     */
    private static void endTiles(PaddedImage g, float[] xp, int[] off, float[] packed, int[] rows, float[] start,
                                 boolean fromInit, float[] y, int yImage, int runs, int left, int ends, int e) {
        int hw = g.h * g.w;
        int e1 = Math.min(e + 1, ends - 1);
        int e2 = Math.min(e + 2, ends - 1);
        int c0 = (runs * NR + e % left) * VL;
        int c1 = (runs * NR + e1 % left) * VL;
        int c2 = (runs * NR + e2 % left) * VL;
        int p0 = e / left * g.w + c0;
        int p1 = e1 / left * g.w + c1;
        int p2 = e2 / left * g.w + c2;
        int q0 = e / left * g.wp + c0;
        int q1 = e1 / left * g.wp + c1;
        int q2 = e2 / left * g.wp + c2;
        int o0 = 0;
        for (int m : rows) {
            int w0 = o0 * g.taps;
            int y0 = yImage + o0 * hw;
            int i0 = fromInit ? y0 + p0 : o0 * NR * VL;
            int i1 = fromInit ? y0 + p1 : o0 * NR * VL;
            int i2 = fromInit ? y0 + p2 : o0 * NR * VL;
            int is = fromInit ? hw : NR * VL;
            if (VL >= 16) {
                if (m == MR) {
                    ConvTiles.tile8x3(xp, q0, q1, q2, off, packed, w0, start, i0, i1, i2, is,
                            y, y0 + p0, y0 + p1, y0 + p2, hw);
                } else {
                    ConvTiles.tile4x3(xp, q0, q1, q2, off, packed, w0, start, i0, i1, i2, is,
                            y, y0 + p0, y0 + p1, y0 + p2, hw);
                }
            } else {
                ConvTiles.tile4x2(xp, q0, q1, off, packed, w0, start, i0, i1, is, y, y0 + p0, y0 + p1, hw);
            }
            o0 += m;
        }
    }

    /**
     * One image's tiles on blocks of {@code bq} padded positions in {@code yb} (one row of bq per output), each
     * block started from the image's values (fromInit) or the bias, and its kept positions copied into y.
     */
    private static void blockTiles(PaddedImage g, float[] xp, int[] off, float[] packed, int[] rows, int oPad,
                                   float[] b, boolean fromInit, float[] y, int yImage, int o, float[] yb, int bq) {
        int tq = NR * VL;
        for (int q0 = 0; q0 < g.qLen; q0 += bq) {
            int q1 = Math.min(g.qLen, q0 + bq);
            // The accumulators' starting values for the block: image img's values, or the bias
            // (thrown-away positions: anything).
            if (fromInit) {
                g.imageToBlock(y, yImage, o, yb, bq, q0, q1);
            } else {
                for (int oc = 0; oc < oPad; oc++) {
                    Arrays.fill(yb, oc * bq, oc * bq + bq, b[oc]);
                }
            }
            for (int q = q0; q < q1; q += tq) {
                int o0 = 0;
                for (int m : rows) {
                    int w0 = o0 * g.taps;
                    int y0 = o0 * bq + q - q0;
                    if (VL >= 16) {
                        if (m == MR) {
                            ConvTiles.tile8x3Run(xp, q, off, packed, w0, yb, y0, bq, yb, y0, bq);
                        } else {
                            ConvTiles.tile4x3Run(xp, q, off, packed, w0, yb, y0, bq, yb, y0, bq);
                        }
                    } else {
                        ConvTiles.tile4x2Run(xp, q, off, packed, w0, yb, y0, bq, yb, y0, bq);
                    }
                    o0 += m;
                }
            }
            g.blockToImage(yb, bq, q0, q1, y, yImage, o);
        }
    }

    /**
     * Output positions per block: whole tiles covering at least {@value #BLOCK_ROWS} padded rows (or the whole
     * image). A block's accumulator rows (outputs × block) stay in L1 from their start through the tiles to the
     * copy into y, and its kept positions go to y in row pieces of a few dozen values.
     */
    static int blockLength(int wp, int qLen, int tq) {
        int rows = (BLOCK_ROWS * wp + tq - 1) / tq * tq;
        return Math.min(qLen, rows);
    }

    static float[] backwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k, Padding padding) {
        if (PointwiseConv.handles(k, o)) {
            return PointwiseConv.backwardData(gy, w, n, c, h * wd, o);
        }
        return forward(gy, AdjointWeights.of(w, o, c, k), null, n, o, h, wd, c, k, padding);
    }

    /**
     * The data gradient of {@link #backwardData} (or its form with {@code rest}, which may be null) as a {@link Pass}
     * padding gy into this thread's {@link Scratch} slot {@code paddedSlot}, for a caller that runs its images; null
     * where {@link #backwardData} would take {@link PointwiseConv} instead.
     */
    static Pass dataPass(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o, int k,
                         Padding padding, int paddedSlot) {
        if (PointwiseConv.handles(k, c)) {
            return null;
        }
        return new Pass(ConvInput.of(gy, o), AdjointWeights.of(w, o, c, k), null, null, rest, n, h, wd, c, k,
                padding, paddedSlot);
    }

    /**
     * {@link #backwardData} whose last rest.channels() input channels' gradients go to {@code rest} image by image
     * instead of into the result, which holds the first c − rest.channels() (the same bits as those channels of
     * {@link #backwardData}: each output's chain does not depend on which others are computed beside it).
     */
    static float[] backwardData(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o, int k,
                                Padding padding) {
        return forward(ConvInput.of(gy, o), AdjointWeights.of(w, o, c, k), null, null, rest, n, h, wd, c, k,
                padding);
    }

    /**
     * Rows of each tile, outputs o0 … o0+rows−1 one tile after another: where o is a sum of {@link #MR}s and
     * {@link #MR_LAST}s, as many {@link #MR}-row tiles as such a sum allows, then {@link #MR_LAST}-row ones (no
     * padding rows); otherwise {@link #MR} rows while more than {@link #MR_LAST} outputs are left (the last such tile
     * padded with zero weights), then one tile of {@link #MR_LAST} rows for the rest (padded too).
     */
    static int[] tileRows(int o) {
        for (int big = o / MR; big >= 0; big--) {
            int rest = o - big * MR;
            if (rest % MR_LAST == 0) {
                int[] rows = new int[big + rest / MR_LAST];
                Arrays.fill(rows, 0, big, MR);
                Arrays.fill(rows, big, rows.length, MR_LAST);
                return rows;
            }
        }
        int tiles = 0;
        int o0 = 0;
        int[] rows = new int[o / MR_LAST + 1];
        while (o - o0 > MR_LAST) {
            rows[tiles++] = MR;
            o0 += MR;
        }
        if (o0 < o) {
            rows[tiles++] = MR_LAST;
        }
        return Arrays.copyOf(rows, tiles);
    }

    /**
     * The weights tile by tile: the tile of rows m starting at output o0 holds W[t, o0 + i] = w[o0 + i, t] at
     * o0·taps + t·m + i (0 for the padding rows), so a tile reads its m weights of a tap side by side.
     */
    private static float[] packWeights(float[] w, int o, int taps, int[] rows) {
        int oPad = 0;
        for (int m : rows) {
            oPad += m;
        }
        float[] p = new float[taps * oPad];
        int o0 = 0;
        for (int m : rows) {
            for (int i = 0; i < m && o0 + i < o; i++) {
                for (int t = 0; t < taps; t++) {
                    p[o0 * taps + t * m + i] = w[(o0 + i) * taps + t];
                }
            }
            o0 += m;
        }
        return p;
    }
}
