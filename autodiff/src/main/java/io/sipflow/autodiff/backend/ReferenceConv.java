package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Padding;

/**
 * The executable specification of 2-D convolution (NCHW, weights OIkk, odd k, stride 1, "same" padding p = k/2),
 * in plain loops over double arrays. Fast kernels are tested against these.
 * <pre>
 * y[n,o,i,j]  = b[o] + Σ_c Σ_{u,v} w[o,c,u,v] · x[n,c, i+u−p, j+v−p]        (index wraps for CIRCULAR,
 * gx[n,c,s,t] = Σ_o Σ_{u,v} gy[n,o, s−u+p, t−v+p] · w[o,c,u,v]               reads 0 outside for ZERO)
 * gw[o,c,u,v] = Σ_n Σ_{i,j} gy[n,o,i,j] · x[n,c, i+u−p, j+v−p]
 * </pre>
 * Parallel over independent outputs only, so results do not depend on the thread count.
 */
public final class ReferenceConv {
    private ReferenceConv() {
    }

    /** Source index of output position {@code i} shifted by kernel offset {@code u}, or −1 if it reads padding. */
    static int source(int i, int u, int p, int size, Padding padding) {
        int s = i + u - p;
        if (s >= 0 && s < size) {
            return s;
        }
        return padding == Padding.CIRCULAR ? Math.floorMod(s, size) : -1;
    }

    /** Table of {@link #source} for every kernel offset u (rows) and position i (columns). */
    static int[][] sourceTable(int size, int k, Padding padding) {
        int[][] t = new int[k][size];
        for (int u = 0; u < k; u++) {
            for (int i = 0; i < size; i++) {
                t[u][i] = source(i, u, k / 2, size, padding);
            }
        }
        return t;
    }

    /**
     * The forward convolution y of the class comment, in double.
     *
     * @param x the image, n·c·h·wd values (NCHW)
     * @param w the kernels, o·c·k·k values (OIkk)
     * @param bias o values, or null for none
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding ZERO reads 0 outside the image, CIRCULAR wraps around
     * @return y, n·o·h·wd values
     */
    public static double[] forward(double[] x, double[] w, double[] bias, int n, int c, int h, int wd, int o,
                                   int k, Padding padding) {
        double[] y = new double[n * o * h * wd];
        int[][] rowSrc = sourceTable(h, k, padding);
        int[][] colSrc = sourceTable(wd, k, padding);
        Parallel.forRange(n * o, 1, (lo, hi) -> {
            for (int no = lo; no < hi; no++) {
                int b = no / o;
                int oc = no % o;
                int yBase = no * h * wd;
                if (bias != null) {
                    java.util.Arrays.fill(y, yBase, yBase + h * wd, bias[oc]);
                }
                for (int ci = 0; ci < c; ci++) {
                    int xBase = (b * c + ci) * h * wd;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            double wv = w[((oc * c + ci) * k + u) * k + v];
                            for (int i = 0; i < h; i++) {
                                int si = rowSrc[u][i];
                                if (si < 0) {
                                    continue;
                                }
                                int xRow = xBase + si * wd;
                                int yRow = yBase + i * wd;
                                for (int j = 0; j < wd; j++) {
                                    int sj = colSrc[v][j];
                                    if (sj >= 0) {
                                        y[yRow + j] += wv * x[xRow + sj];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        return y;
    }

    /**
     * The input gradient gx of the class comment.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param w the kernels, o·c·k·k values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return gx, n·c·h·wd values
     */
    public static double[] backwardData(double[] gy, double[] w, int n, int c, int h, int wd, int o, int k,
                                        Padding padding) {
        double[] gx = new double[n * c * h * wd];
        int[][] rowSrc = sourceTable(h, k, padding);
        int[][] colSrc = sourceTable(wd, k, padding);
        Parallel.forRange(n * c, 1, (lo, hi) -> {
            for (int nc = lo; nc < hi; nc++) {
                int b = nc / c;
                int ci = nc % c;
                int xBase = nc * h * wd;
                for (int oc = 0; oc < o; oc++) {
                    int yBase = (b * o + oc) * h * wd;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            double wv = w[((oc * c + ci) * k + u) * k + v];
                            for (int i = 0; i < h; i++) {
                                int si = rowSrc[u][i];
                                if (si < 0) {
                                    continue;
                                }
                                int xRow = xBase + si * wd;
                                int yRow = yBase + i * wd;
                                for (int j = 0; j < wd; j++) {
                                    int sj = colSrc[v][j];
                                    if (sj >= 0) {
                                        gx[xRow + sj] += wv * gy[yRow + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        });
        return gx;
    }

    /**
     * The weight gradient gw of the class comment.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param x the forward's input, n·c·h·wd values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return gw, o·c·k·k values
     */
    public static double[] backwardWeight(double[] gy, double[] x, int n, int c, int h, int wd, int o, int k,
                                          Padding padding) {
        double[] gw = new double[o * c * k * k];
        int[][] rowSrc = sourceTable(h, k, padding);
        int[][] colSrc = sourceTable(wd, k, padding);
        Parallel.forRange(o * c, 1, (lo, hi) -> {
            for (int oci = lo; oci < hi; oci++) {
                int oc = oci / c;
                int ci = oci % c;
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        double s = 0;
                        for (int b = 0; b < n; b++) {
                            int xBase = (b * c + ci) * h * wd;
                            int yBase = (b * o + oc) * h * wd;
                            for (int i = 0; i < h; i++) {
                                int si = rowSrc[u][i];
                                if (si < 0) {
                                    continue;
                                }
                                for (int j = 0; j < wd; j++) {
                                    int sj = colSrc[v][j];
                                    if (sj >= 0) {
                                        s += gy[yBase + i * wd + j] * x[xBase + si * wd + sj];
                                    }
                                }
                            }
                        }
                        gw[((oc * c + ci) * k + u) * k + v] = s;
                    }
                }
            }
        });
        return gw;
    }
}
