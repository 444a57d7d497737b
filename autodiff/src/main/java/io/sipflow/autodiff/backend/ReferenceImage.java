package io.sipflow.autodiff.backend;

/**
 * Max pooling and bilinear ×2 upsampling as plain double loops over NCHW planes: the executable spec of
 * {@link ImageKernels}, and what CpuBackend runs for FLOAT64 and in {@link CpuBackend#scalar()}.
 * <pre>
 * maxPool:   y[o] = x[argmax], argmax = the first maximum of window o in row-major order (strict &gt;)
 *            gx[argmax of o] = gy[o], zeros elsewhere
 * upsample:  y[i, j] = a0·(b0·x[r0, c0] + b1·x[r0, c1]) + a1·(b0·x[r1, c0] + b1·x[r1, c1])
 *            (rows r0, r1 and weights a0, a1 of output row i; columns c0, c1 and weights b0, b1 of column j)
 * adjoint:   gx[r, c] += (row weight)·(column weight)·gy[i, j] over the four taps of every output, in order
 * </pre>
 * Planes run in parallel and never share outputs: no dependence on the thread count.
 */
final class ReferenceImage {
    private ReferenceImage() {
    }

    static double[] maxPool(double[] x, int planes, int h, int w, int size) {
        int oh = h / size;
        int ow = w / size;
        double[] y = new double[planes * oh * ow];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        y[(p * oh + i) * ow + j] = x[argmax(x, p, i, j, h, w, size)];
                    }
                }
            }
        });
        return y;
    }

    static double[] maxPoolBackward(double[] gy, double[] x, int planes, int h, int w, int size) {
        int oh = h / size;
        int ow = w / size;
        double[] gx = new double[x.length];
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        gx[argmax(x, p, i, j, h, w, size)] = gy[(p * oh + i) * ow + j];
                    }
                }
            }
        });
        return gx;
    }

    /** Flat index into x of the first maximum of window (i, j) of plane p. */
    private static int argmax(double[] x, int p, int i, int j, int h, int w, int size) {
        int best = p * h * w + i * size * w + j * size;
        for (int u = 0; u < size; u++) {
            for (int v = 0; v < size; v++) {
                int at = p * h * w + (i * size + u) * w + j * size + v;
                if (x[at] > x[best]) {
                    best = at;
                }
            }
        }
        return best;
    }

    static double[] upsampleBilinear2x(double[] x, int planes, int h, int w) {
        double[] y = new double[planes * 4 * h * w];
        interpolate(x, y, planes, ImageKernels.Axis.of(h), ImageKernels.Axis.of(w), h, w, false);
        return y;
    }

    static double[] upsampleBilinear2xAdjoint(double[] gy, int planes, int h, int w) {
        double[] gx = new double[planes * h * w];
        interpolate(gx, gy, planes, ImageKernels.Axis.of(h), ImageKernels.Axis.of(w), h, w, true);
        return gx;
    }

    /** y = A·x per plane, or (adjoint) x += Aᵀ·y, with A the tensor product of the row and column interpolations. */
    private static void interpolate(double[] x, double[] y, int planes, ImageKernels.Axis rows,
                                    ImageKernels.Axis cols, int h, int w, boolean adjoint) {
        int oh = 2 * h;
        int ow = 2 * w;
        Parallel.forRange(planes, 1, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int xb = p * h * w;
                int yb = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r0 = xb + rows.lo[i] * w;
                    int r1 = xb + rows.hi[i] * w;
                    double a0 = rows.wLo[i];
                    double a1 = rows.wHi[i];
                    for (int j = 0; j < ow; j++) {
                        int c0 = cols.lo[j];
                        int c1 = cols.hi[j];
                        double b0 = cols.wLo[j];
                        double b1 = cols.wHi[j];
                        int at = yb + i * ow + j;
                        if (adjoint) {
                            double g = y[at];
                            x[r0 + c0] += a0 * b0 * g;
                            x[r0 + c1] += a0 * b1 * g;
                            x[r1 + c0] += a1 * b0 * g;
                            x[r1 + c1] += a1 * b1 * g;
                        } else {
                            y[at] = a0 * (b0 * x[r0 + c0] + b1 * x[r0 + c1]) + a1 * (b0 * x[r1 + c0] + b1 * x[r1 + c1]);
                        }
                    }
                }
            }
        });
    }
}
