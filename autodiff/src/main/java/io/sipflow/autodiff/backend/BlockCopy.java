package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * Copies along one axis, viewing a tensor as (outer, axis, inner) blocks: the kernels behind slice, concat and
 * pad. Works on either storage type through {@link System#arraycopy}.
 */
final class BlockCopy {
    private BlockCopy() {
    }

    static Object data(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? t.floatData() : t.doubleData();
    }

    static Object alloc(DType d, int n) {
        return d == DType.FLOAT32 ? new float[n] : new double[n];
    }

    static Tensor wrap(Shape s, Object data) {
        return data instanceof float[] f ? Tensor.wrap(s, f) : Tensor.wrap(s, (double[]) data);
    }

    static int outer(Shape s, int axis) {
        int n = 1;
        for (int i = 0; i < axis; i++) {
            n *= s.dim(i);
        }
        return n;
    }

    static int inner(Shape s, int axis) {
        int n = 1;
        for (int i = axis + 1; i < s.rank(); i++) {
            n *= s.dim(i);
        }
        return n;
    }

    /** Positions [start, end) of {@code axis}. */
    static Tensor slice(Tensor t, int axis, int start, int end) {
        Shape out = t.shape().withDim(axis, end - start);
        int outer = outer(t.shape(), axis);
        int inner = inner(t.shape(), axis);
        int d = t.dim(axis);
        Object src = data(t);
        Object dst = alloc(t.dtype(), out.size());
        int len = (end - start) * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(src, (o * d + start) * inner, dst, o * len, len);
        }
        return wrap(out, dst);
    }

    /** Tensors joined along {@code axis} (same type, other axes equal). */
    static Tensor concat(Tensor[] parts, int axis, Shape out) {
        int outer = outer(out, axis);
        int inner = inner(out, axis);
        int d = out.dim(axis);
        Object dst = alloc(parts[0].dtype(), out.size());
        int offset = 0;
        for (Tensor p : parts) {
            int len = p.dim(axis) * inner;
            Object src = data(p);
            for (int o = 0; o < outer; o++) {
                System.arraycopy(src, o * len, dst, (o * d + offset) * inner, len);
            }
            offset += p.dim(axis);
        }
        return wrap(out, dst);
    }

    /** Source position along the axis for padded position {@code p}, or −1 for a zero. */
    static int padSource(int p, int before, int d, Padding mode) {
        int s = p - before;
        if (s >= 0 && s < d) {
            return s;
        }
        return mode == Padding.CIRCULAR ? Math.floorMod(s, d) : -1;
    }

    /** {@code t} padded along {@code axis} with {@code before}/{@code after} positions, zeros or wrapped. */
    static Tensor pad(Tensor t, int axis, int before, int after, Padding mode) {
        int d = t.dim(axis);
        int pd = d + before + after;
        Shape out = t.shape().withDim(axis, pd);
        int outer = outer(t.shape(), axis);
        int inner = inner(t.shape(), axis);
        Object src = data(t);
        Object dst = alloc(t.dtype(), out.size());
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < pd; p++) {
                int s = padSource(p, before, d, mode);
                if (s >= 0) {
                    System.arraycopy(src, (o * d + s) * inner, dst, (o * pd + p) * inner, inner);
                }
            }
        }
        return wrap(out, dst);
    }

    /** Adjoint of {@link #pad}: every padded position's gradient is added to the position it was copied from. */
    static Tensor padAdjoint(Tensor g, int axis, int before, int d, Padding mode) {
        int pd = g.dim(axis);
        Shape in = g.shape().withDim(axis, d);
        int outer = outer(g.shape(), axis);
        int inner = inner(g.shape(), axis);
        double[] src = g.toDoubleArray();
        double[] dst = new double[in.size()];
        for (int o = 0; o < outer; o++) {
            for (int p = 0; p < pd; p++) {
                int s = padSource(p, before, d, mode);
                if (s < 0) {
                    continue;
                }
                int from = (o * pd + p) * inner;
                int to = (o * d + s) * inner;
                for (int i = 0; i < inner; i++) {
                    dst[to + i] += src[from + i];
                }
            }
        }
        Tensor r = Tensor.wrap(in, dst);
        return g.dtype() == DType.FLOAT64 ? r : Tensor.wrap(in, r.toFloatArray());
    }
}
