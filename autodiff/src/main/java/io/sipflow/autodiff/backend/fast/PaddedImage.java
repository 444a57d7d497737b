package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ImageChannels;

import java.util.Arrays;

/**
 * The layout the fast convolutions compute in: each channel padded by p = k/2 on every side (wrapped for
 * CIRCULAR, zeros for ZERO) into an (h+2p)×(w+2p) plane, planes stored one after another. Output position (i, j)
 * is numbered q = i·wp + j with wp = w + 2p, so kernel tap (c, u, v) reads the input at q + c·plane + u·wp + v:
 * <b>one constant offset per tap</b>, which turns the convolution into a 1-D implicit GEMM over q.
 * The columns j ≥ w of each row (and q past h·wp, up to {@link #qLen}) are computed too and thrown away.
 */
final class PaddedImage {
    final int c;
    final int h;
    final int w;
    final int k;
    final int p;
    final int hp;
    final int wp;
    final int plane;
    /** Output positions computed per image: h·wp rounded up to a whole number of {@code quantum}s. */
    final int qLen;
    /** Taps c·k·k, each one input offset. */
    final int taps;
    /** Array length of one padded image, with zeroed slack for the reads of the thrown-away positions. */
    final int length;
    /** How rows move between an image and this layout. */
    private final RowCopy rows;

    /** The layout with rows moved by {@code System.arraycopy} (the plain-Java kernels). */
    PaddedImage(int c, int h, int w, int k, int quantum) {
        this(c, h, w, k, quantum, RowCopy.ARRAYCOPY);
    }

    /**
     * The layout of c channels of h×w for a k×k kernel, positions computed in multiples of {@code quantum}, rows
     * moved by {@code rows}.
     */
    PaddedImage(int c, int h, int w, int k, int quantum, RowCopy rows) {
        this.rows = rows;
        this.c = c;
        this.h = h;
        this.w = w;
        this.k = k;
        this.p = k / 2;
        this.hp = h + 2 * p;
        this.wp = w + 2 * p;
        this.plane = hp * wp;
        this.qLen = (h * wp + quantum - 1) / quantum * quantum;
        this.taps = c * k * k;
        this.length = c * plane + (qLen - h * wp) + 2 * p + quantum;
    }

    /** Offset of tap t = (ci·k + u)·k + v; taps past {@link #taps} (tile padding) read offset 0. */
    int[] tapOffsets(int paddedTaps) {
        int[] off = new int[paddedTaps];
        for (int t = 0; t < taps; t++) {
            int v = t % k;
            int u = (t / k) % k;
            int ci = t / (k * k);
            off[t] = ci * plane + u * wp + v;
        }
        return off;
    }

    /**
     * Copies the kept positions of block [q0, q1) from {@code block} (one row of {@code bq} per channel, block
     * position q at q − q0) into the unpadded image {@code image[at ..]} (channels×h×w): position q = i·wp + j is
     * pixel (i, j) for j &lt; w and i &lt; h; the others are thrown away.
     */
    void blockToImage(float[] block, int bq, int q0, int q1, float[] image, int at, int channels) {
        exchange(image, at, channels, block, bq, q0, q1, true);
    }

    /** The reverse of {@link #blockToImage}: the kept positions of [q0, q1) from the image into the block. */
    void imageToBlock(float[] image, int at, int channels, float[] block, int bq, int q0, int q1) {
        exchange(image, at, channels, block, bq, q0, q1, false);
    }

    /** One piece of a row per padded row the block meets, for every channel. */
    private void exchange(float[] image, int at, int channels, float[] block, int bq, int q0, int q1,
                          boolean toImage) {
        int planeSize = h * w;
        int lastRow = Math.min(h - 1, (q1 - 1) / wp);
        for (int i = q0 / wp; i <= lastRow; i++) {
            int rowStart = i * wp;
            int j0 = Math.max(0, q0 - rowStart);
            int j1 = Math.min(w, q1 - rowStart);
            if (j1 <= j0) {
                continue;
            }
            int inBlock = rowStart + j0 - q0;
            int inImage = at + i * w + j0;
            for (int ch = 0; ch < channels; ch++) {
                if (toImage) {
                    rows.copy(block, ch * bq + inBlock, image, ch * planeSize + inImage, j1 - j0);
                } else {
                    rows.copy(image, ch * planeSize + inImage, block, ch * bq + inBlock, j1 - j0);
                }
            }
        }
    }

