package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * Plain-Java elementwise kernels. Same-shape and scalar-operand cases of the arithmetic ops get dedicated loops
 * (the JIT vectorises those); everything else walks rows of the broadcast output.
 */
final class ElementwiseKernels {
    private static final int GRAIN = 1 << 15;

    private ElementwiseKernels() {
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        return a.dtype() == io.sipflow.autodiff.DType.FLOAT32
                ? Tensor.wrap(out, binaryF(op, a.floatData(), a.shape(), b.floatData(), b.shape(), out))
                : Tensor.wrap(out, binaryD(op, a.doubleData(), a.shape(), b.doubleData(), b.shape(), out));
    }

    private static float[] binaryF(BinaryOp op, float[] a, Shape as, float[] b, Shape bs, Shape out) {
        float[] y = BufferPool.floats(out.size());
        if (as.equals(out) && bs.equals(out) && fastF(op, a, b, y)) {
            return y;
        }
        int[] dims = out.dims();
        int inner = dims.length == 0 ? 1 : dims[dims.length - 1];
        int rows = inner == 0 ? 0 : out.size() / inner;
        int[] sa = Broadcasting.stridesFor(as, out);
        int[] sb = Broadcasting.stridesFor(bs, out);
        int ia = dims.length == 0 ? 0 : sa[dims.length - 1];
        int ib = dims.length == 0 ? 0 : sb[dims.length - 1];
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, inner)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int pa = Broadcasting.rowOffset(r, dims, sa);
                int pb = Broadcasting.rowOffset(r, dims, sb);
                BroadcastRows.rowF(op, a, pa, ia, b, pb, ib, y, r * inner, inner);
            }
        });
        return y;
    }

    private static double[] binaryD(BinaryOp op, double[] a, Shape as, double[] b, Shape bs, Shape out) {
        double[] y = BufferPool.doubles(out.size());
        if (as.equals(out) && bs.equals(out) && fastD(op, a, b, y)) {
            return y;
        }
        int[] dims = out.dims();
        int inner = dims.length == 0 ? 1 : dims[dims.length - 1];
        int rows = inner == 0 ? 0 : out.size() / inner;
        int[] sa = Broadcasting.stridesFor(as, out);
        int[] sb = Broadcasting.stridesFor(bs, out);
        int ia = dims.length == 0 ? 0 : sa[dims.length - 1];
        int ib = dims.length == 0 ? 0 : sb[dims.length - 1];
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, inner)), (r0, r1) -> {
            for (int r = r0; r < r1; r++) {
                int pa = Broadcasting.rowOffset(r, dims, sa);
                int pb = Broadcasting.rowOffset(r, dims, sb);
                BroadcastRows.rowD(op, a, pa, ia, b, pb, ib, y, r * inner, inner);
            }
        });
        return y;
    }

    /** Dedicated same-shape loops for the arithmetic ops; false if {@code op} has none. */
    private static boolean fastF(BinaryOp op, float[] a, float[] b, float[] y) {
        switch (op) {
            case ADD -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] + b[i]; });
            case SUB -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] - b[i]; });
            case MUL -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] * b[i]; });
            case DIV -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] / b[i]; });
            default -> { return false; }
        }
        return true;
    }

    private static boolean fastD(BinaryOp op, double[] a, double[] b, double[] y) {
        switch (op) {
            case ADD -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] + b[i]; });
            case SUB -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] - b[i]; });
            case MUL -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] * b[i]; });
            case DIV -> Parallel.forRange(y.length, GRAIN, (lo, hi) -> { for (int i = lo; i < hi; i++) y[i] = a[i] / b[i]; });
            default -> { return false; }
        }
        return true;
    }

    /** Elementwise op(a); {@code fast} (or null) supplies Vector API loops for the ops it has. */
    static Tensor unary(UnaryOp op, Tensor a, double p, FastKernels fast) {
        if (a.dtype() == io.sipflow.autodiff.DType.FLOAT32) {
            float[] x = a.floatData();
            float[] y = BufferPool.floats(x.length);
            Parallel.forRange(x.length, GRAIN, (lo, hi) -> {
                if (fast == null || !fast.unary(op, x, y, lo, hi)) {
                    unaryF(op, x, y, lo, hi, p);
                }
            });
            return Tensor.wrap(a.shape(), y);
        }
        double[] x = a.doubleData();
        double[] y = BufferPool.doubles(x.length);
        Parallel.forRange(x.length, GRAIN, (lo, hi) -> unaryD(op, x, y, lo, hi, p));
        return Tensor.wrap(a.shape(), y);
    }

    /** One loop per common op, chosen outside the loop (a shared loop calling {@link UnaryOp#apply} is megamorphic). */
    private static void unaryF(UnaryOp op, float[] x, float[] y, int lo, int hi, double p) {
        switch (op) {
            case RELU -> { for (int i = lo; i < hi; i++) y[i] = x[i] <= 0f ? 0f : x[i]; } // NaN stays NaN
            case STEP -> { for (int i = lo; i < hi; i++) y[i] = x[i] > 0f ? 1f : 0f; }
            case NEG -> { for (int i = lo; i < hi; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = lo; i < hi; i++) y[i] = Math.abs(x[i]); }
            case SQUARE -> { for (int i = lo; i < hi; i++) y[i] = x[i] * x[i]; }
            default -> { for (int i = lo; i < hi; i++) y[i] = (float) op.apply(x[i], p); }
        }
    }

    private static void unaryD(UnaryOp op, double[] x, double[] y, int lo, int hi, double p) {
        switch (op) {
            case NEG -> { for (int i = lo; i < hi; i++) y[i] = -x[i]; }
            case ABS -> { for (int i = lo; i < hi; i++) y[i] = Math.abs(x[i]); }
            case SQUARE -> { for (int i = lo; i < hi; i++) y[i] = x[i] * x[i]; }
            case SQRT -> { for (int i = lo; i < hi; i++) y[i] = Math.sqrt(x[i]); }
            default -> { for (int i = lo; i < hi; i++) y[i] = op.apply(x[i], p); }
        }
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        int n = cond.size();
        boolean[] take = new boolean[n];
        if (cond.dtype() == io.sipflow.autodiff.DType.FLOAT32) {
            float[] c = cond.floatData();
            for (int i = 0; i < n; i++) {
                take[i] = c[i] != 0;
            }
        } else {
            double[] c = cond.doubleData();
            for (int i = 0; i < n; i++) {
                take[i] = c[i] != 0;
            }
        }
        if (a.dtype() == io.sipflow.autodiff.DType.FLOAT32) {
            float[] x = a.floatData();
            float[] z = b.floatData();
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                y[i] = take[i] ? x[i] : z[i];
            }
            return Tensor.wrap(cond.shape(), y);
        }
        double[] x = a.doubleData();
        double[] z = b.doubleData();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = take[i] ? x[i] : z[i];
        }
        return Tensor.wrap(cond.shape(), y);
    }
}
