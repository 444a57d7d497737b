package io.sipflow.autodiff.backend;

/**
 * FLOAT32 2×2-style max pooling and bilinear ×2 upsampling on raw NCHW arrays, for image ops that want to skip the
 * whole-tensor float→double copies. Same arithmetic as {@code ops.ImageOps} (its double loops are the spec): the
 * max and its argmax are exact; each upsampled value is the same double expression rounded once; the adjoint
 * accumulates each plane in double in the same order and rounds once. So results are bit-identical to ImageOps
 * on FLOAT32 inputs. Planes run in parallel and never share outputs: no dependence on the thread count.
 */
public final class ImageKernels {
    private ImageKernels() {
    }

    /** Pooled values and, per output, the flat input index of its maximum (first in row-major order on ties). */
    public record MaxPool(float[] y, int[] argmax) {
    }

    public static MaxPool maxPool(float[] x, int planes, int h, int w, int size) {
        int oh = h / size;
        int ow = w / size;
        float[] y = new float[planes * oh * ow];
        int[] argmax = new int[y.length];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int best = p * h * w + i * size * w + j * size;
                        for (int u = 0; u < size; u++) {
                            int row = p * h * w + (i * size + u) * w + j * size;
                            for (int v = 0; v < size; v++) {
                                if (x[row + v] > x[best] || Float.isNaN(x[row + v])) { // NaN wins, as PyTorch
                                    best = row + v;
                                }
                            }
                        }
                        int o = (p * oh + i) * ow + j;
                        y[o] = x[best];
                        argmax[o] = best;
                    }
                }
            }
        });
        return new MaxPool(y, argmax);
    }

    /** gx[argmax[o]] = gy[o]: windows do not overlap, so each input gets at most one gradient. */
    public static float[] maxPoolBackward(float[] gy, int[] argmax, int xSize) {
        float[] gx = new float[xSize];
        for (int o = 0; o < gy.length; o++) {
            gx[argmax[o]] = gy[o];
        }
        return gx;
    }

    /**
     * Bilinear ×2, align_corners=False: y = a0·(b0·x00 + b1·x01) + a1·(b0·x10 + b1·x11) in double, rounded once.
     * The inner sums are one input row interpolated along the columns, r(row, j) = b0·x[row, c0] + b1·x[row, c1];
     * each input row serves up to four output rows, so the plane's r rows are computed once (the same double
     * products and sums, so the same bits) and each output is a0·r(r0, j) + a1·r(r1, j).
     */
    public static float[] upsampleBilinear2x(float[] x, int planes, int h, int w) {
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
    public static float[] upsampleBilinear2xAdjoint(float[] gy, int planes, int h, int w) {
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
    private static final class Axis {
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