    /** Writes image {@code src[srcOff ..]} (c×h×w) padded into {@code dst[0 .. length)}. */
    void pad(float[] src, int srcOff, Padding padding, float[] dst) {
        pad(src, srcOff, padding, dst, 0);
    }

    /**
     * Writes image {@code src[srcOff ..]} (c×h×w) padded into {@code dst[at .. at + length)}, with the zeroed slack
     * past the planes.
     */
    void pad(float[] src, int srcOff, Padding padding, float[] dst, int at) {
        padPlanes(src, srcOff, 0, c, padding, dst, at);
        Arrays.fill(dst, at + c * plane, at + length, 0f);
    }

    /**
     * Writes image {@code img} of the channel concatenation [x, extra] padded into {@code dst[at .. at + length)}, as
     * {@link #pad} would write the concatenated image: x's {@code cx} channels from {@code xOff}, then extra's c − cx,
     * which {@code extra} first writes into {@code planes} (this thread's buffer of (c − cx)·h·w, so they go from
     * cache to cache instead of through a tensor in memory).
     */
    void padConcat(float[] x, int xOff, int cx, ImageChannels extra, int img, float[] planes, Padding padding,
                   float[] dst, int at) {
        padPlanes(x, xOff, 0, cx, padding, dst, at);
        extra.write(img, planes, 0);
        padPlanes(planes, 0, cx, c - cx, padding, dst, at);
        Arrays.fill(dst, at + c * plane, at + length, 0f);
    }

    /**
     * Planes first … first + count − 1 of dst from the count (h, w) planes at src[srcOff ..]. Rows are short (a few
     * dozen values), so the per-row work is kept to one copy and the p edge values on each side: the wrapped source
     * row and columns come from comparisons, not divisions (p ≤ h and p ≤ w for every k the convolutions accept;
     * wider circular padding wraps with floorMod).
     */
    private void padPlanes(float[] src, int srcOff, int first, int count, Padding padding, float[] dst, int at) {
        if (padding == Padding.CIRCULAR && (p > h || p > w)) {
            padWrappingMoreThanOnce(src, srcOff, first, count, dst, at);
            return;
        }
        boolean circular = padding == Padding.CIRCULAR;
        for (int i = 0; i < count; i++) {
            int ci = first + i;
            int plane0 = srcOff + i * h * w;
            for (int r = 0; r < hp; r++) {
                int row = at + dst(ci, r);
                int sr = r - p;
                if (sr < 0 || sr >= h) {
                    if (!circular) {
                        Arrays.fill(dst, row, row + wp, 0f);
                        continue;
                    }
                    sr = sr < 0 ? sr + h : sr - h;
                }
                int s = plane0 + sr * w;
                rows.copy(src, s, dst, row + p, w);
                for (int e = 0; e < p; e++) { // the p edge values by hand: a copy call costs more than p stores
                    dst[row + e] = circular ? src[s + w - p + e] : 0f;
                    dst[row + p + w + e] = circular ? src[s + e] : 0f;
                }
            }
        }
    }

    /** Circular padding wider than the image (p &gt; h or p &gt; w): every index wrapped with floorMod. */
    private void padWrappingMoreThanOnce(float[] src, int srcOff, int first, int count, float[] dst, int at) {
        for (int i = 0; i < count; i++) {
            for (int r = 0; r < hp; r++) {
                int row = at + dst(first + i, r);
                int s = srcOff + (i * h + Math.floorMod(r - p, h)) * w;
                for (int j = 0; j < wp; j++) {
                    dst[row + j] = src[s + Math.floorMod(j - p, w)];
                }
            }
        }
    }

    private int dst(int ci, int r) {
        return ci * plane + r * wp;
    }
}
