package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * Sum and max over axes. When the last axis is reduced (sums over N, H, W for batch norm and conv biases),
 * {@link StridedSum} reads the input in place; otherwise the input is first permuted so the reduced axes are last
 * (no copy when they already are) and each output element reduces one contiguous block. Summation order depends only on the shape, never
 * on the thread count: long blocks are cut into fixed 8192-element chunks whose partial sums are added in chunk
 * order. FLOAT32 sums accumulate in double.
 */
final class ReduceKernels {
    private static final int CHUNK = 8192;

    private ReduceKernels() {
    }

    static Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        int r = a.rank();
        boolean[] reduced = new boolean[r];
        for (int ax : axes) {
            reduced[ax] = true;
        }
        int[] order = new int[r];
        int[] outDims = a.shape().dims();
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (!reduced[i]) {
                order[k++] = i;
            }
        }
        for (int i = 0; i < r; i++) {
            if (reduced[i]) {
                order[k++] = i;
                outDims[i] = 1;
            }
        }
        boolean identity = true;
        for (int i = 0; i < r; i++) {
            identity &= order[i] == i;
        }
        Shape outShape = Shape.of(outDims);
        if (!identity && reduced[r - 1]) {
            return finish(a.dtype(), outShape, StridedSum.reduce(op, a, reduced));
        }
        Tensor src = identity ? a : Layout.permute(a, order);
        int outer = outShape.size();
        int block = outer == 0 ? 0 : a.size() / outer;
        double[] result = new double[outer];
        double[] x = a.dtype() == DType.FLOAT64 ? src.doubleData() : null;
        float[] xf = a.dtype() == DType.FLOAT32 ? src.floatData() : null;
        if (outer == 1 && block > CHUNK) {
            result[0] = reduceLongBlock(op, x, xf, block);
        } else {
            Parallel.forRange(outer, Math.max(1, 32768 / Math.max(1, block)), (o0, o1) -> {
                for (int o = o0; o < o1; o++) {
                    result[o] = reduceBlock(op, x, xf, o * block, o * block + block);
                }
            });
        }
        return finish(a.dtype(), outShape, result);
    }

    /** Double results as {@code dtype}, rounded once for FLOAT32. */
    private static Tensor finish(DType dtype, Shape outShape, double[] result) {
        if (dtype == DType.FLOAT64) {
            return Tensor.wrap(outShape, result);
        }
        float[] f = new float[result.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) result[i];
        }
        return Tensor.wrap(outShape, f);
    }

    private static double reduceLongBlock(ReduceOp op, double[] x, float[] xf, int n) {
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = new double[chunks];
        Parallel.forRange(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                partial[c] = reduceBlock(op, x, xf, c * CHUNK, Math.min(n, (c + 1) * CHUNK));
            }
        });
        double acc = op == ReduceOp.SUM ? 0 : Double.NEGATIVE_INFINITY;
        for (double p : partial) {
            acc = op == ReduceOp.SUM ? acc + p : Math.max(acc, p);
        }
        return acc;
    }

    static double reduceBlock(ReduceOp op, double[] x, float[] xf, int lo, int hi) {
        return op == ReduceOp.SUM ? StridedSum.sum(x, xf, lo, hi) : StridedSum.max(x, xf, lo, hi);
    }
}
