package io.sipflow.gpu;

import io.sipflow.autodiff.backend.Transfers;
import com.aparapi.device.OpenCLDevice;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.CpuBackend;
import io.sipflow.autodiff.backend.ReduceOp;
import io.sipflow.autodiff.backend.UnaryOp;

/**
 * The OpenCL backend: every FLOAT32 op of a training step runs as an Aparapi kernel on one OpenCL device, on
 * tensors that stay in device memory ({@link DeviceArena}); FLOAT64 matrix products and convolutions run as
 * per-call kernels, and the other FLOAT64 ops on the host. Select it explicitly with
 * {@code Backends.use(OpenClBackend.create())} or {@code Backends.named("opencl")}; it is never chosen silently,
 * and if no OpenCL device matches, creation throws (naming the filter and what was found) instead of falling
 * back to Aparapi's Java thread pool.
 *
 * <p><b>What runs where.</b> FLOAT32 on the device, results resident: elementwise ops with broadcasting,
 * {@code where}, sum and max reductions, matmul, conv2d and both its gradients, batch norm (training, backward,
 * running statistics), max pooling and bilinear upsampling with their gradients, the layout copies (permute,
 * broadcast, slice, concat, pad and its adjoint) and the Adam update. FLOAT64: elementwise ops whose operands are
 * already resident (batch-norm statistics) and casts of resident values to FLOAT32 on the device; matmul and the
 * convolutions through per-call kernels that copy their inputs in and the result out; everything else on the host
 * ({@link CpuBackend}), whose reads of a resident input copy it to the host once (the tensor keeps the copy). See
 * the package documentation for the residency design, what {@link #transfers()} counts, and the limits.
 *
 * <p><b>Numerics.</b> Elementwise ops, reductions and Adam compute in double and round once, like the CPU
 * backend (+, −, ×, ÷ and √ agree bit for bit; exp, log and pow within the device's double-precision ulps);
 * matmul and convolutions sum in float in the reference loops' order, the weight gradient per batch element in
 * double. A result differs from the CPU's by rounding only, about K·u·Σ|terms| for K terms (u = 2^−24), and the
 * OpenCL compiler may contract a·b + c to FMA.
 */
public final class OpenClBackend implements Backend {
    private final OpenCLDevice device;
    private final CpuBackend host = CpuBackend.instance();
    private final DeviceArena arena;
    private final DeviceOps ops;
    private final DeviceImageOps images;
    private final DeviceLayoutOps layout;
    private final MatmulF64Kernel matmulF64 = new MatmulF64Kernel();
    private final ConvF64Kernel convF64 = new ConvF64Kernel();
    private final ConvWeightGradF64Kernel weightGradF64 = new ConvWeightGradF64Kernel();

    private OpenClBackend(OpenCLDevice device) {
        this.device = device;
        this.arena = new DeviceArena(device, "opencl on " + OpenClDevices.describe(device));
        this.ops = new DeviceOps(arena);
        this.images = new DeviceImageOps(ops);
        this.layout = new DeviceLayoutOps(ops);
        for (var kernel : new com.aparapi.Kernel[] {matmulF64, convF64, weightGradF64}) {
            kernel.setExplicit(true);
        }
    }

    /**
     * A backend on the device chosen by {@link OpenClDevices#configuredFilter()} (default "any": GPU first).
     *
     * @return a backend whose self-test product ran on the device
     * @throws IllegalStateException if no device matches or the self-test fails, naming what was found
     */
    public static OpenClBackend create() {
        return create(OpenClDevices.configuredFilter());
    }

    /**
     * A backend on the device matching {@code filter} (see {@link OpenClDevices}), after one tiny matrix product
     * has run there (so a device that lists but cannot run kernels fails here, not in the middle of training).
     *
     * @param filter "any", "gpu", "cpu", "accelerator", or text matched against the devices (see
     *        {@link OpenClDevices})
     * @return a backend whose self-test product ran on the device
     * @throws IllegalStateException if no device matches or the self-test fails, naming what was found
     */
    public static OpenClBackend create(String filter) {
        OpenClBackend backend = new OpenClBackend(OpenClDevices.select(filter));
        Tensor probe = backend.matmul(Tensor.wrap(Shape.of(1, 1, 2), new float[] {2, 3}),
                Tensor.wrap(Shape.of(1, 2, 1), new float[] {5, 7}));
        if (probe.getFlat(0) != 31) {
            throw new IllegalStateException("opencl backend: self-test 2·5 + 3·7 gave " + probe.getFlat(0)
                    + " on " + backend.deviceDescription());
        }
        return backend;
    }

