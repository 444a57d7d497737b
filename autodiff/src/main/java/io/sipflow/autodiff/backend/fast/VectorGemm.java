package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched row-major GEMM c = a·b, (m×k)·(k×n), in register tiles of 4 rows × 2 vectors of columns: per step p,
 * two vectors of row p of b are loaded and four broadcasts of a[i, p] feed 8 FMAs. Columns past the last whole
 * vector and rows past the last whole tile use the same FMA recurrence one row/element at a time. Every c[i, j]
 * is Σ_p in p order, computed by one thread: results do not depend on the thread count.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> SF = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> SD = DoubleVector.SPECIES_PREFERRED;

    private VectorGemm() {
    }

    static float[] multiply(float[] a, float[] b, int batch, int m, int k, int n) {
        float[] c = new float[batch * m * n];
        int blocks = (m + 3) / 4;
        Parallel.forRange(batch * blocks, Math.max(1, 8192 / Math.max(1, k * n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int bi = r / blocks;
                int i0 = (r % blocks) * 4;
                rowsF(a, b, c, bi * m * k, bi * k * n, bi * m * n, i0, Math.min(4, m - i0), k, n);
            }
        });
        return c;
    }

    static double[] multiply(double[] a, double[] b, int batch, int m, int k, int n) {
        double[] c = new double[batch * m * n];
        int blocks = (m + 3) / 4;
        Parallel.forRange(batch * blocks, Math.max(1, 8192 / Math.max(1, k * n)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int bi = r / blocks;
                int i0 = (r % blocks) * 4;
                rowsD(a, b, c, bi * m * k, bi * k * n, bi * m * n, i0, Math.min(4, m - i0), k, n);
            }
        });
        return c;
    }

    /** Rows i0 .. i0+rows of one product (rows ≤ 4). */
    private static void rowsF(float[] a, float[] b, float[] c, int ao, int bo, int co, int i0, int rows, int k,
                              int n) {
        int vl = SF.length();
        int j = 0;
        if (rows == 4) {
            for (; j + 2 * vl <= n; j += 2 * vl) {
                FloatVector c00 = FloatVector.zero(SF), c01 = c00, c10 = c00, c11 = c00;
                FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                int a0 = ao + i0 * k;
                for (int p = 0; p < k; p++) {
                    FloatVector b0 = FloatVector.fromArray(SF, b, bo + p * n + j);
                    FloatVector b1 = FloatVector.fromArray(SF, b, bo + p * n + j + vl);
                    FloatVector x = FloatVector.broadcast(SF, a[a0 + p]);
                    c00 = b0.fma(x, c00);
                    c01 = b1.fma(x, c01);
                    x = FloatVector.broadcast(SF, a[a0 + k + p]);
                    c10 = b0.fma(x, c10);
                    c11 = b1.fma(x, c11);
                    x = FloatVector.broadcast(SF, a[a0 + 2 * k + p]);
                    c20 = b0.fma(x, c20);
                    c21 = b1.fma(x, c21);
                    x = FloatVector.broadcast(SF, a[a0 + 3 * k + p]);
                    c30 = b0.fma(x, c30);
                    c31 = b1.fma(x, c31);
                }
                int c0 = co + i0 * n + j;
                c00.intoArray(c, c0);
                c01.intoArray(c, c0 + vl);
                c10.intoArray(c, c0 + n);
                c11.intoArray(c, c0 + n + vl);
                c20.intoArray(c, c0 + 2 * n);
                c21.intoArray(c, c0 + 2 * n + vl);
                c30.intoArray(c, c0 + 3 * n);
                c31.intoArray(c, c0 + 3 * n + vl);
            }
        }
        for (int i = i0; i < i0 + rows; i++) {
            int jj = j;
            for (; jj + vl <= n; jj += vl) {
                FloatVector acc = FloatVector.zero(SF);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.fromArray(SF, b, bo + p * n + jj).fma(FloatVector.broadcast(SF, a[ao + i * k + p]), acc);
                }
                acc.intoArray(c, co + i * n + jj);
            }
            for (; jj < n; jj++) {
                float s = 0f;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(b[bo + p * n + jj], a[ao + i * k + p], s);
                }
                c[co + i * n + jj] = s;
            }
        }
    }

    /** The FLOAT64 twin of {@link #rowsF}. */
    private static void rowsD(double[] a, double[] b, double[] c, int ao, int bo, int co, int i0, int rows, int k,
                              int n) {
        int vl = SD.length();
        int j = 0;
        if (rows == 4) {
            for (; j + 2 * vl <= n; j += 2 * vl) {
                DoubleVector c00 = DoubleVector.zero(SD), c01 = c00, c10 = c00, c11 = c00;
                DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                int a0 = ao + i0 * k;
                for (int p = 0; p < k; p++) {
                    DoubleVector b0 = DoubleVector.fromArray(SD, b, bo + p * n + j);
                    DoubleVector b1 = DoubleVector.fromArray(SD, b, bo + p * n + j + vl);
                    DoubleVector x = DoubleVector.broadcast(SD, a[a0 + p]);
                    c00 = b0.fma(x, c00);
                    c01 = b1.fma(x, c01);
                    x = DoubleVector.broadcast(SD, a[a0 + k + p]);
                    c10 = b0.fma(x, c10);
                    c11 = b1.fma(x, c11);
                    x = DoubleVector.broadcast(SD, a[a0 + 2 * k + p]);
                    c20 = b0.fma(x, c20);
                    c21 = b1.fma(x, c21);
                    x = DoubleVector.broadcast(SD, a[a0 + 3 * k + p]);
                    c30 = b0.fma(x, c30);
                    c31 = b1.fma(x, c31);
                }
                int c0 = co + i0 * n + j;
                c00.intoArray(c, c0);
                c01.intoArray(c, c0 + vl);
                c10.intoArray(c, c0 + n);
                c11.intoArray(c, c0 + n + vl);
                c20.intoArray(c, c0 + 2 * n);
                c21.intoArray(c, c0 + 2 * n + vl);
                c30.intoArray(c, c0 + 3 * n);
                c31.intoArray(c, c0 + 3 * n + vl);
            }
        }
        for (int i = i0; i < i0 + rows; i++) {
            int jj = j;
            for (; jj + vl <= n; jj += vl) {
                DoubleVector acc = DoubleVector.zero(SD);
                for (int p = 0; p < k; p++) {
                    acc = DoubleVector.fromArray(SD, b, bo + p * n + jj).fma(DoubleVector.broadcast(SD, a[ao + i * k + p]), acc);
                }
                acc.intoArray(c, co + i * n + jj);
            }
            for (; jj < n; jj++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s = Math.fma(b[bo + p * n + jj], a[ao + i * k + p], s);
                }
                c[co + i * n + jj] = s;
            }
        }
    }
}
