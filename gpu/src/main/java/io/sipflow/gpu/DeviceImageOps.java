package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import java.lang.ref.Reference;

/**
 * Batch norm, max pooling and bilinear upsampling of FLOAT32 NCHW images on resident tensors (see {@link DeviceOps}
 * for the pattern). Batch-norm statistics are FLOAT64 tensors in the double arena. Batch norm's forward and
 * backward each run as one launch of one work group per channel: the group's items sum strided parts of the
 * channel and add them as a tree in local memory (in double), then normalise the channel. Max pooling keeps the
 * argmax of each window on the device for its input tensor, so the backward pass reads it instead of searching the
 * window again.
 */
final class DeviceImageOps {
    private final DeviceOps base;
    private final DeviceArena arena;
    /** Argmax of the last max pooling of each resident input (weak keys: dropped with the input). */
    private final java.util.Map<DeviceTensor, PoolArgmax> argmaxes = new java.util.WeakHashMap<>();

    /** The window size and the kept argmax tensor (window offsets as floats, one per pooled value). */
    private record PoolArgmax(int size, DeviceTensor positions) {
    }

    DeviceImageOps(DeviceOps base) {
        this.base = base;
        this.arena = base.arena;
    }

    Backend.BatchNormForward batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps, boolean relu) {
        int[] s = x.shape().dims();
        int hw = s[2] * s[3];
        Shape stats = Shape.of(s[1]);
        synchronized (arena) {
            DeviceTensor dx = base.on(x);
            DeviceTensor dg = base.on(gamma);
            DeviceTensor db = base.on(beta);
            DeviceTensor mean = arena.allocate(DType.FLOAT64, s[1]);
            DeviceTensor var = arena.allocate(DType.FLOAT64, s[1]);
            DeviceTensor y = arena.allocate(DType.FLOAT32, x.size());
            ArenaKernel k = arena.kernel;
            k.i0 = s[0];
            k.i1 = s[1];
            k.i2 = hw;
            k.i3 = relu ? 1 : 0;
            k.x0 = eps;
            k.oa = dx.offset;
            k.ob = dg.offset;
            k.oc = db.offset;
            k.od = mean.offset;
            k.oz = var.offset;
            k.oy = y.offset;
            arena.launchGroups(ArenaKernel.BN_FORWARD_GROUPS_F, s[1], "batchNormTraining " + x.shape());
            Reference.reachabilityFence(dx);
            Reference.reachabilityFence(dg);
            Reference.reachabilityFence(db);
            return new Backend.BatchNormForward(Tensor.onDevice(x.shape(), y), Tensor.onDevice(stats, mean),
                    Tensor.onDevice(stats, var));
        }
    }

    Backend.BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor mean,
                                                 Tensor variance, double eps) {
        int[] s = x.shape().dims();
        int c = s[1];
        synchronized (arena) {
            DeviceTensor dg = base.on(g);
            DeviceTensor dr = reluOutput == null ? null : base.on(reluOutput);
            DeviceTensor dx = base.on(x);
            DeviceTensor dgamma = base.on(gamma);
            DeviceTensor dmean = base.on(mean);
            DeviceTensor dvar = base.on(variance);
            DeviceTensor gBeta = arena.allocate(DType.FLOAT32, c);
            DeviceTensor gGamma = arena.allocate(DType.FLOAT32, c);
            DeviceTensor gx = arena.allocate(DType.FLOAT32, x.size());
            ArenaKernel k = arena.kernel;
            k.i0 = s[0];
            k.i1 = c;
            k.i2 = s[2] * s[3];
            k.i3 = dr == null ? 0 : 1;
            k.i4 = gGamma.offset;
            k.i6 = dgamma.offset;
            k.x0 = eps;
            k.oa = dx.offset;
            k.ob = dg.offset;
            k.oc = dr == null ? 0 : dr.offset;
            k.od = dmean.offset;
            k.oz = dvar.offset;
            k.oy = gBeta.offset;
            k.ow = gx.offset;
            arena.launchGroups(ArenaKernel.BN_BACKWARD_GROUPS_F, c, "batchNormBackward " + x.shape());
            Reference.reachabilityFence(dg);
            Reference.reachabilityFence(dr);
            Reference.reachabilityFence(dx);
            Reference.reachabilityFence(dgamma);
            Reference.reachabilityFence(dmean);
            Reference.reachabilityFence(dvar);
            return new Backend.BatchNormGradients(Tensor.onDevice(x.shape(), gx), Tensor.onDevice(gamma.shape(), gGamma),
                    Tensor.onDevice(gamma.shape(), gBeta));
        }
    }

    /** FLOAT32 running buffers, FLOAT64 batch statistics: see {@link ArenaKernel#runningStats}. */
    Backend.RunningStatistics runningUpdate(Tensor runningMean, Tensor runningVar, Tensor batchMean,
                                            Tensor batchVariance, double momentum, int count) {
        int c = runningMean.size();
        synchronized (arena) {
            DeviceTensor rm = base.on(runningMean);
            DeviceTensor rv = base.on(runningVar);
            DeviceTensor bm = base.on(batchMean);
            DeviceTensor bv = base.on(batchVariance);
            DeviceTensor mean = arena.allocate(DType.FLOAT32, c);
            DeviceTensor var = arena.allocate(DType.FLOAT32, c);
            RunningBatch batch = running;
            if (batch != null && batch.momentum != momentum) {
                arena.notLater(batch);
                batch.run();
                batch = null;
            }
            if (batch == null) {
                batch = new RunningBatch(momentum);
                running = batch;
                arena.later(batch);
            }
            batch.add(new DeviceTensor[] {rm, rv, bm, bv, mean, var}, c, count);
            if (batch.count == ArenaKernel.RUNNING_STATS_SLOTS) {
                arena.notLater(batch);
                batch.run();
            }
            return new Backend.RunningStatistics(Tensor.onDevice(runningMean.shape(), mean),
                    Tensor.onDevice(runningVar.shape(), var));
        }
    }

    /** The running-statistics updates waiting for one launch ({@link DeviceArena#later}), or null. */
    private RunningBatch running;

    /**
     * Up to {@link ArenaKernel#RUNNING_STATS_SLOTS} layers' running-statistics updates with one momentum
     * ({@link ArenaKernel#runningStatsSlot}): the new running buffers are read only by the next step's update (or
     * evaluation), so a forward pass's layers share launches instead of one each. Holds the ranges until it has run.
     */
    private final class RunningBatch implements Runnable {
        final double momentum;
        final DeviceTensor[][] ranges = new DeviceTensor[ArenaKernel.RUNNING_STATS_SLOTS][];
        final int[] packed = new int[7 * ArenaKernel.RUNNING_STATS_SLOTS];
        final double[] counts = new double[ArenaKernel.RUNNING_STATS_SLOTS];
        int count;
        int items;

        RunningBatch(double momentum) {
            this.momentum = momentum;
        }

        void add(DeviceTensor[] r, int channels, int values) {
            ranges[count] = r;
            r[4].pending = true;
            r[5].pending = true;
            for (int i = 0; i < 6; i++) {
                packed[7 * count + i] = r[i].offset;
            }
            packed[7 * count + 6] = channels;
            counts[count] = values;
            items = Math.max(items, channels);
            count++;
        }

        @Override
        public void run() {
            if (running == this) {
                running = null;
            }
            ArenaKernel k = arena.kernel;
            k.setPacked(packed);
            k.x0 = momentum;
            k.x1 = counts[0];
            k.x2 = counts[1];
            k.x3 = counts[2];
            k.x4 = counts[3];
            k.x5 = counts[4];
            arena.launch(ArenaKernel.RUNNING_STATS_BATCH, Math.max(1, items), "batchNormRunningUpdate " + count
                    + " layers");
            for (int i = 0; i < count; i++) {
                ranges[i][4].pending = false;
                ranges[i][5].pending = false;
                ranges[i] = null;
            }
        }
    }

    /** The pooled values, and each window's argmax kept on the device for {@link #maxPoolBackward}. */
    Tensor maxPool(Tensor x, int size) {
        int[] s = x.shape().dims();
        Shape out = Shape.of(s[0], s[1], s[2] / size, s[3] / size);
        synchronized (arena) {
            DeviceTensor dx = base.on(x);
            DeviceTensor positions = arena.allocate(DType.FLOAT32, out.size());
            arena.kernel.oarg = positions.offset;
            Tensor y = image(ArenaKernel.MAXPOOL_ARGMAX_F, x, null, s[2], s[3], size, out, "maxPool2d");
            argmaxes.put(dx, new PoolArgmax(size, positions));
            return y;
        }
    }

    /**
     * Routes gy to each window's argmax: the one kept by {@link #maxPool} for this input, or (an input pooled
     * elsewhere) found again from x.
     */
    Tensor maxPoolBackward(Tensor gy, Tensor x, int size) {
        int[] s = x.shape().dims();
        synchronized (arena) {
            DeviceTensor dx = base.on(x);
            PoolArgmax kept = argmaxes.get(dx);
            if (kept != null && kept.size() == size) {
                arena.kernel.oarg = kept.positions().offset;
                boolean whole = s[2] % size == 0 && s[3] % size == 0; // every input element lies in a window
                Tensor gx = whole
                        ? image(ArenaKernel.MAXPOOL_BACKWARD_WINDOWS_F, x, gy, s[2], s[3], size, x.shape(), gy.size(),
                                "maxPool2dBackward")
                        : image(ArenaKernel.MAXPOOL_BACKWARD_ARGMAX_F, x, gy, s[2], s[3], size, x.shape(),
                                "maxPool2dBackward");
                Reference.reachabilityFence(kept.positions());
                return gx;
            }
            return image(ArenaKernel.MAXPOOL_BACKWARD_F, x, gy, s[2], s[3], size, x.shape(),
                    "maxPool2dBackward (argmax searched again)");
        }
    }

    Tensor upsample(Tensor x) {
        int[] s = x.shape().dims();
        return planes(ArenaKernel.UPSAMPLE_GROUPS_F, x, s[2], s[3], Shape.of(s[0], s[1], 2 * s[2], 2 * s[3]),
                "upsampleBilinear2x");
    }

    Tensor upsampleAdjoint(Tensor gy, Shape xShape) {
        return planes(ArenaKernel.UPSAMPLE_ADJOINT_GROUPS_F, gy, xShape.dim(2), xShape.dim(3), xShape,
                "upsampleBilinear2xAdjoint");
    }

    /** One launch over {@code out}'s elements: a at oa, b (or nothing) at ob, i0 = h, i1 = w, i2 = size. */
    private Tensor image(int op, Tensor a, Tensor b, int h, int w, int size, Shape out, String what) {
        return image(op, a, b, h, w, size, out, out.size(), what);
    }

    /** As above, over {@code items} work items (elements of out, or windows). */
    private Tensor image(int op, Tensor a, Tensor b, int h, int w, int size, Shape out, int items, String what) {
        synchronized (arena) {
            DeviceTensor da = base.on(a);
            DeviceTensor db = b == null ? null : base.on(b);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.i0 = h;
            k.i1 = w;
            k.i2 = size;
            k.oa = da.offset;
            k.ob = db == null ? 0 : db.offset;
            k.oy = y.offset;
            arena.launch(op, items, what + " " + a.shape());
            Reference.reachabilityFence(da);
            Reference.reachabilityFence(db);
            return Tensor.onDevice(out, y);
        }
    }

    /** Values a work group of the upsampling ops handles at least (whole planes; small planes are grouped). */
    static final int PLANE_GROUP_VALUES = 2048;

    /**
     * One work group per run of planes (n·c of {@code out}; as many whole planes as make {@link #PLANE_GROUP_VALUES}
     * values of the larger image): a at oa, i0 = h, i1 = w of the smaller image, i2 = planes per group, i3 = planes.
     */
    private Tensor planes(int op, Tensor a, int h, int w, Shape out, String what) {
        synchronized (arena) {
            DeviceTensor da = base.on(a);
            DeviceTensor y = arena.allocate(DType.FLOAT32, out.size());
            ArenaKernel k = arena.kernel;
            k.i0 = h;
            k.i1 = w;
            int planes = out.dim(0) * out.dim(1);
            int perGroup = Math.max(1, Math.min(planes, PLANE_GROUP_VALUES / (4 * h * w)));
            k.i2 = perGroup;
            k.i3 = planes;
            k.oa = da.offset;
            k.oy = y.offset;
            arena.launchGroups(op, (planes + perGroup - 1) / perGroup, what + " " + a.shape());
            Reference.reachabilityFence(da);
            return Tensor.onDevice(out, y);
        }
    }
}
