package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;
import java.lang.ref.Reference;

/**
 * Layout copies of FLOAT32 resident tensors (permute, broadcastTo, slice, concat through one strided copy; pad and
 * its adjoint), casts between the arenas, and FLOAT64 elementwise ops on tensors already on the device (see
 * {@link DeviceOps} for the pattern). Shapes of rank above six are left to the host by the caller.
 */
final class DeviceLayoutOps {
    private final DeviceOps base;
    private final DeviceArena arena;

    DeviceLayoutOps(DeviceOps base) {
        this.base = base;
        this.arena = base.arena;
    }

    Tensor permute(Tensor x, int[] axes) {
        int[] xd = x.shape().dims();
        int[] xs = x.shape().strides();
        int[] od = new int[axes.length];
        int[] src = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            od[i] = xd[axes[i]];
            src[i] = xs[axes[i]];
        }
        Shape out = Shape.of(od);
        return copy(x, out, 0, src, out, 0, out.strides(), "permute");
    }

    Tensor broadcastTo(Tensor x, Shape shape) {
        return copy(x, shape, 0, DeviceOps.broadcastStrides(x.shape(), shape), shape, 0, shape.strides(),
                "broadcastTo");
    }

    Tensor slice(Tensor x, int axis, int start, int end) {
        int[] od = x.shape().dims();
        od[axis] = end - start;
        Shape out = Shape.of(od);
        int[] xs = x.shape().strides();
        return copy(x, out, start * xs[axis], xs, out, 0, out.strides(), "slice");
    }

    /** One strided copy per part into its block of the result; two parts of one shape in one launch. */
    Tensor concat(Tensor[] parts, int axis, Shape shape) {
        synchronized (arena) {
            DeviceTensor y = arena.allocate(DType.FLOAT32, shape.size());
            int[] ys = shape.strides();
            if (parts.length == 2 && parts[0].shape().equals(parts[1].shape())) {
                DeviceTensor a = base.on(parts[0]);
                DeviceTensor b = base.on(parts[1]);
                Shape part = parts[0].shape();
                ArenaKernel k = arena.kernel;
                base.space(part);
                k.setStridesA(DeviceOps.padded(part.strides(), 0));
                k.setStridesY(DeviceOps.padded(ys, 0));
                k.oa = a.offset;
                k.ob = b.offset;
                k.oy = y.offset;
                k.oz = y.offset + part.dim(axis) * ys[axis];
                k.i0 = part.size();
                arena.launch(ArenaKernel.COPY6_TWO_F, 2 * part.size(), "concat 2 x " + part);
                Reference.reachabilityFence(a);
                Reference.reachabilityFence(b);
                return Tensor.onDevice(shape, y);
            }
            int at = 0;
            for (Tensor p : parts) {
                DeviceTensor dp = base.on(p);
                launchCopy(dp, p.shape(), 0, p.shape().strides(), y, at * ys[axis], ys, "concat part " + p.shape());
                Reference.reachabilityFence(dp);
                at += p.dim(axis);
            }
            return Tensor.onDevice(shape, y);
        }
    }

    Tensor pad(Tensor x, int axis, int before, int after, Padding mode) {
        int len = x.dim(axis);
        int[] od = x.shape().dims();
        od[axis] = len + before + after;
        Shape out = Shape.of(od);
        return padLaunch(ArenaKernel.PAD_F, x, out, axis, before, len, od[axis], mode, "pad");
    }

    Tensor padAdjoint(Tensor g, int axis, int before, int length, Padding mode) {
        int[] od = g.shape().dims();
        int padded = od[axis];
        od[axis] = length;
        return padLaunch(ArenaKernel.PAD_ADJOINT_F, g, Shape.of(od), axis, before, length, padded, mode, "padAdjoint");
    }

    /** FLOAT64 → FLOAT32 of a resident tensor, rounded once. */
    Tensor castToFloat(Tensor x) {
        synchronized (arena) {
            DeviceTensor dx = base.on(x);
            DeviceTensor y = arena.allocate(DType.FLOAT32, x.size());
            arena.kernel.oa = dx.offset;
            arena.kernel.oy = y.offset;
            arena.launch(ArenaKernel.CAST_DF, x.size(), "cast to float32 " + x.shape());
            Reference.reachabilityFence(dx);
            return Tensor.onDevice(x.shape(), y);
        }
    }

    private Tensor copy(Tensor x, Shape space, int srcOffset, int[] srcStrides, Shape out, int dstOffset,
                        int[] dstStrides, String what) {
        synchronized (arena) {
            DeviceTensor dx = base.on(x);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            launchCopy(dx, space, srcOffset, srcStrides, y, dstOffset, dstStrides, what + " " + x.shape());
            Reference.reachabilityFence(dx);
            return Tensor.onDevice(out, y);
        }
    }

    /** y[dst + Σ c_i·dstStrides_i] = x[src + Σ c_i·srcStrides_i] for every coordinate c of {@code space}. */
    private void launchCopy(DeviceTensor x, Shape space, int srcOffset, int[] srcStrides, DeviceTensor y,
                            int dstOffset, int[] dstStrides, String what) {
        ArenaKernel k = arena.kernel;
        base.space(space);
        int[] ss = DeviceOps.padded(srcStrides, 0);
        int[] ds = DeviceOps.padded(dstStrides, 0);
        k.setStridesA(ss);
        k.setStridesY(ds);
        k.oa = x.offset + srcOffset;
        k.oy = y.offset + dstOffset;
        arena.launch(ArenaKernel.COPY6_F, space.size(), what);
    }

    /** PAD_F or PAD_ADJOINT_F over {@code out}, with the axis cut into (outer, axis, inner). */
    private Tensor padLaunch(int op, Tensor in, Shape out, int axis, int before, int length, int padded,
                             Padding mode, String what) {
        int inner = 1;
        for (int i = axis + 1; i < out.rank(); i++) {
            inner *= out.dim(i);
        }
        synchronized (arena) {
            DeviceTensor din = base.on(in);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.i0 = padded;
            k.i1 = inner;
            k.i2 = before;
            k.i3 = length;
            k.i4 = mode == Padding.CIRCULAR ? 1 : 0;
            k.oa = din.offset;
            k.ob = din.offset;
            k.oy = y.offset;
            arena.launch(op, inner == 0 ? 0 : out.size(), what + " " + in.shape() + " axis " + axis);
            Reference.reachabilityFence(din);
            return Tensor.onDevice(out, y);
        }
    }
}
