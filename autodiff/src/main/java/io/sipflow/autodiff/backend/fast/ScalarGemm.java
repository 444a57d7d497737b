package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.Parallel;

/**
 * {@link VectorGemm} in plain Java: c[i, j] = fma(a[i, k−1], b[k−1, j], … fma(a[i, 0], b[0, j], 0)), one FMA chain per
 * output in p order, FLOAT32 in float and FLOAT64 in double: the same bits as the Vector API kernel. The loop runs p
 * outside j (a row of b at a time), which keeps each output's chain in p order.
 */
final class ScalarGemm {
    private ScalarGemm() {
    }

    static float[] multiply(float[] a, float[] b, int batch, int m, int k, int n) {
        float[] c = new float[batch * m * n];
        Parallel.forRange(batch * m, Math.max(1, 8192 / Math.max(1, k * n)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int bo = row / m * k * n;
                int co = row * n;
                int ao = row * k;
                for (int p = 0; p < k; p++) {
                    float ap = a[ao + p];
                    int bp = bo + p * n;
                    for (int j = 0; j < n; j++) {
                        c[co + j] = Math.fma(b[bp + j], ap, c[co + j]);
                    }
                }
            }
        });
        return c;
    }

    static double[] multiply(double[] a, double[] b, int batch, int m, int k, int n) {
        double[] c = new double[batch * m * n];
        Parallel.forRange(batch * m, Math.max(1, 8192 / Math.max(1, k * n)), (lo, hi) -> {
            for (int row = lo; row < hi; row++) {
                int bo = row / m * k * n;
                int co = row * n;
                int ao = row * k;
                for (int p = 0; p < k; p++) {
                    double ap = a[ao + p];
                    int bp = bo + p * n;
                    for (int j = 0; j < n; j++) {
                        c[co + j] = Math.fma(b[bp + j], ap, c[co + j]);
                    }
                }
            }
        });
        return c;
    }
}