    /**
     * Releases the device buffers and compiled programs of this backend's kernels; it must not be used afterwards.
     * Optional: a backend that lives as long as the program can simply be dropped.
     */
    public void dispose() {
        for (var kernel : new com.aparapi.Kernel[] {matmulF64, convF64, weightGradF64}) {
            kernel.dispose();
        }
        arena.dispose();
    }

    /**
     * Host↔device copies made by this backend so far (see {@link Transfers}): uploads of host tensors, read-backs
     * of resident ones, arena growth, and the per-call copies of the FLOAT64 kernels.
     */
    @Override
    public Transfers transfers() {
        Transfers t = arena.transfers();
        for (DeviceKernel k : new DeviceKernel[] {matmulF64, convF64, weightGradF64}) {
            t = t.plus(k.transfers());
        }
        return t;
    }

    /**
     * {@return the float and double arena elements held by live resident tensors (tests check that ranges come back)}
     */
    public long[] residentElements() {
        return arena.used();
    }

    /** The float and double arenas' capacities in elements (tests check when they grow). */
    long[] arenaCapacities() {
        return arena.capacities();
    }


    /** {@return the OpenCL device every kernel runs on} */
    public OpenCLDevice device() {
        return device;
    }

    /** {@return the device's name, type, platform and OpenCL version, for logs and benchmarks} */
    public String deviceDescription() {
        return OpenClDevices.describe(device);
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String toString() {
        return "opencl on " + deviceDescription();
    }

    // ---------------------------------------------------------------- FLOAT32 resident on the device, FLOAT64 as noted

    private static boolean f32(Tensor t) {
        return t.dtype() == DType.FLOAT32;
    }

    /** True when {@code t}'s values are in this backend's arena. */
    private boolean resident(Tensor t) {
        return t.deviceValues() instanceof DeviceTensor dt && dt.arena == arena;
    }

    /**
     * FLOAT32 on the device. FLOAT64 follows its operands: on the device when each is resident or a host scalar
     * and one is resident (batch-norm statistics, say), else on the host (the physics), so neither side pulls the
     * other's data across.
     */
    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape outShape) {
        if (!DeviceOps.fits(outShape)) {
            return host.binary(op, a, b, outShape);
        }
        if (f32(a)) {
            return ops.binary(op, a, b, outShape);
        }
        boolean aOk = resident(a) || DeviceOps.hostScalar(a);
        boolean bOk = resident(b) || DeviceOps.hostScalar(b);
        if (aOk && bOk && (resident(a) || resident(b))) {
            return ops.binary(op, a, b, outShape);
        }
        return host.binary(op, a, b, outShape);
    }

    /**
     * FLOAT64 → FLOAT32 of a resident tensor on the device; FLOAT32 → FLOAT64 on the host (the values cross as
     * floats, half the bytes; the FLOAT64 consumers are the host's physics).
     */
    @Override
    public Tensor cast(Tensor x, DType dtype) {
        if (dtype == DType.FLOAT32 && resident(x)) {
            return layout.castToFloat(x);
        }
        return host.cast(x, dtype);
    }

