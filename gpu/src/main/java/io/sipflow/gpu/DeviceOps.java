package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.DeviceValues;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.ReduceOp;
import io.sipflow.autodiff.backend.UnaryOp;
import java.lang.ref.Reference;

/**
 * The FLOAT32 ops of {@link OpenClBackend} on resident tensors: each finds its inputs' ranges in the
 * {@link DeviceArena} (uploading a host tensor once and remembering the copy on it), sets the
 * {@link ArenaKernel}'s parameters, launches it, and returns a tensor that stays on the device. Inputs are kept
 * reachable until their launch has run ({@link Reference#reachabilityFence}), so their ranges cannot be handed
 * out again underneath it.
 */
final class DeviceOps {
    /** Iteration spaces and broadcasting are described with this many dims (the kernel's r0..r5). */
    static final int DIMS = 6;

    /** Pixels per work item of the weight gradient's first pass (about), and the most runs per weight. */
    static final int WEIGHT_SLICE = 256;
    static final int MAX_WEIGHT_SLICES = 64;

    /** A sum takes a work group per output when it has at least this many runs of its innermost reduced axis. */
    static final int MIN_GROUP_RUNS = 16;

    final DeviceArena arena;

    DeviceOps(DeviceArena arena) {
        this.arena = arena;
    }

    /** The device range holding {@code t}'s values: its own, or a copy uploaded now and remembered on it. */
    DeviceTensor on(Tensor t) {
        DeviceValues v = t.deviceValues();
        if (v instanceof DeviceTensor dt && dt.arena == arena) {
            if (dt.pending) {
                arena.flushLater();
            }
            return dt;
        }
        DeviceTensor copy = t.dtype() == DType.FLOAT32 ? arena.upload(t.floatData()) : arena.upload(t.doubleData());
        t.mirrorOnDevice(copy);
        return copy;
    }

    /** True when {@code t} is a single value still on the host: it travels as a launch argument, not a buffer. */
    static boolean hostScalar(Tensor t) {
        return t.size() == 1 && t.isOnHost() && !(t.deviceValues() instanceof DeviceTensor);
    }

