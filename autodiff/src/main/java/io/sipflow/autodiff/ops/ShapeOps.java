package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;

import java.util.Arrays;

/** Ops that move values without computing new ones. Their VJPs move the gradient back the same way. */
public final class ShapeOps {
    private ShapeOps() {
    }

    /**
     * Same values, new dims with the same element count; one dim may be −1 (inferred from the others).
     *
     * @param a the input
     * @param dims the new dimensions, at most one −1
     * @return a tensor sharing a's storage (a itself if the shape is unchanged)
     * @throws IllegalArgumentException if the element count differs or a dim is negative other than one −1
     */
    public static Tensor reshape(Tensor a, int... dims) {
        return reshape(a, inferMinusOne(a, dims));
    }

    /**
     * Same values, new shape with the same element count. VJP: reshape back.
     *
     * @param a the input
     * @param shape the new shape
     * @return a tensor sharing a's storage (a itself if the shape is unchanged)
     * @throws IllegalArgumentException if the element count differs
     */
    public static Tensor reshape(Tensor a, Shape shape) {
        if (shape.size() != a.size()) {
            throw new IllegalArgumentException("reshape: cannot view " + a.shape() + " (" + a.size()
                    + " elements) as " + shape);
        }
        Shape target = shape;
        if (target.equals(a.shape())) {
            return a;
        }
        Tensor value = a.viewAs(target); // shares the (immutable) storage, on the host or a device
        Shape original = a.shape();
        return Graph.record("reshape", value, a, g -> new Tensor[] {reshape(g, original)});
    }