    /** On the host for a single host value (a divisor's square in div's VJP): no upload for one number. */
    @Override
    public Tensor unary(UnaryOp op, Tensor a, double param) {
        return f32(a) && !DeviceOps.hostScalar(a) ? ops.unary(op, a, param) : host.unary(op, a, param);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return f32(a) ? ops.where(cond, a, b) : host.where(cond, a, b);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        if (f32(a) && DeviceOps.fits(a.shape()) && a.size() > 0 && !DeviceOps.hostScalar(a)) {
            return ops.reduce(op, a, axes);
        }
        return host.reduce(op, a, axes);
    }

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int batch = a.dim(0);
        int m = a.dim(1);
        int k = a.dim(2);
        int n = b.dim(2);
        Shape out = Shape.of(batch, m, n);
        if (batch * m * n == 0 || k == 0) {
            return Tensor.full(a.dtype(), out, 0);
        }
        return f32(a) ? ops.matmul(a, b)
                : Tensor.wrap(out, matmulF64.multiply(device, a.doubleData(), b.doubleData(), batch, m, k, n));
    }

    @Override
    public Tensor conv2d(Tensor x, Tensor w, Tensor bias, Padding padding) {
        int[] d = x.shape().dims();
        int o = w.dim(0);
        int k = w.dim(2);
        Shape out = Shape.of(d[0], o, d[2], d[3]);
        if (out.size() == 0) {
            return Tensor.full(x.dtype(), out, 0);
        }
        if (f32(x)) {
            return ops.conv(x, w, bias, padding, o, false, "conv2d");
        }
        return Tensor.wrap(out, convF64.convolve(device, x.doubleData(), w.doubleData(),
                bias == null ? null : bias.doubleData(), d[0], d[1], d[2], d[3], o, k, padding == Padding.CIRCULAR,
                "conv2d float64"));
    }

    /**
     * FLOAT32: the convolution's float sums continue from {@code into}'s values, so the result equals one conv2d
     * over the concatenated channels (into is read, not written: the result is a fresh resident tensor).
     */
    @Override
    public Tensor conv2dAccumulate(Tensor into, Tensor x, Tensor w, Padding padding) {
        if (f32(x) && x.shape().size() > 0) {
            return ops.conv(into, x, w, null, padding, w.dim(0), false, "conv2dAccumulate");
        }
        return Backend.super.conv2dAccumulate(into, x, w, padding);
    }

    /**
     * gx = conv2d(gy, w′) with w′[c,o,u,v] = w[o,c,k−1−u,k−1−v]: substituting u′ = k−1−u in
     * gx[n,c,s,t] = Σ_o Σ_{u,v} gy[n,o,s−u+p,t−v+p]·w[o,c,u,v] gives offsets s+u′−p, since k−1 = 2p; the same
     * holds with wrapped indices, so both paddings reuse the forward kernel (FLOAT32 reads w flipped in place).
     */
    @Override
    public Tensor conv2dBackwardData(Tensor gy, Tensor w, Padding padding, Shape xShape) {
        int[] d = xShape.dims();
        int o = w.dim(0);
        int c = w.dim(1);
        int k = w.dim(2);
        if (xShape.size() == 0 || o == 0) {
            return Tensor.full(gy.dtype(), xShape, 0);
        }
        if (f32(gy)) {
            return ops.conv(gy, w, null, padding, c, true, "conv2dBackwardData");
        }
        double[] wd = w.doubleData();
        double[] flipped = new double[wd.length];
        for (int e = 0; e < wd.length; e++) {
            flipped[flippedIndex(e, o, c, k)] = wd[e];
        }
        return Tensor.wrap(xShape, convF64.convolve(device, gy.doubleData(), flipped, null, d[0], o, d[2], d[3],
                c, k, padding == Padding.CIRCULAR, "conv2dBackwardData float64"));
    }

    /** Index in w′ (c, o, k, k) of element e = ((oc·c + ci)·k + u)·k + v of w (o, c, k, k), flipped in u and v. */
    private static int flippedIndex(int e, int o, int c, int k) {
        int v = e % k;
        int u = (e / k) % k;
        int ci = (e / (k * k)) % c;
        int oc = e / (k * k * c);
        return ((ci * o + oc) * k + (k - 1 - u)) * k + (k - 1 - v);
    }

    /** Partial sums per (weight, batch element), then their sum over the batch, in double. */
    @Override
    public Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        int[] d = x.shape().dims();
        int n = d[0];
        int size = wShape.size();
        if (size == 0 || n * d[2] * d[3] == 0) {
            return Tensor.full(gy.dtype(), wShape, 0);
        }
        if (f32(gy)) {
            return ops.convWeightGradient(gy, x, padding, wShape);
        }
        double[] part = weightGradF64.partials(device, gy.doubleData(), x.doubleData(), n, d[1], d[2], d[3],
                wShape.dim(0), wShape.dim(2), padding == Padding.CIRCULAR);
        double[] gw = new double[size];
        for (int e = 0; e < size; e++) {
            double s = 0;
            for (int b = 0; b < n; b++) {
                s += part[e * n + b];
            }
            gw[e] = s;
        }
        return Tensor.wrap(wShape, gw);
    }

    /** FLOAT32 parameters on the device (moments stay there as FLOAT64); FLOAT64 ones on the host. */
    @Override
    public AdamState adamUpdate(Tensor param, Tensor grad, Tensor m, Tensor v, AdamStep step) {
        if (!f32(param) || param.size() == 0) {
            return Backend.super.adamUpdate(param, grad, m, v, step);
        }
        Tensor[] r = ops.adam(param, grad.to(DType.FLOAT32), m, v, new double[] {step.lr(), step.beta1(),
                step.beta2(), step.eps(), step.correction1(), step.correction2()});
        return new AdamState(r[0], r[1], r[2]);
    }

    /**
     * FLOAT32 and resident tensors are probed on the device, one launch each; FLOAT64 tensors on the host are
     * probed there (neither side pulls the other's data across). A non-finite host part is the answer; otherwise
     * the device probe is.
     */
    @Override
    public Tensor nonFiniteProbe(java.util.List<Tensor> tensors) {
        java.util.List<Tensor> onDevice = new java.util.ArrayList<>();
        java.util.List<Tensor> onHost = new java.util.ArrayList<>();
        for (Tensor t : tensors) {
            (f32(t) || resident(t) ? onDevice : onHost).add(t);
        }
        if (!onHost.isEmpty()) {
            Tensor hostProbe = host.nonFiniteProbe(onHost);
            if (onDevice.isEmpty() || !Double.isFinite(hostProbe.item())) {
                return hostProbe;
            }
        }
        return ops.nonFiniteProbe(onDevice);
    }

    // ---------------------------------------------------------------- batch norm, pooling, upsampling, layout

    @Override
    public BatchNormForward batchNormTraining(Tensor x, Tensor gamma, Tensor beta, double eps, boolean relu) {
        return f32(x) ? images.batchNormTraining(x, gamma, beta, eps, relu)
                : host.batchNormTraining(x, gamma, beta, eps, relu);
    }

    @Override
    public BatchNormGradients batchNormBackward(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor mean,
                                                Tensor variance, double eps) {
        return f32(x) ? images.batchNormBackward(g, reluOutput, x, gamma, mean, variance, eps)
                : host.batchNormBackward(g, reluOutput, x, gamma, mean, variance, eps);
    }

    /** Eval-mode batch norm has no device kernel yet: the host computes it (reading resident inputs once). */
    @Override
    public Tensor batchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, double eps,
                                     boolean relu) {
        return host.batchNormInference(x, gamma, beta, mean, variance, eps, relu);
    }

    @Override
    public RunningStatistics batchNormRunningUpdate(Tensor runningMean, Tensor runningVar, Tensor batchMean,
                                                    Tensor batchVariance, double momentum, int count) {
        if (f32(runningMean) && resident(batchMean)) {
            return images.runningUpdate(runningMean, runningVar, batchMean, batchVariance, momentum, count);
        }
        return host.batchNormRunningUpdate(runningMean, runningVar, batchMean, batchVariance, momentum, count);
    }

    @Override
    public Tensor maxPool2d(Tensor x, int size) {
        return f32(x) ? images.maxPool(x, size) : host.maxPool2d(x, size);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor gy, Tensor x, int size) {
        return f32(x) ? images.maxPoolBackward(gy, x, size) : host.maxPool2dBackward(gy, x, size);
    }

    @Override
    public Tensor upsampleBilinear2x(Tensor x) {
        return f32(x) ? images.upsample(x) : host.upsampleBilinear2x(x);
    }

    @Override
    public Tensor upsampleBilinear2xAdjoint(Tensor gy, Shape xShape) {
        return f32(gy) ? images.upsampleAdjoint(gy, xShape) : host.upsampleBilinear2xAdjoint(gy, xShape);
    }

    @Override
    public Tensor permute(Tensor x, int[] axes) {
        return f32(x) && DeviceOps.fits(x.shape()) ? layout.permute(x, axes) : host.permute(x, axes);
    }

    @Override
    public Tensor broadcastTo(Tensor x, Shape shape) {
        return f32(x) && DeviceOps.fits(shape) ? layout.broadcastTo(x, shape) : host.broadcastTo(x, shape);
    }

    @Override
    public Tensor slice(Tensor x, int axis, int start, int end) {
        return f32(x) && DeviceOps.fits(x.shape()) ? layout.slice(x, axis, start, end) : host.slice(x, axis, start, end);
    }

    @Override
    public Tensor concat(Tensor[] parts, int axis, Shape shape) {
        return f32(parts[0]) && DeviceOps.fits(shape) ? layout.concat(parts, axis, shape)
                : host.concat(parts, axis, shape);
    }

    @Override
    public Tensor pad(Tensor x, int axis, int before, int after, Padding mode) {
        return f32(x) ? layout.pad(x, axis, before, after, mode) : host.pad(x, axis, before, after, mode);
    }

    @Override
    public Tensor padAdjoint(Tensor g, int axis, int before, int length, Padding mode) {
        return f32(g) ? layout.padAdjoint(g, axis, before, length, mode) : host.padAdjoint(g, axis, before, length, mode);
    }
}
