package io.sipflow.autodiff.backend;

/**
 * One output row of a broadcast binary op: y[o + j] = op(a[pa + j·ia], b[pb + j·ib]) for j &lt; n. The arithmetic
 * ops get one loop per stride pattern (both contiguous; one operand fixed for the row, as in x − mean(x) over an
 * axis), chosen outside the loop so each loop is monomorphic and the JIT vectorises it; anything else calls
 * {@link BinaryOp#apply}, the definition.
 */
final class BroadcastRows {
    private BroadcastRows() {
    }

    static void rowF(BinaryOp op, float[] a, int pa, int ia, float[] b, int pb, int ib, float[] y, int o, int n) {
        if (ia == 1 && ib == 0) {
            float s = b[pb];
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] + s; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] - s; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] * s; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] / s; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else if (ia == 0 && ib == 1) {
            float s = a[pa];
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = s + b[pb + j]; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = s - b[pb + j]; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = s * b[pb + j]; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = s / b[pb + j]; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else if (ia == 1 && ib == 1) {
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] + b[pb + j]; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] - b[pb + j]; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] * b[pb + j]; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] / b[pb + j]; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else {
            generic(op, a, pa, ia, b, pb, ib, y, o, n);
        }
    }

    static void rowD(BinaryOp op, double[] a, int pa, int ia, double[] b, int pb, int ib, double[] y, int o, int n) {
        if (ia == 1 && ib == 0) {
            double s = b[pb];
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] + s; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] - s; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] * s; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] / s; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else if (ia == 0 && ib == 1) {
            double s = a[pa];
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = s + b[pb + j]; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = s - b[pb + j]; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = s * b[pb + j]; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = s / b[pb + j]; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else if (ia == 1 && ib == 1) {
            switch (op) {
                case ADD -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] + b[pb + j]; }
                case SUB -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] - b[pb + j]; }
                case MUL -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] * b[pb + j]; }
                case DIV -> { for (int j = 0; j < n; j++) y[o + j] = a[pa + j] / b[pb + j]; }
                default -> generic(op, a, pa, ia, b, pb, ib, y, o, n);
            }
        } else {
            generic(op, a, pa, ia, b, pb, ib, y, o, n);
        }
    }

    private static void generic(BinaryOp op, float[] a, int pa, int ia, float[] b, int pb, int ib, float[] y, int o,
                                int n) {
        for (int j = 0; j < n; j++, pa += ia, pb += ib) {
            y[o + j] = (float) op.apply(a[pa], b[pb]);
        }
    }

    private static void generic(BinaryOp op, double[] a, int pa, int ia, double[] b, int pb, int ib, double[] y,
                                int o, int n) {
        for (int j = 0; j < n; j++, pa += ia, pb += ib) {
            y[o + j] = op.apply(a[pa], b[pb]);
        }
    }
}