    private static Shape inferMinusOne(Tensor a, int[] dims) {
        int[] d = dims.clone();
        int unknown = -1;
        int known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1 && unknown < 0) {
                unknown = i;
            } else if (d[i] < 0) {
                throw new IllegalArgumentException("reshape: bad dimension " + d[i] + " in "
                        + java.util.Arrays.toString(dims) + " (only one -1 is allowed)");
            } else {
                known *= d[i];
            }
        }
        if (unknown >= 0) {
            if (known == 0 || a.size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view " + a.shape() + " (" + a.size()
                        + " elements) as " + java.util.Arrays.toString(dims));
            }
            d[unknown] = a.size() / known;
        }
        return Shape.of(d);
    }

    /**
     * Reorders axes: result axis i is input axis {@code axes[i]}. VJP: the inverse permutation.
     *
     * @param a the input
     * @param axes a permutation of a's axes (negative values count from the end)
     * @return a new tensor with the values moved
     * @throws IllegalArgumentException if {@code axes} does not list each axis exactly once
     */
    public static Tensor permute(Tensor a, int... axes) {
        if (axes.length != a.rank()) {
            throw new IllegalArgumentException("permute: " + Arrays.toString(axes) + " does not list the "
                    + a.rank() + " axes of " + a.shape());
        }
        int[] inverse = new int[axes.length];
        boolean[] seen = new boolean[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int ax = a.shape().normalizeAxis(axes[i]);
            if (seen[ax]) {
                throw new IllegalArgumentException("permute: axis " + ax + " repeated in " + Arrays.toString(axes));
            }
            seen[ax] = true;
            inverse[ax] = i;
        }
        int[] norm = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            norm[inverse[i]] = i;
        }
        Tensor value = OpSupport.backend().permute(a.constant(), norm);
        return Graph.record("permute", value, a, g -> new Tensor[] {permute(g, inverse)});
    }

    /**
     * Swaps the last two axes (rank ≥ 2).
     *
     * @param a the input (…, m, n)
     * @return (…, n, m)
     * @throws IllegalArgumentException if a's rank is below 2
     */
    public static Tensor transpose(Tensor a) {
        if (a.rank() < 2) {
            throw new IllegalArgumentException("transpose: needs rank >= 2, got " + a.shape());
        }
        int[] axes = new int[a.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i;
        }
        axes[axes.length - 1] = axes.length - 2;
        axes[axes.length - 2] = axes.length - 1;
        return permute(a, axes);
    }

    /**
     * Positions [start, end) of {@code axis}. VJP: the gradient placed back, zeros elsewhere (a zero pad).
     *
     * @param a the input
     * @param axis the axis to cut (negative counts from the end)
     * @param start first position kept
     * @param end one past the last position kept, {@code 0 ≤ start ≤ end ≤ a.dim(axis)}
     * @return a tensor whose axis has length {@code end − start}
     * @throws IllegalArgumentException if the axis or the range is out of bounds
     */
    public static Tensor slice(Tensor a, int axis, int start, int end) {
        int ax = a.shape().normalizeAxis(axis);
        int d = a.dim(ax);
        if (start < 0 || end > d || start > end) {
            throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") is outside axis " + ax
                    + " of " + a.shape());
        }
        return sliceOn(OpSupport.backend(), a, ax, start, end);
    }

    /** {@link #slice} on a given backend, checked. Slice and zero pad are each other's adjoints. */
    private static Tensor sliceOn(Backend backend, Tensor a, int ax, int start, int end) {
        return sliceComputed(backend, a, backend.slice(a.constant(), ax, start, end), ax, start, end);
    }

    /**
     * {@code value}, already computed as slice(a, ax, start, end), recorded as that slice of {@code a}: a fused op
     * that sliced a constant copy can hand its backward pass the recorded version without slicing again.
     */
    static Tensor sliceComputed(Tensor a, Tensor value, int ax, int start, int end) {
        return sliceComputed(OpSupport.backend(), a, value, ax, start, end);
    }

    private static Tensor sliceComputed(Backend backend, Tensor a, Tensor value, int ax, int start, int end) {
        int d = a.dim(ax);
        return Graph.record("slice", value, a, g -> new Tensor[] {
            padOn(backend, g, ax, start, d - end, Padding.ZERO)});
    }

    /**
     * Joins tensors along {@code axis}; other axes must match. VJP: each part's slice of the gradient.
     *
     * @param axis the axis to join along (negative counts from the end)
     * @param parts at least one tensor; types are promoted as for binary ops
     * @return a tensor whose axis has the parts' lengths summed
     * @throws IllegalArgumentException if no part is given, one is null, or the shapes differ outside {@code axis}
     */
    public static Tensor concat(int axis, Tensor... parts) {
        if (parts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        OpSupport.requireNonNull("concat", parts);
        int ax = parts[0].shape().normalizeAxis(axis);
        DType d = parts[0].dtype();
        for (Tensor p : parts) {
            d = Precision.current() != null ? Precision.current() : DType.promote(d, p.dtype());
        }
        Tensor[] in = new Tensor[parts.length];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            in[i] = OpSupport.as(parts[i], d);
            checkConcatShape(parts[0].shape(), in[i].shape(), ax, i);
            total += in[i].dim(ax);
        }
        Shape out = parts[0].shape().withDim(ax, total);
        Tensor[] values = new Tensor[in.length];
        for (int i = 0; i < in.length; i++) {
            values[i] = in[i].constant();
        }
        Backend backend = OpSupport.backend();
        Tensor value = backend.concat(values, ax, out);
        return Graph.record("concat", value, in, g -> {
            Tensor[] grads = new Tensor[in.length];
            int offset = 0;
            for (int i = 0; i < in.length; i++) {
                grads[i] = sliceOn(backend, g, ax, offset, offset + in[i].dim(ax));
                offset += in[i].dim(ax);
            }
            return grads;
        });
    }

    private static void checkConcatShape(Shape first, Shape s, int axis, int index) {
        boolean ok = first.rank() == s.rank();
        for (int i = 0; ok && i < s.rank(); i++) {
            ok = i == axis || first.dim(i) == s.dim(i);
        }
        if (!ok) {
            throw new IllegalArgumentException("concat: tensor " + index + " has shape " + s
                    + ", which does not match " + first + " outside axis " + axis);
        }
    }

    /**
     * Pads every axis: {@code before[i]} and {@code after[i]} positions, with zeros or by wrapping around
     * (CIRCULAR: the tensor repeats periodically). VJP: ZERO slices the gradient back; CIRCULAR also adds the
     * wrapped positions' gradients onto the positions they copied.
     *
     * @param a the input
     * @param before widths in front, one per axis, ≥ 0
     * @param after widths at the end, one per axis, ≥ 0
     * @param mode ZERO or CIRCULAR
     * @return a tensor whose axis i has length {@code before[i] + a.dim(i) + after[i]}
     * @throws IllegalArgumentException if the width arrays do not have one entry per axis, a width is negative,
     *         or CIRCULAR is asked of an empty axis
     */
    public static Tensor pad(Tensor a, int[] before, int[] after, Padding mode) {
        if (before.length != a.rank() || after.length != a.rank()) {
            throw new IllegalArgumentException("pad: need " + a.rank() + " before/after widths for " + a.shape()
                    + ", got " + before.length + " and " + after.length);
        }
        Tensor out = a;
        for (int axis = 0; axis < a.rank(); axis++) {
            if (before[axis] < 0 || after[axis] < 0) {
                throw new IllegalArgumentException("pad: negative width on axis " + axis);
            }
            if (before[axis] != 0 || after[axis] != 0) {
                out = padAxis(out, axis, before[axis], after[axis], mode);
            }
        }
        return out;
    }

    /**
     * One axis of {@link #pad}.
     *
     * @param a the input
     * @param axis the axis to pad (negative counts from the end)
     * @param before positions added in front, ≥ 0
     * @param after positions added at the end, ≥ 0
     * @param mode ZERO or CIRCULAR
     * @return a tensor whose axis has length {@code before + a.dim(axis) + after}
     * @throws IllegalArgumentException if the axis is out of range or CIRCULAR is asked of an empty axis
     */
    public static Tensor padAxis(Tensor a, int axis, int before, int after, Padding mode) {
        int ax = a.shape().normalizeAxis(axis);
        int d = a.dim(ax);
        if (mode == Padding.CIRCULAR && d == 0) {
            throw new IllegalArgumentException("pad: cannot wrap an empty axis " + ax + " of " + a.shape());
        }
        return padOn(OpSupport.backend(), a, ax, before, after, mode);
    }

    /** {@link #padAxis} on a given backend, checked. VJP: {@link #padAdjointOn}. */
    private static Tensor padOn(Backend backend, Tensor a, int ax, int before, int after, Padding mode) {
        int d = a.dim(ax);
        Tensor value = backend.pad(a.constant(), ax, before, after, mode);
        return Graph.record("pad_" + mode.name().toLowerCase(), value, a, g -> new Tensor[] {
            padAdjointOn(backend, g, ax, before, d, mode)});
    }

    /**
     * The adjoint of padding an axis of length {@code length}: each padded position's gradient added onto the
     * position it copied. Linear, so its VJP is the padding itself: pad(gg, before, g.dim(ax) − before − length).
     */
    private static Tensor padAdjointOn(Backend backend, Tensor g, int ax, int before, int length, Padding mode) {
        int after = g.dim(ax) - before - length;
        Tensor value = backend.padAdjoint(g.constant(), ax, before, length, mode);
        return Graph.record("padAdjoint_" + mode.name().toLowerCase(), value, g, gg -> new Tensor[] {
            padOn(backend, gg, ax, before, after, mode)});
    }

    /**
     * Copies {@code a} to a larger shape by NumPy broadcasting. VJP: {@link Broadcast#sumTo}.
     *
     * @param a the input
     * @param shape the target; broadcasting a's shape against it must give it unchanged
     * @return a tensor of {@code shape} (a itself if the shape is unchanged)
     * @throws IllegalArgumentException if a's shape cannot be broadcast to {@code shape}
     */
    public static Tensor broadcastTo(Tensor a, Shape shape) {
        Shape out = Shape.broadcast("broadcastTo", a.shape(), shape);
        if (!out.equals(shape)) {
            throw new IllegalArgumentException("broadcastTo: " + a.shape() + " cannot be broadcast to " + shape);
        }
        if (out.equals(a.shape())) {
            return a;
        }
        Tensor value = OpSupport.backend().broadcastTo(a.constant(), out);
        Shape original = a.shape();
        return Graph.record("broadcastTo", value, a, g -> new Tensor[] {Broadcast.sumTo(g, original)});
    }
}
