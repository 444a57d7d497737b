package io.sipflow.autodiff.backend;

/**
 * CpuBackend's fast FLOAT32 max pooling and bilinear ×2 upsampling on the raw NCHW arrays, without whole-tensor
 * float↔double copies. Same arithmetic as {@link ReferenceImage} (the spec): the max and its argmax are exact
 * (strict {@code >} in row-major window order, so the first maximum wins and NaN never replaces a value); each
 * upsampled value is the same double expression rounded once; the adjoint accumulates each plane in double in the
 * same order and rounds once. So results are bit-identical to the reference on FLOAT32 inputs. Planes run in
 * parallel and never share outputs: no dependence on the thread count.
 */
final class ImageKernels {
    private ImageKernels() {
    }

    /** Max over size×size windows of each of {@code planes} (h, w) planes. */
    static float[] maxPool(float[] x, int planes, int h, int w, int size) {
        int oh = h / size;
        int ow = w / size;
        float[] y = new float[planes * oh * ow];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    int o = (p * oh + i) * ow;
                    int row = p * h * w + i * size * w;
                    for (int j = 0; j < ow; j++) {
                        y[o + j] = x[argmax(x, row + j * size, w, size)];
                    }
                }
            }
        });
        return y;
    }

    /** gx[argmax of window o] = gy[o], zeros elsewhere: windows do not overlap, so each input has one writer. */
    static float[] maxPoolBackward(float[] gy, float[] x, int planes, int h, int w, int size) {
        int oh = h / size;
        int ow = w / size;
        float[] gx = new float[x.length];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    int o = (p * oh + i) * ow;
                    int row = p * h * w + i * size * w;
                    for (int j = 0; j < ow; j++) {
                        gx[argmax(x, row + j * size, w, size)] = gy[o + j];
                    }
                }
            }
        });
        return gx;
    }

    /** Flat index of the first maximum (row-major, strict {@code >}) of the window whose top-left is at. */
    private static int argmax(float[] x, int at, int w, int size) {
        if (size == 2) {
            int best = at;
            best = x[at + 1] > x[best] ? at + 1 : best;
            best = x[at + w] > x[best] ? at + w : best;
            return x[at + w + 1] > x[best] ? at + w + 1 : best;
        }
        int best = at;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                int k = at + u * w + v;
                if (x[k] > x[best]) {
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
        float[] y = new float[planes * oh * ow];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            double[] r = new double[h * ow];
            for (int p = lo; p < hi; p++) {
                int xb = p * h * w;
                int yb = p * oh * ow;
                for (int k = 0; k < h; k++) {
                    int row = xb + k * w;
                    for (int j = 0; j < ow; j++) {
                        r[k * ow + j] = cols.wLo[j] * x[row + cols.lo[j]] + cols.wHi[j] * x[row + cols.hi[j]];
                    }
                }
                for (int i = 0; i < oh; i++) {
                    int r0 = rows.lo[i] * ow;
                    int r1 = rows.hi[i] * ow;
                    double a0 = rows.wLo[i];
                    double a1 = rows.wHi[i];
                    int yr = yb + i * ow;
                    for (int j = 0; j < ow; j++) {
                        y[yr + j] = (float) (a0 * r[r0 + j] + a1 * r[r1 + j]);
                    }
                }
            }
        });
        return y;
    }

    /** The adjoint of {@link #upsampleBilinear2x}: each gradient scattered back with the same weights. */
    static float[] upsampleBilinear2xAdjoint(float[] gy, int planes, int h, int w) {
        Axis rows = Axis.of(h);
        Axis cols = Axis.of(w);
        int oh = 2 * h;
        int ow = 2 * w;
        float[] gx = new float[planes * h * w];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            double[] acc = new double[h * w];
            for (int p = lo; p < hi; p++) {
                java.util.Arrays.fill(acc, 0);
                int yb = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = rows.lo[i] * w;
                    int r1 = rows.hi[i] * w;
                    double a0 = rows.wLo[i];
                    double a1 = rows.wHi[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols.lo[j];
                        int c1 = cols.hi[j];
                        double b0 = cols.wLo[j];
                        double b1 = cols.wHi[j];
                        double g = gy[yb + i * ow + j];
                        acc[r0 + c0] += a0 * b0 * g;
                        acc[r0 + c1] += a0 * b1 * g;
                        acc[r1 + c0] += a1 * b0 * g;
                        acc[r1 + c1] += a1 * b1 * g;
                    }
                }
                for (int k = 0; k < h * w; k++) {
                    gx[p * h * w + k] = (float) acc[k];
                }
            }
        });
        return gx;
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
