package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;

/**
 * Sum or max over axes without permuting the input, when the last axis is reduced: the trailing reduced axes form
 * contiguous runs, the other reduced axes are walked in row-major order, so each output reads the same elements in
 * the same order as the permuted block would. Sums accumulate in double in four interleaved partial sums (element
 * i goes to sum i mod 4 of its run, the four added pairwise at the end: a fixed order that breaks the add latency
 * chain). Outputs run in parallel; each is reduced by one thread, so results do not depend on the thread count.
 */
final class StridedSum {
    private StridedSum() {
    }

    static double[] reduce(ReduceOp op, Tensor a, boolean[] reduced) {
        int[] dims = a.shape().dims();
        int[] strides = a.shape().strides();
        int r = dims.length;
        int first = r; // first axis of the trailing run of reduced axes
        while (first > 0 && reduced[first - 1]) {
            first--;
        }
        int run = 1;
        for (int i = first; i < r; i++) {
            run *= dims[i];
        }
        int[][] kept = axes(dims, strides, reduced, first, false);
        int[][] outerReduced = axes(dims, strides, reduced, first, true);
        int outer = product(kept[0]);
        int blocks = product(outerReduced[0]);
        double[] x = a.dtype() == DType.FLOAT64 ? a.doubleData() : null;
        float[] xf = a.dtype() == DType.FLOAT32 ? a.floatData() : null;
        double[] result = new double[outer];
        int runLength = run;
        Parallel.forRange(outer, Math.max(1, 32768 / Math.max(1, blocks * run)), (o0, o1) -> {
            BatchNormBlockLoops loops = BatchNormLoops.LOOPS; // its float sum is this class's sum, bit for bit
            for (int o = o0; o < o1; o++) {
                int base = offset(o, kept);
                double acc = op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY;
                for (int b = 0; b < blocks; b++) {
                    int lo = base + offset(b, outerReduced);
                    double part = op != ReduceOp.SUM ? 0
                            : xf != null ? loops.sum(xf, lo, lo + runLength) : sum(x, null, lo, lo + runLength);
                    acc = op == ReduceOp.SUM ? acc + part
                            : Math.max(acc, max(x, xf, lo, lo + runLength));
                }
                result[o] = acc;
            }
        });
        return result;
    }

    /**
     * gb[oc] = Σ over (n, i) of x[(n·o + oc)·hw + i] as {@link #reduce} sums an (n, o, h, w) tensor over (0, 2, 3),
     * rounded to float: per image the run's {@link BatchNormBlockLoops#sum}, images added in order from 0.
     */
    static void channelSums(float[] x, int n, int o, int hw, float[] gb) {
        BatchNormBlockLoops loops = BatchNormLoops.LOOPS;
        for (int oc = 0; oc < o; oc++) {
            double acc = 0;
            for (int img = 0; img < n; img++) {
                int lo = (img * o + oc) * hw;
                acc = acc + loops.sum(x, lo, lo + hw);
            }
            gb[oc] = (float) acc;
        }
    }

    /** {dims, strides} of the axes before {@code first} that are reduced (or kept). */
    private static int[][] axes(int[] dims, int[] strides, boolean[] reduced, int first, boolean wantReduced) {
        int count = 0;
        for (int i = 0; i < first; i++) {
            count += reduced[i] == wantReduced ? 1 : 0;
        }
        int[][] out = new int[2][count];
        int k = 0;
        for (int i = 0; i < first; i++) {
            if (reduced[i] == wantReduced) {
                out[0][k] = dims[i];
                out[1][k++] = strides[i];
            }
        }
        return out;
    }

    private static int product(int[] v) {
        int p = 1;
        for (int d : v) {
            p *= d;
        }
        return p;
    }

    /** Input offset of row-major index {@code index} over the axes {dims, strides}. */
    private static int offset(int index, int[][] axes) {
        int off = 0;
        for (int i = axes[0].length - 1; i >= 0; i--) {
            off += (index % axes[0][i]) * axes[1][i];
            index /= axes[0][i];
        }
        return off;
    }

    /** Σ x[lo..hi) in double: four interleaved partial sums, then (s0 + s1) + (s2 + s3). */
    static double sum(double[] x, float[] xf, int lo, int hi) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = lo;
        if (x != null) {
            for (; i + 3 < hi; i += 4) {
                s0 += x[i];
                s1 += x[i + 1];
                s2 += x[i + 2];
                s3 += x[i + 3];
            }
            for (; i < hi; i++) {
                s0 += x[i];
            }
        } else {
            for (; i + 3 < hi; i += 4) {
                s0 += xf[i];
                s1 += xf[i + 1];
                s2 += xf[i + 2];
                s3 += xf[i + 3];
            }
            for (; i < hi; i++) {
                s0 += xf[i];
            }
        }
        return (s0 + s1) + (s2 + s3);
    }

    static double max(double[] x, float[] xf, int lo, int hi) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = lo; i < hi; i++) {
            m = Math.max(m, x != null ? x[i] : xf[i]);
        }
        return m;
    }
}
