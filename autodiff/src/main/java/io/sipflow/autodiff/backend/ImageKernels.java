package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.BufferPool;

/**
 * CpuBackend's fast FLOAT32 max pooling and bilinear ×2 upsampling on the raw NCHW arrays, without whole-tensor
 * float↔double copies. Same arithmetic as {@link ReferenceImage} (the spec): the max and its argmax are exact
 * (strict {@code >} in row-major window order, so the first maximum wins and NaN never replaces a value); each
 * upsampled value is the same double expression rounded once; the adjoint accumulates each plane in double in the
 * same order and rounds once. So results are bit-identical to the reference on FLOAT32 inputs. Planes (for
 * pooling: output rows) run in parallel and never share outputs: no dependence on the thread count.
 */
final class ImageKernels {
    /** Scratch slots of {@link #scratch}: the upsampling's interpolated rows; the adjoint's plane, even and odd columns. */
    private static final int ROWS = 0;
    private static final int ACC = 1;
    private static final int EVEN = 2;
    private static final int ODD = 3;
    /** Longer scratch arrays than this (doubles) are not kept: a huge image would otherwise pin them for good. */
    private static final int MAX_KEPT = 1 << 20;
    /**
     * Per-thread double buffers for the upsampling loops, reused across calls: a chunk of a few planes used to
     * allocate its own (at 2 threads the seed's step allocated ~20 MB of them, 16 KB per chunk of four planes).
     */
    private static final ThreadLocal<double[][]> SCRATCH = ThreadLocal.withInitial(() -> new double[4][0]);

    private static final java.util.concurrent.atomic.LongAdder POOL_VJP_ADDING =
            KernelCounts.counter("max pool 2x2 VJP added to an earlier gradient");

    private ImageKernels() {
    }

    /** This thread's buffer in {@code slot}, at least {@code length} long, contents left from earlier use. */
    private static double[] scratch(int slot, int length) {
        if (length > MAX_KEPT) {
            return new double[length];
        }
        double[][] slots = SCRATCH.get();
        if (slots[slot].length < length) {
            slots[slot] = new double[length];
        }
        return slots[slot];
    }

    /** Max over size×size windows of each of {@code planes} (h, w) planes, in plain Java. */
    static float[] maxPool(float[] x, int planes, int h, int w, int size) {
        return maxPool(x, planes, h, w, size, null);
    }