    /**
     * An elementwise op with broadcasting, FLOAT32 or FLOAT64 (a's type, which b shares), on resident operands or
     * host scalars (launch arguments).
     */
    Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape out) {
        boolean f32 = a.dtype() == DType.FLOAT32;
        synchronized (arena) {
            ArenaKernel k = arena.kernel;
            boolean sa = hostScalar(a);
            boolean sb = hostScalar(b);
            DeviceTensor da = sa ? null : on(a);
            DeviceTensor db = sb ? null : on(b);
            DeviceTensor y = arena.allocate(a.dtype(), out.size());
            space(out);
            int[] as = broadcastStrides(a.shape(), out);
            int[] bs = broadcastStrides(b.shape(), out);
            k.setStridesA(as);
            k.setStridesB(bs);
            k.i0 = op.ordinal();
            k.i1 = sa ? 1 : 0;
            k.i2 = sb ? 1 : 0;
            k.i3 = (a.shape().equals(out) ? 1 : 0) | (b.shape().equals(out) ? 2 : 0);
            k.x1 = sa ? a.getFlat(0) : 0;
            k.x2 = sb ? b.getFlat(0) : 0;
            k.oa = sa ? 0 : da.offset;
            k.ob = sb ? 0 : db.offset;
            k.oy = y.offset;
            arena.launch(f32 ? ArenaKernel.BINARY_F : ArenaKernel.BINARY_D, out.size(),
                    "binary " + a.dtype() + " " + op + " " + a.shape() + ", " + b.shape());
            Reference.reachabilityFence(da);
            Reference.reachabilityFence(db);
            return Tensor.onDevice(out, y);
        }
    }

    Tensor unary(UnaryOp op, Tensor a, double param) {
        synchronized (arena) {
            DeviceTensor da = on(a);
            DeviceTensor y = arena.allocate(DType.FLOAT32, a.size());
            ArenaKernel k = arena.kernel;
            k.i0 = op.ordinal();
            k.x0 = param;
            k.oa = da.offset;
            k.oy = y.offset;
            arena.launch(ArenaKernel.UNARY_F, a.size(), "unary " + op + " " + a.shape());
            Reference.reachabilityFence(da);
            return Tensor.onDevice(a.shape(), y);
        }
    }

    Tensor where(Tensor cond, Tensor a, Tensor b) {
        synchronized (arena) {
            DeviceTensor dc = on(cond);
            DeviceTensor da = on(a);
            DeviceTensor db = on(b);
            DeviceTensor y = arena.allocate(DType.FLOAT32, a.size());
            ArenaKernel k = arena.kernel;
            k.oa = dc.offset;
            k.ob = da.offset;
            k.oc = db.offset;
            k.oy = y.offset;
            arena.launch(ArenaKernel.WHERE_F, a.size(), "where " + a.shape());
            Reference.reachabilityFence(dc);
            Reference.reachabilityFence(da);
            Reference.reachabilityFence(db);
            return Tensor.onDevice(a.shape(), y);
        }
    }

    /**
     * The kept axes form the iteration space (r, input strides in sa), the reduced axes (their sizes in sb, input
     * strides in sy) are summed in double. A sum over at least a work group's worth of values per output, in at
     * least {@link #MIN_GROUP_RUNS} runs of the innermost reduced axis, runs one work group per output with a tree
     * sum ({@link ArenaKernel#reduceSumGroups}); otherwise, and for max, one work item per output walks the
     * reduced axes in row-major order, the sum in the input's order.
     */
    Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        int[][] split = splitAxes(a.shape(), axes);
        int[] outDims = a.shape().dims();
        for (int ax : axes) {
            outDims[ax] = 1;
        }
        Shape out = Shape.of(outDims);
        if (op == ReduceOp.SUM && a.dtype() == DType.FLOAT32 && a.rank() == 4 && java.util.Arrays.equals(axes,
                new int[] {0, 2, 3}) && a.size() / Math.max(1, a.dim(1)) >= arena.group()
                && a.dim(0) * a.dim(2) >= MIN_GROUP_RUNS) {
            return channelSums(a, out);
        }
        synchronized (arena) {
            DeviceTensor da = on(a);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.setSpace(split[0]);
            k.setStridesA(split[1]);
            k.setStridesB(split[2]);
            k.setStridesY(split[3]);
            k.i0 = op == ReduceOp.SUM ? 0 : 1;
            k.i1 = out.size() == 0 ? 0 : a.size() / out.size();
            k.oa = da.offset;
            k.oy = y.offset;
            String what = "reduce " + op + " " + a.shape() + " over " + java.util.Arrays.toString(axes);
            if (op == ReduceOp.SUM && k.i1 >= arena.group() && k.i1 / split[2][DIMS - 1] >= MIN_GROUP_RUNS) {
                arena.launchGroups(ArenaKernel.REDUCE_SUM_GROUPS_F, out.size(), what);
            } else {
                arena.launch(ArenaKernel.REDUCE_F, out.size(), what);
            }
            Reference.reachabilityFence(da);
            return Tensor.onDevice(out, y);
        }
    }

    /** The channel sums waiting for one launch ({@link DeviceArena#later}), or null. */
    private ChannelSumBatch channelSums;

    /**
     * Σ over axes 0, 2, 3 of an (n, c, h, w) tensor that {@link #reduce} would sum with a work group per channel:
     * the same sums ({@link ArenaKernel#channelSumsBatch}), batched with other such sums (a step's bias gradients,
     * used only after the backward pass) into one launch.
     */
    private Tensor channelSums(Tensor a, Shape out) {
        synchronized (arena) {
            DeviceTensor da = on(a);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ChannelSumBatch batch = channelSums;
            if (batch == null) {
                batch = new ChannelSumBatch();
                channelSums = batch;
                arena.later(batch);
            }
            batch.add(da, y, a.shape().dims());
            if (batch.count == ArenaKernel.CHANNEL_SUMS_SLOTS) {
                arena.notLater(batch);
                batch.run();
            }
            return Tensor.onDevice(out, y);
        }
    }

    /** Up to {@link ArenaKernel#CHANNEL_SUMS_SLOTS} channel sums of one launch, holding their ranges until it has run. */
    private final class ChannelSumBatch implements Runnable {
        final DeviceTensor[] ranges = new DeviceTensor[2 * ArenaKernel.CHANNEL_SUMS_SLOTS];
        final int[] packed = new int[6 * ArenaKernel.CHANNEL_SUMS_SLOTS];
        final StringBuilder shapes = new StringBuilder();
        int count;
        int groups;

        void add(DeviceTensor x, DeviceTensor y, int[] nchw) {
            ranges[2 * count] = x;
            ranges[2 * count + 1] = y;
            y.pending = true;
            int[] slot = {x.offset, y.offset, nchw[1], nchw[0], nchw[2], nchw[3]};
            System.arraycopy(slot, 0, packed, 6 * count, 6);
            groups += nchw[1];
            shapes.append(count == 0 ? "" : ", ").append(java.util.Arrays.toString(nchw));
            count++;
        }

        @Override
        public void run() {
            if (channelSums == this) {
                channelSums = null;
            }
            arena.kernel.setPacked(packed);
            arena.launchGroups(ArenaKernel.CHANNEL_SUMS_BATCH_F, groups, "reduce SUM over [0, 2, 3] of " + shapes);
            for (int i = 0; i < count; i++) {
                ranges[2 * i + 1].pending = false;
            }
            java.util.Arrays.fill(ranges, null);
        }
    }

    /**
     * The kept axes' sizes and strides, and the reduced axes' sizes and strides, each right-aligned in six entries
     * (sizes padded with 1, strides with 0), keeping the axes' order.
     */
    static int[][] splitAxes(Shape shape, int[] axes) {
        int[] dims = shape.dims();
        int[] strides = shape.strides();
        boolean[] reduced = new boolean[dims.length];
        int nr = 0;
        for (int ax : axes) {
            reduced[ax] = true;
            nr++;
        }
        int[][] r = {new int[DIMS], new int[DIMS], new int[DIMS], new int[DIMS]};
        java.util.Arrays.fill(r[0], 1);
        java.util.Arrays.fill(r[2], 1);
        int ik = DIMS - (dims.length - nr);
        int ir = DIMS - nr;
        for (int i = 0; i < dims.length; i++) {
            if (reduced[i]) {
                r[2][ir] = dims[i];
                r[3][ir++] = strides[i];
            } else {
                r[0][ik] = dims[i];
                r[1][ik++] = strides[i];
            }
        }
        return r;
    }

    Tensor matmul(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int kk = a.dim(2);
        int n = b.dim(2);
        Shape out = Shape.of(batch, m, n);
        synchronized (arena) {
            DeviceTensor da = on(a);
            DeviceTensor db = on(b);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.i0 = m;
            k.i1 = kk;
            k.i2 = n;
            k.oa = da.offset;
            k.ob = db.offset;
            k.oy = y.offset;
            arena.launch(ArenaKernel.MATMUL_F, out.size(), "matmul " + a.shape() + " x " + b.shape());
            Reference.reachabilityFence(da);
            Reference.reachabilityFence(db);
            return Tensor.onDevice(out, y);
        }
    }

    /**
     * x (n, c, h, w) ⊛ w + bias → (n, o, h, w); with {@code flipped}, w is (c′ = o, o′ = c, k, k) read as
     * w′[o,c,u,v] = w[c,o,k−1−u,k−1−v] (the gradient with respect to the data).
     */
    Tensor conv(Tensor x, Tensor w, Tensor bias, Padding padding, int outChannels, boolean flipped, String what) {
        return conv(null, x, w, bias, padding, outChannels, flipped, what);
    }

    /** As above, each sum starting from {@code into}'s value (of the result's shape) when it is not null. */
    Tensor conv(Tensor into, Tensor x, Tensor w, Tensor bias, Padding padding, int outChannels, boolean flipped,
                String what) {
        int[] d = x.shape().dims();
        int kk = w.dim(2);
        Shape out = Shape.of(d[0], outChannels, d[2], d[3]);
        synchronized (arena) {
            DeviceTensor dx = on(x);
            DeviceTensor dw = on(w);
            DeviceTensor db = bias == null ? null : on(bias);
            DeviceTensor di = into == null ? null : on(into);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.i0 = d[1];
            k.i1 = d[2];
            k.i2 = d[3];
            k.i3 = outChannels;
            k.i4 = kk;
            k.i5 = (padding == Padding.CIRCULAR ? 1 : 0) | (db != null ? 2 : 0) | (flipped ? 4 : 0) | (di != null ? 8 : 0);
            k.od = di == null ? 0 : di.offset;
            k.oa = dx.offset;
            k.ob = dw.offset;
            k.oc = db == null ? 0 : db.offset;
            k.oy = y.offset;
            launchConv(d[0], d[1], d[2], d[3], outChannels, kk, what + " " + x.shape() + " with " + w.shape());
            Reference.reachabilityFence(dx);
            Reference.reachabilityFence(dw);
            Reference.reachabilityFence(db);
            Reference.reachabilityFence(di);
            return Tensor.onDevice(out, y);
        }
    }

    /**
     * The tiled convolution ({@link ArenaKernel#convTiled}) with the parameters already set: a tile is as many
     * whole rows as one work group has items (or a slice of a row wider than the group), input channels in chunks
     * that fit the local arrays. A kernel too large for one tile in local memory, and a 1×1 kernel to at most four
     * output channels, run the per-pixel kernel instead.
     */
    private void launchConv(int n, int c, int h, int w, int o, int k, String what) {
        ArenaKernel kernel = arena.kernel;
        int group = arena.group();
        int perItem = k == 3 ? 2 : 1;
        int tw = Math.min(w + (w % perItem == 0 ? 0 : perItem - w % perItem), perItem * group);
        int rows = group / (tw / perItem);
        while (rows > 1 && rows * k * (tw + k - 1) > ArenaKernel.TILE_FLOATS) {
            rows--;
        }
        // a tile inside one image holds its rows + k - 1 input rows once (neighbouring output rows share them)
        boolean shared = h % rows == 0;
        int rowsPerChannel = shared ? rows + k - 1 : rows * k;
        int perChannel = rowsPerChannel * (tw + k - 1);
        int blockWeights = ArenaKernel.CONV_OUT_BLOCK * k * k;
        int chunk = Math.min(c, Math.min(ArenaKernel.TILE_FLOATS / perChannel, ArenaKernel.TILE_WEIGHTS / blockWeights));
        chunk = Math.min(chunk, ArenaKernel.TILE_ROWS / rowsPerChannel);
        // a 1×1 kernel to a few output channels (a U-Net's last layer): a tile computes sixteen channels per item,
        // most of them for nothing; one work item per output sums its c products (the same sums: no padding at 1×1)
        boolean fewOutputs = k == 1 && 4 * o <= ArenaKernel.CONV_OUT_BLOCK;
        if (chunk < 1 || tw + k - 1 > ArenaKernel.TILE_COLUMNS || fewOutputs) {
            arena.launch(ArenaKernel.CONV_F, n * o * h * w, what);
            return;
        }
        kernel.i6 = n;
        kernel.chunk = chunk;
        kernel.tileWidth = tw;
        kernel.pixelsPerItem = perItem;
        kernel.tileRows = rows;
        kernel.tileShared = shared ? 1 : 0;
        kernel.tilesAcross = (w + tw - 1) / tw;
        kernel.outBlocks = (o + ArenaKernel.CONV_OUT_BLOCK - 1) / ArenaKernel.CONV_OUT_BLOCK;
        int rowTiles = (n * h + rows - 1) / rows;
        arena.launchGroups(ArenaKernel.CONV_TILED_F, kernel.tilesAcross * kernel.outBlocks * rowTiles, what);
    }

    /**
     * gw[o,c,u,v] = Σ_{n,i,j} gy·x in two launches (the second batched with other weight gradients', see
     * {@link SumBatch}): the (n, i) rows cut into S runs of about
     * {@link #WEIGHT_SLICE} pixels, one work item per (kernel row, up to five taps, run) summing in float, then
     * the S partial sums of each weight added in double. Many short independent sums, so the device is busy at
     * every level of the U-Net.
     */
    Tensor convWeightGradient(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        int[] d = x.shape().dims();
        int rows = d[0] * d[2];
        int slices = Math.max(1, Math.min(rows, Math.min(rows * d[3] / WEIGHT_SLICE, MAX_WEIGHT_SLICES)));
        int size = wShape.size();
        synchronized (arena) {
            DeviceTensor dgy = on(gy);
            DeviceTensor dx = on(x);
            DeviceTensor parts = arena.allocate(DType.FLOAT64, size * slices);
            DeviceTensor y = arena.allocate(DType.FLOAT32, size);
            ArenaKernel k = arena.kernel;
            k.i0 = d[0];
            k.i1 = d[1];
            k.i2 = d[2];
            k.i3 = d[3];
            k.i4 = wShape.dim(2);
            k.i5 = padding == Padding.CIRCULAR ? 1 : 0;
            k.i6 = wShape.dim(0);
            k.chunk = slices;
            k.oa = dx.offset;
            k.ob = dgy.offset;
            k.oy = parts.offset;
            int kk = wShape.dim(2);
            if (kk == 3 && d[1] <= arena.group() && d[3] * ArenaKernel.CONV_OUT_BLOCK <= ArenaKernel.TILE_FLOATS) {
                int blocks = (wShape.dim(0) + ArenaKernel.CONV_OUT_BLOCK - 1) / ArenaKernel.CONV_OUT_BLOCK;
                k.tileWidth = ArenaKernel.CONV_OUT_BLOCK;
                arena.launchGroups(ArenaKernel.CONV_WEIGHT_TILED_F, slices * blocks, "conv2dBackwardWeight " + x.shape());
            } else if (kk == 3) {
                int pairs = (wShape.dim(0) + 1) / 2 * wShape.dim(1); // two output channels per item
                arena.launch(ArenaKernel.CONV_WEIGHT_3X3_SLICES_F, pairs * slices, "conv2dBackwardWeight " + x.shape());
            } else {
                int rowsOfTaps = size / kk * ((kk + ArenaKernel.WEIGHT_TAPS - 1) / ArenaKernel.WEIGHT_TAPS);
                arena.launch(ArenaKernel.CONV_WEIGHT_SLICES_F, rowsOfTaps * slices, "conv2dBackwardWeight " + x.shape());
            }
            Reference.reachabilityFence(dgy);
            Reference.reachabilityFence(dx);
            SumBatch batch = sums;
            if (batch == null) {
                batch = new SumBatch();
                sums = batch;
                arena.later(batch);
            }
            batch.add(parts, y, slices);
            if (batch.count == ArenaKernel.SUM_PARTS_SLOTS) {
                arena.notLater(batch);
                batch.run();
            }
            return Tensor.onDevice(wShape, y);
        }
    }

    /** The weight gradients whose final sums wait for one launch ({@link DeviceArena#later}), or null. */
    private SumBatch sums;

    /**
     * Up to {@link ArenaKernel#SUM_PARTS_SLOTS} weight gradients' final sums ({@link ArenaKernel#sumPartsSlot}): a
     * step's gradients are used only after the backward pass (by the non-finite probe, the optimizer), so their sums
     * share launches instead of one each. Holds the partial sums and the results until it has run, then returns the
     * partial sums' ranges.
     */
    private final class SumBatch implements Runnable {
        final DeviceTensor[] parts = new DeviceTensor[ArenaKernel.SUM_PARTS_SLOTS];
        final DeviceTensor[] results = new DeviceTensor[ArenaKernel.SUM_PARTS_SLOTS];
        final int[] packed = new int[4 * ArenaKernel.SUM_PARTS_SLOTS];
        int count;
        int items;

        void add(DeviceTensor partial, DeviceTensor y, int slices) {
            parts[count] = partial;
            results[count] = y;
            y.pending = true;
            packed[4 * count] = partial.offset;
            packed[4 * count + 1] = y.offset;
            packed[4 * count + 2] = y.size;
            packed[4 * count + 3] = slices;
            items = Math.max(items, y.size);
            count++;
        }

        @Override
        public void run() {
            if (sums == this) {
                sums = null;
            }
            arena.kernel.setPacked(packed);
            arena.launch(ArenaKernel.SUM_PARTS_BATCH_F, Math.max(1, items), "conv2dBackwardWeight sums " + count);
            for (int i = 0; i < count; i++) {
                results[i].pending = false;
                arena.release(parts[i]);
                parts[i] = null;
                results[i] = null;
            }
        }
    }

    /**
     * Adam on the device ({@link ArenaKernel#adamSlot}); m and v are FLOAT64 tensors. The update is queued
     * ({@link DeviceArena#defer}): consecutive calls with the same settings (an optimizer's step over its parameters)
     * share one launch, up to {@link ArenaKernel#ADAM_SLOTS} parameters, which runs before the next op allocates or
     * anything is read. The results are allocated now, so they are ordinary resident tensors from the start.
     */
    Tensor[] adam(Tensor param, Tensor grad, Tensor m, Tensor v, double[] hyper) {
        synchronized (arena) {
            DeviceTensor dp = on(param);
            DeviceTensor dg = on(grad);
            DeviceTensor dm = on(m);
            DeviceTensor dv = on(v);
            int n = param.size();
            AdamBatch batch = adamBatch;
            if (batch == null || batch.count == ArenaKernel.ADAM_SLOTS || !java.util.Arrays.equals(batch.hyper, hyper)) {
                arena.flush();
                batch = new AdamBatch(hyper.clone());
            }
            DeviceTensor p2 = arena.allocateQueued(DType.FLOAT32, n);
            DeviceTensor m2 = arena.allocateQueued(DType.FLOAT64, n);
            DeviceTensor v2 = arena.allocateQueued(DType.FLOAT64, n);
            batch.add(new DeviceTensor[] {dp, dg, dm, dv, p2, m2, v2}, n, param.shape().toString());
            adamBatch = batch;
            AdamBatch queued = batch;
            arena.defer(() -> launchAdam(queued));
            return new Tensor[] {Tensor.onDevice(param.shape(), p2), Tensor.onDevice(m.shape(), m2),
                    Tensor.onDevice(v.shape(), v2)};
        }
    }

    /** The Adam update still to be launched: its settings and, per parameter, its seven ranges and size. */
    private AdamBatch adamBatch;

    /** Up to {@link ArenaKernel#ADAM_SLOTS} parameters of one Adam launch, holding their ranges until it has run. */
    private static final class AdamBatch {
        final double[] hyper;
        final DeviceTensor[][] ranges = new DeviceTensor[ArenaKernel.ADAM_SLOTS][];
        final int[][] slots = new int[ArenaKernel.ADAM_SLOTS][];
        final StringBuilder shapes = new StringBuilder();
        int count;
        int items;

        AdamBatch(double[] hyper) {
            this.hyper = hyper;
        }

        void add(DeviceTensor[] r, int size, String shape) {
            ranges[count] = r;
            slots[count++] = new int[] {r[0].offset, r[1].offset, r[2].offset, r[3].offset, r[4].offset, r[5].offset,
                r[6].offset, size};
            items = Math.max(items, size);
            shapes.append(shapes.length() == 0 ? "" : ", ").append(shape);
        }
    }

    /** Runs {@code batch}'s one launch (called by the arena's flush, under its lock). */
    private void launchAdam(AdamBatch batch) {
        if (adamBatch == batch) {
            adamBatch = null;
        }
        ArenaKernel k = arena.kernel;
        k.setAdamSlots(batch.slots, batch.count);
        k.x0 = batch.hyper[0];
        k.x1 = batch.hyper[1];
        k.x2 = batch.hyper[2];
        k.x3 = batch.hyper[3];
        k.x4 = batch.hyper[4];
        k.x5 = batch.hyper[5];
        arena.launch(ArenaKernel.ADAM_F, Math.max(1, batch.items), "adamUpdate " + batch.shapes);
        Reference.reachabilityFence(batch.ranges);
    }

    /**
     * {@link io.sipflow.autodiff.backend.Backend#nonFiniteProbe} for resident (or uploaded FLOAT32) tensors: the
     * probe value is filled with 0, then each launch writes a NaN into it if any element times 0 of its tensors is
     * not 0. A launch takes up to {@link ArenaKernel#PROBE_SLOTS} tensors of one type (a run of the list), so a
     * step's check of its 58 gradients is four launches instead of a multiplication, a reduction and an addition
     * per tensor.
     */
    Tensor nonFiniteProbe(java.util.List<Tensor> tensors) {
        synchronized (arena) {
            DeviceTensor probe = arena.allocate(DType.FLOAT32, 1);
            ArenaKernel k = arena.kernel;
            k.oy = probe.offset;
            k.x0 = 0;
            arena.launch(ArenaKernel.FILL_F, 1, "nonFiniteProbe fill");
            DeviceTensor[] held = new DeviceTensor[ArenaKernel.PROBE_SLOTS];
            int[] offsets = new int[ArenaKernel.PROBE_SLOTS];
            int[] sizes = new int[ArenaKernel.PROBE_SLOTS];
            int count = 0;
            DType type = null;
            for (Tensor t : tensors) {
                if (count == ArenaKernel.PROBE_SLOTS || (count > 0 && t.dtype() != type)) {
                    launchProbe(probe, type, held, offsets, sizes, count);
                    count = 0;
                }
                type = t.dtype();
                held[count] = on(t);
                offsets[count] = held[count].offset;
                sizes[count++] = t.size();
            }
            if (count > 0) {
                launchProbe(probe, type, held, offsets, sizes, count);
            }
            return Tensor.onDevice(Shape.scalar(), probe);
        }
    }

    /** One probe launch over the first {@code count} tensors ({@code held}, all of {@code type}) into probe. */
    private void launchProbe(DeviceTensor probe, DType type, DeviceTensor[] held, int[] offsets, int[] sizes,
                             int count) {
        ArenaKernel k = arena.kernel;
        int items = 0;
        for (int i = 0; i < count; i++) {
            items = Math.max(items, sizes[i]);
        }
        k.setProbeSlots(offsets, sizes, count);
        k.oy = probe.offset;
        k.x0 = 0;
        arena.launch(type == DType.FLOAT32 ? ArenaKernel.PROBE_F : ArenaKernel.PROBE_D, Math.max(1, items),
                "nonFiniteProbe " + type + " " + count + " tensors");
        Reference.reachabilityFence(held);
        java.util.Arrays.fill(held, null);
    }

    /** Sets the kernel's iteration space to {@code s}'s dims, right-aligned in six (leading ones). */
    void space(Shape s) {
        int[] r = padded(s.dims(), 1);
        ArenaKernel k = arena.kernel;
        k.setSpace(r);
    }

    /** Strides of {@code in} over the iteration space {@code out} (NumPy broadcasting: 0 along stretched dims). */
    static int[] broadcastStrides(Shape in, Shape out) {
        int[] dims = padded(in.dims(), 1);
        int[] st = padded(in.strides(), 0);
        int[] od = padded(out.dims(), 1);
        for (int i = 0; i < DIMS; i++) {
            if (dims[i] == 1 && od[i] != 1) {
                st[i] = 0;
            }
        }
        return st;
    }

    /** {@code v} right-aligned in six entries, the rest {@code fill}. */
    static int[] padded(int[] v, int fill) {
        int[] r = new int[DIMS];
        java.util.Arrays.fill(r, fill);
        System.arraycopy(v, 0, r, DIMS - v.length, v.length);
        return r;
    }

    /** True when a shape fits the kernel's six-dim iteration spaces. */
    static boolean fits(Shape s) {
        return s.rank() <= DIMS;
    }
}