    /**
     * Max over size×size windows of each of {@code planes} (h, w) planes; 2×2 windows through {@code fast}'s row
     * kernel where it has one (null: plain Java), the same selections.
     */
    static float[] maxPool(float[] x, int planes, int h, int w, int size, FastKernels fast) {
        int oh = h / size;
        int ow = w / size;
        float[] y = BufferPool.floats(planes * oh * ow);
        Parallel.forRange(planes * oh, Math.max(1, 4096 / Math.max(1, w * size)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) { // row = p·oh + i: output row i of plane p
                int top = row * size * w;
                int o = row * ow;
                if (size == 2) {
                    for (int j = fast == null ? 0 : fast.maxPool2x2Row(x, top, w, y, o); j < ow; j++) {
                        y[o + j] = x[argmax2(x, top + 2 * j, w)];
                    }
                } else {
                    for (int j = 0; j < ow; j++) {
                        y[o + j] = x[argmax(x, top + j * size, w, size)];
                    }
                }
            }
        });
        return y;
    }

    /** gx[argmax of window o] = gy[o], zeros elsewhere, in plain Java. */
    static float[] maxPoolBackward(float[] gy, float[] x, int planes, int h, int w, int size) {
        return maxPoolBackward(gy, x, planes, h, w, size, null);
    }

    /**
     * gx[argmax of window o] = gy[o], zeros elsewhere: windows do not overlap, so each input has one writer. 2×2
     * windows through {@code fast}'s row kernel where it has one (null: plain Java).
     */
    static float[] maxPoolBackward(float[] gy, float[] x, int planes, int h, int w, int size, FastKernels fast) {
        int oh = h / size;
        int ow = w / size;
        float[] gx = BufferPool.zeroedFloats(x.length);
        Parallel.forRange(planes * oh, Math.max(1, 4096 / Math.max(1, w * size)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int top = row * size * w;
                int o = row * ow;
                if (size == 2) {
                    int done = fast == null ? 0 : fast.maxPool2x2BackwardRow(gy, x, top, w, gx, o);
                    for (int j = done; j < ow; j++) {
                        gx[argmax2(x, top + 2 * j, w)] = gy[o + j];
                    }
                } else {
                    for (int j = 0; j < ow; j++) {
                        gx[argmax(x, top + j * size, w, size)] = gy[o + j];
                    }
                }
            }
        });
        return gx;
    }

    /**
     * 2×2 max pooling of one (h, w) plane, x[base..base + h·w) to y[yBase..yBase + h·w/4), keeping each window's
     * argmax as the code 2u + v of its element (u, v) in {@code window[yBase + o]}: the same selection as
     * {@link #maxPool} ({@link #argmax2}). Rows go through {@code fast}'s kernel where it has one (null: plain Java);
     * {@code codes} is its scratch row (length w/2).
     */
    static void maxPool2x2Plane(float[] x, int base, int h, int w, float[] y, byte[] window, int yBase,
                                FastKernels fast, float[] codes) {
        int ow = w / 2;
        for (int i = 0; i < h / 2; i++) {
            int top = base + 2 * i * w;
            int o = yBase + i * ow;
            int done = fast == null ? 0 : fast.maxPool2x2RowKeepingArgmax(x, top, w, y, o, codes);
            for (int j = 0; j < done; j++) {
                window[o + j] = (byte) codes[j];
            }
            for (int j = done; j < ow; j++) { // argmax2's tournament, selecting the values and their codes
                int at = top + 2 * j;
                float a = x[at];
                float b = x[at + 1];
                float c = x[at + w];
                float d = x[at + w + 1];
                boolean bWins = b > a | b != b;
                boolean dWins = d > c | d != d;
                float upper = bWins ? b : a;
                float lower = dWins ? d : c;
                boolean lowerWins = lower > upper | lower != lower;
                y[o + j] = lowerWins ? lower : upper;
                window[o + j] = (byte) (lowerWins ? (dWins ? 3 : 2) : (bWins ? 1 : 0));
            }
        }
    }

    /**
     * The VJP of 2×2 max pooling from the kept argmax ({@link #maxPool2x2Plane}): gx[argmax of window o] = gy[o],
     * +0 elsewhere, the same as {@link #maxPoolBackward} finds from x. With h and w even each output row zeroes its
     * two input rows itself, in the parallel loop and just before scattering into them (while they are in cache),
     * instead of a zero fill of all of gx on the calling thread first.
     */
    static float[] maxPool2x2Backward(float[] gy, byte[] window, int planes, int h, int w) {
        int oh = h / 2;
        int ow = w / 2;
        boolean rowsCoverAll = h % 2 == 0 && w % 2 == 0;
        float[] gx = rowsCoverAll ? BufferPool.floats(planes * h * w) : BufferPool.zeroedFloats(planes * h * w);
        Parallel.forRange(planes * oh, Math.max(1, 4096 / Math.max(1, 2 * w)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) { // row = p·oh + i: output row i of plane p
                int top = row * 2 * w;
                int o = row * ow;
                if (rowsCoverAll) {
                    java.util.Arrays.fill(gx, top, top + 2 * w, 0f); // a scatter: zeros elsewhere
                }
                for (int j = 0; j < ow; j++) {
                    int code = window[o + j];
                    gx[top + 2 * j + (code >> 1) * w + (code & 1)] = gy[o + j];
                }
            }
        });
        return gx;
    }

    /**
     * previous + {@link #maxPool2x2Backward}(gy, window) in one pass, h and w even: each cell gets
     * previous[k] + gy (its window's argmax) or previous[k] + 0f (the rest), the float adds the separate scatter and
     * add give (so −0 + 0f = +0 and NaN stays NaN, as there).
     */
    static float[] maxPool2x2BackwardAdding(float[] previous, float[] gy, byte[] window, int planes, int h, int w) {
        POOL_VJP_ADDING.increment();
        int oh = h / 2;
        int ow = w / 2;
        float[] gx = BufferPool.floats(planes * h * w); // every element written below
        Parallel.forRange(planes * oh, Math.max(1, 4096 / Math.max(1, 2 * w)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) { // row = p·oh + i: output row i of plane p, input rows 2i, 2i + 1
                int top = row * 2 * w;
                int o = row * ow;
                for (int k = top; k < top + 2 * w; k++) { // the two rows, + 0f (a loop C2 vectorises)
                    gx[k] = previous[k] + 0f;
                }
                for (int j = 0; j < ow; j++) { // then each window's argmax cell, while the rows are in cache
                    int code = window[o + j];
                    int at = top + 2 * j + (code >> 1) * w + (code & 1);
                    gx[at] = previous[at] + gy[o + j];
                }
            }
        });
        return gx;
    }

    /**
     * {@link #argmax} of a 2×2 window, as a tournament without branches on the data: the first maximum of each row's
     * pair, then of the two winners, each "later beats earlier" meaning {@code later > earlier || later is NaN}.
     * That is the same index as the row-major scan: without NaN both keep the first of equal maxima (a later value
     * wins only if strictly greater), and with NaN both end at the last NaN (a NaN beats anything, nothing beats a
     * NaN). Branchy compares of random data mispredict about half the time; these selections compile to
     * conditional moves.
     */
    private static int argmax2(float[] x, int at, int w) {
        float a = x[at];
        float b = x[at + 1];
        float c = x[at + w];
        float d = x[at + w + 1];
        boolean bWins = b > a | b != b;
        boolean dWins = d > c | d != d;
        float top = bWins ? b : a;
        float bottom = dWins ? d : c;
        int topAt = bWins ? at + 1 : at;
        int bottomAt = dWins ? at + w + 1 : at + w;
        return bottom > top | bottom != bottom ? bottomAt : topAt;
    }

    /**
     * Flat index of the first maximum (row-major, strict {@code >}) of the window whose top-left is at. Selecting
     * the index (not the value) lets the JIT pick it without a branch: for random data a float compare-and-branch
     * mispredicts about half the time, which made a value-based 2×2 version twice as slow.
     */
    private static int argmax(float[] x, int at, int w, int size) {
        int best = at;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                int k = at + u * w + v;
                if (x[k] > x[best] || Float.isNaN(x[k])) { // NaN wins, as PyTorch
                    best = k;
                }
            }
        }
        return best;
    }

    /**
     * Bilinear ×2, align_corners=False: y = a0·(b0·x00 + b1·x01) + a1·(b0·x10 + b1·x11) in double, rounded once.
     * The inner sums are one input row interpolated along the columns, r(row, j) = b0·x[row, c0] + b1·x[row, c1];
     * each input row serves up to four output rows, so the plane's r rows are computed once (the same double
     * products and sums, so the same bits) and each output is a0·r(r0, j) + a1·r(r1, j).
     */
    static float[] upsampleBilinear2x(float[] x, int planes, int h, int w) {
        Axis rows = Axis.of(h);
        Axis cols = Axis.of(w);
        int oh = 2 * h;
        int ow = 2 * w;
        float[] y = BufferPool.floats(planes * oh * ow);
        Parallel.forRange(planes, Parallel.grainFor(8L * h * w), (lo, hi) -> { // 4hw outputs, 2 products each
            for (int p = lo; p < hi; p++) {
                upsamplePlane(x, p * h * w, rows, cols, h, w, y, p * oh * ow);
            }
        });
        return y;
    }

    /** One (h, w) plane of x from xb upsampled into y from yb, as {@link #upsampleBilinear2x} computes each plane. */
    private static void upsamplePlane(float[] x, int xb, Axis rows, Axis cols, int h, int w, float[] y, int yb) {
        UpsampleRowLoops loops = UpsampleLoops.LOOPS; // read from the static final: C2 knows its class
        int ow = 2 * w;
        double[] r = scratch(ROWS, h * ow); // every element written below before it is read
        for (int k = 0; k < h; k++) {
            interpolateRow(x, xb + k * w, r, k * ow, cols, w);
        }
        for (int i = 0; i < 2 * h; i++) {
            loops.blendRows(r, rows.lo[i] * ow, rows.hi[i] * ow, rows.wLo[i], rows.wHi[i], y, yb + i * ow, ow);
        }
    }

    /**
     * The upsampling of {@code low} (n images of c (h, w) planes) as {@link ImageChannels} of 2h × 2w: each image's
     * planes computed when a convolution asks for them, with the bits of {@link #upsampleBilinear2x}.
     */
    static ImageChannels upsampled(float[] low, int c, int h, int w) {
        Axis rows = Axis.of(h);
        Axis cols = Axis.of(w);
        return new ImageChannels() {
            @Override
            public int channels() {
                return c;
            }

            @Override
            public void write(int image, float[] dst, int at) {
                for (int ch = 0; ch < c; ch++) {
                    int p = image * c + ch;
                    upsamplePlane(low, p * h * w, rows, cols, h, w, dst, at + ch * 4 * h * w);
                }
            }
        };
    }

    /**
     * r[rr + j] = b0·x[row + c0] + b1·x[row + c1] for the ow = 2w output columns j, in double. Away from the two edge
     * columns the taps are fixed: j = 2m − 1 reads (¾, ¼) from columns (m − 1, m) and j = 2m reads (¼, ¾) from the
     * same two, so the interior needs no table look-ups (the same products and sums as the tables give).
     */
    private static void interpolateRow(float[] x, int row, double[] r, int rr, Axis cols, int w) {
        int ow = 2 * w;
        if (w < 2) {
            for (int j = 0; j < ow; j++) {
                r[rr + j] = cols.wLo[j] * x[row + cols.lo[j]] + cols.wHi[j] * x[row + cols.hi[j]];
            }
            return;
        }
        r[rr] = cols.wLo[0] * x[row + cols.lo[0]] + cols.wHi[0] * x[row + cols.hi[0]];
        for (int m = 1; m < w; m++) {
            double left = x[row + m - 1];
            double right = x[row + m];
            r[rr + 2 * m - 1] = 0.75 * left + 0.25 * right;
            r[rr + 2 * m] = 0.25 * left + 0.75 * right;
        }
        int last = ow - 1;
        r[rr + last] = cols.wLo[last] * x[row + cols.lo[last]] + cols.wHi[last] * x[row + cols.hi[last]];
    }

    /**
     * The adjoint of {@link #upsampleBilinear2x}: each gradient scattered back with the same weights, accumulated per
     * plane in double. Every input cell receives its terms (a·b)·g in the reference's order (output rows, then
     * columns, then the taps r0c0, r0c1, r1c0, r1c1), so the sums are the reference's bit for bit. An output row
     * that reads two different input rows adds into disjoint cells, so each input row's terms are gathered per cell
     * ({@link #gatherRow}) instead of scattered; the clamped last row, which reads one input row twice, keeps the
     * reference's tap-by-tap loop.
     */
    static float[] upsampleBilinear2xAdjoint(float[] gy, int planes, int h, int w) {
        Axis rows = Axis.of(h);
        Axis cols = Axis.of(w);
        int oh = 2 * h;
        int ow = 2 * w;
        float[] gx = BufferPool.floats(planes * h * w);
        Parallel.forRange(planes, Parallel.grainFor(8L * h * w), (lo, hi) -> { // 4hw outputs, 2 products each
            for (int p = lo; p < hi; p++) {
                adjointPlane(gy, p * oh * ow, rows, cols, h, w, gx, p * h * w);
            }
        });
        return gx;
    }

    /** One (2h, 2w) plane of gy from yb into the (h, w) plane of gx from xb, as {@link #upsampleBilinear2xAdjoint}. */
    private static void adjointPlane(float[] gy, int yb, Axis rows, Axis cols, int h, int w, float[] gx, int xb) {
        UpsampleRowLoops loops = UpsampleLoops.LOOPS;
        double[] acc = scratch(ACC, h * w); // zeroed here
        double[] even = scratch(EVEN, w); // written by splitColumns before each read
        double[] odd = scratch(ODD, w);
        java.util.Arrays.fill(acc, 0, h * w, 0);
        int ow = 2 * w;
        for (int i = 0; i < 2 * h; i++) {
            int r0 = rows.lo[i] * w;
            int r1 = rows.hi[i] * w;
            int gyRow = yb + i * ow;
            if (r0 != r1) {
                loops.splitColumns(gy, gyRow, even, odd, w); // read by both gathers
                gatherRow(loops, gy, gyRow, even, odd, acc, r0, rows.wLo[i], cols, w);
                gatherRow(loops, gy, gyRow, even, odd, acc, r1, rows.wHi[i], cols, w);
            } else {
                scatterAliasedRow(gy, gyRow, acc, r0, rows.wLo[i], rows.wHi[i], cols, ow);
            }
        }
        for (int k = 0; k < h * w; k++) {
            gx[xb + k] = (float) acc[k];
        }
    }

    /**
     * The adjoint of the upsampling to 2h × 2w as a {@link ChannelSink} of c channels: each image's planes of the
     * gradient gu go through {@link #upsampleBilinear2xAdjoint}'s arithmetic into {@code gx} (n images of c (h, w)
     * planes) as a convolution hands them over, so gu is never a tensor.
     */
    static ChannelSink upsampledAdjoint(float[] gx, int c, int h, int w) {
        Axis rows = Axis.of(h);
        Axis cols = Axis.of(w);
        return new ChannelSink() {
            @Override
            public int channels() {
                return c;
            }

            @Override
            public void accept(int image, float[] src, int at) {
                for (int ch = 0; ch < c; ch++) {
                    int p = image * c + ch;
                    adjointPlane(src, at + ch * 4 * h * w, rows, cols, h, w, gx, p * h * w);
                }
            }
        };
    }

    /**
     * acc[row + m] += every term (a·b)·g[j] of one output row that lands on input column m, in the reference's order
     * (j ascending, the low tap before the high one). Away from the edges (2 ≤ m ≤ w − 2) these are exactly
     * j = 2m − 1 and 2m (high taps, weights ¼ and ¾) and j = 2m + 1 and 2m + 2 (low taps, ¾ and ¼), that is
     * odd[m − 1], even[m], odd[m] and even[m + 1] of the row split into its even (gy[2m]) and odd (gy[2m + 1]) columns,
     * which keeps the interior loop on unit strides. For w ≥ 3 the three edge cells' terms are written out: m = 0
     * takes the low taps of j = 0, 1, 2; m = 1 the high taps of j = 0, 1, 2 (j = 0's weight is 0, kept for the
     * 0·∞ = NaN it gives) and the low taps of j = 3, 4; m = w − 1 the high taps of j = 2w − 3, 2w − 2 and both taps of
     * j = 2w − 1 (clamped onto the same column), as {@link #gatherCell} finds them from the tables.
     */
    private static void gatherRow(UpsampleRowLoops loops, float[] gy, int gyRow, double[] even, double[] odd,
                                  double[] acc, int row, double a, Axis cols, int w) {
        if (w < 3) {
            for (int m = 0; m < w; m++) {
                gatherCell(gy, gyRow, acc, row, a, cols, w, m);
            }
            return;
        }
        int j = gyRow;
        double v = acc[row];
        v += a * cols.wLo[0] * gy[j];
        v += a * cols.wLo[1] * gy[j + 1];
        v += a * cols.wLo[2] * gy[j + 2];
        acc[row] = v;
        v = acc[row + 1];
        v += a * cols.wHi[0] * gy[j];
        v += a * cols.wHi[1] * gy[j + 1];
        v += a * cols.wHi[2] * gy[j + 2];
        v += a * cols.wLo[3] * gy[j + 3];
        v += a * cols.wLo[4] * gy[j + 4];
        acc[row + 1] = v;
        loops.gatherInterior(even, odd, acc, row, a * 0.25, a * 0.75, w);
        int e = 2 * w - 1;
        v = acc[row + w - 1];
        v += a * cols.wHi[e - 2] * gy[j + e - 2];
        v += a * cols.wHi[e - 1] * gy[j + e - 1];
        v += a * cols.wLo[e] * gy[j + e];
        v += a * cols.wHi[e] * gy[j + e];
        acc[row + w - 1] = v;
    }

    /** {@link #gatherRow} for one column m from the tables: the j that can reach m are 2m − 2 … 2m + 2. */
    private static void gatherCell(float[] gy, int gyRow, double[] acc, int row, double a, Axis cols, int w, int m) {
        double v = acc[row + m];
        for (int j = Math.max(0, 2 * m - 2); j <= Math.min(2 * w - 1, 2 * m + 2); j++) {
            double g = gy[gyRow + j];
            if (cols.lo[j] == m) {
                v += a * cols.wLo[j] * g;
            }
            if (cols.hi[j] == m) {
                v += a * cols.wHi[j] * g;
            }
        }
        acc[row + m] = v;
    }

    /** One output row whose two input rows are the same row: the four taps in the reference's order. */
    private static void scatterAliasedRow(float[] gy, int gyRow, double[] acc, int row, double a0, double a1,
                                          Axis cols, int ow) {
        for (int j = 0; j < ow; j++) {
            int c0 = row + cols.lo[j];
            int c1 = row + cols.hi[j];
            double b0 = cols.wLo[j];
            double b1 = cols.wHi[j];
            double g = gy[gyRow + j];
            acc[c0] += a0 * b0 * g;
            acc[c1] += a0 * b1 * g;
            acc[c0] += a1 * b0 * g;
            acc[c1] += a1 * b1 * g;
        }
    }

    /** Per output position along one axis: src = max(0, (d + 0.5)/2 − 0.5) between floor(src) and the next (clamped). */
    static final class Axis {
        final int[] lo;
        final int[] hi;
        final double[] wLo;
        final double[] wHi;

        private Axis(int n) {
            int m = 2 * n;
            lo = new int[m];
            hi = new int[m];
            wLo = new double[m];
            wHi = new double[m];
            for (int d = 0; d < m; d++) {
                double src = Math.max(0.0, (d + 0.5) / 2.0 - 0.5);
                int i0 = (int) Math.floor(src);
                double frac = src - i0;
                lo[d] = i0;
                hi[d] = Math.min(i0 + 1, n - 1);
                wLo[d] = 1.0 - frac;
                wHi[d] = frac;
            }
        }

        static Axis of(int n) {
            return new Axis(n);
        }
    }
}
