package io.sipflow.gpu;

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
 * The OpenCL backend: matrix products and 2-D convolutions (forward, gradient w.r.t. data, gradient w.r.t.
 * weights) run as Aparapi kernels on one OpenCL device, in FLOAT32 or FLOAT64. Select it explicitly with
 * {@code Backends.use(OpenClBackend.create())} or {@code Backends.named("opencl")}; it is never chosen silently,
 * and if no OpenCL device matches, creation throws (naming the filter and what was found) instead of falling
 * back to Aparapi's Java thread pool. Every launch is checked afterwards to have run on this device
 * ({@link Launch#verify}).
 *
 * <p><b>What runs where.</b> On the device: {@link #matmul}, {@link #conv2d}, {@link #conv2dBackwardData} (the
 * forward kernel with flipped, transposed weights — those few weights are rearranged on the host) and
 * {@link #conv2dBackwardWeight} (one partial sum per weight and batch element on the device; the host adds the
 * batch partials). Elementwise ops, {@code where} and reductions are delegated to {@link CpuBackend} on the
 * host: they are memory-bound and cheap next to the convolutions, and without device-resident tensors a
 * device kernel for them would pay two copies per op.
 *
 * <p><b>When data moves.</b> Tensors live in Java arrays; there is no device-resident tensor type. Each kernel
 * object runs in Aparapi's explicit mode: a call copies each input array to the device once (explicit
 * {@code put}) unless that same array (tensors are immutable, so same array means same values) was the input
 * of the previous launch of the same kernel, and copies the one result array back (explicit {@code get}).
 * So in a training step every conv layer's activations and weights cross the bus once per kernel that reads
 * them, and each result crosses back once; nothing else is copied, and no array is copied twice for one launch.
 * Keeping a whole step on the device would need tensors that own device buffers shared between kernels, which
 * Aparapi (buffers belong to one kernel object) does not offer.
 *
 * <p><b>Numerics.</b> FLOAT32 kernels sum in float (the CPU backend sums in double and rounds once); FLOAT64
 * kernels sum in double, matmul and forward convolution in the CPU's order, the two gradients in another
 * grouping. Either way a result differs from the CPU's by rounding only, bounded by about K·u·Σ|terms| for K
 * terms (u = 2^−24 or 2^−53; the OpenCL compiler may also contract to FMA). The kernels call no transcendental
 * functions; the elementwise ops that do (exp, log, ...) run on the host, so Aparapi's float math functions are
 * not needed here.
 */
public final class OpenClBackend implements Backend {
    private final OpenCLDevice device;
    private final CpuBackend host = CpuBackend.instance();
    private final MatmulF32Kernel matmulF32 = new MatmulF32Kernel();
    private final MatmulF64Kernel matmulF64 = new MatmulF64Kernel();
    private final ConvF32Kernel convF32 = new ConvF32Kernel();
    private final ConvF64Kernel convF64 = new ConvF64Kernel();
    private final ConvWeightGradF32Kernel weightGradF32 = new ConvWeightGradF32Kernel();
    private final ConvWeightGradF64Kernel weightGradF64 = new ConvWeightGradF64Kernel();

    private OpenClBackend(OpenCLDevice device) {
        this.device = device;
        for (var kernel : new com.aparapi.Kernel[] {matmulF32, matmulF64, convF32, convF64, weightGradF32,
                weightGradF64}) {
            kernel.setExplicit(true);
        }
    }

    /** A backend on the device chosen by {@link OpenClDevices#configuredFilter()} (default "any": GPU first). */
    public static OpenClBackend create() {
        return create(OpenClDevices.configuredFilter());
    }

    /**
     * A backend on the device matching {@code filter} (see {@link OpenClDevices}), after one tiny matrix product
     * has run there (so a device that lists but cannot run kernels fails here, not in the middle of training).
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
        for (var kernel : new com.aparapi.Kernel[] {matmulF32, matmulF64, convF32, convF64, weightGradF32,
                weightGradF64}) {
            kernel.dispose();
        }
    }

    /** The OpenCL device every kernel runs on. */
    public OpenCLDevice device() {
        return device;
    }

    /** Device name, type, platform and OpenCL version, for logs and benchmarks. */
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

    // ---------------------------------------------------------------- delegated to the host (see class comment)

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b, Shape outShape) {
        return host.binary(op, a, b, outShape);
    }

    @Override
    public Tensor unary(UnaryOp op, Tensor a, double param) {
        return host.unary(op, a, param);
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        return host.where(cond, a, b);
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor a, int[] axes) {
        return host.reduce(op, a, axes);
    }

    // ---------------------------------------------------------------- on the device

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
        return a.dtype() == DType.FLOAT32
                ? Tensor.wrap(out, matmulF32.multiply(device, a.floatData(), b.floatData(), batch, m, k, n))
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
        boolean circular = padding == Padding.CIRCULAR;
        if (x.dtype() == DType.FLOAT32) {
            return Tensor.wrap(out, convF32.convolve(device, x.floatData(), w.floatData(),
                    bias == null ? null : bias.floatData(), d[0], d[1], d[2], d[3], o, k, circular, "conv2d float32"));
        }
        return Tensor.wrap(out, convF64.convolve(device, x.doubleData(), w.doubleData(),
                bias == null ? null : bias.doubleData(), d[0], d[1], d[2], d[3], o, k, circular, "conv2d float64"));
    }

    /**
     * gx = conv2d(gy, w′) with w′[c,o,u,v] = w[o,c,k−1−u,k−1−v]: substituting u′ = k−1−u in
     * gx[n,c,s,t] = Σ_o Σ_{u,v} gy[n,o,s−u+p,t−v+p]·w[o,c,u,v] gives offsets s+u′−p, since k−1 = 2p; the same
     * holds with wrapped indices, so both paddings reuse the forward kernel.
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
        boolean circular = padding == Padding.CIRCULAR;
        if (gy.dtype() == DType.FLOAT32) {
            float[] wf = w.floatData();
            float[] flipped = new float[wf.length];
            for (int e = 0; e < wf.length; e++) {
                flipped[flippedIndex(e, o, c, k)] = wf[e];
            }
            return Tensor.wrap(xShape, convF32.convolve(device, gy.floatData(), flipped, null, d[0], o, d[2], d[3],
                    c, k, circular, "conv2dBackwardData float32"));
        }
        double[] wd = w.doubleData();
        double[] flipped = new double[wd.length];
        for (int e = 0; e < wd.length; e++) {
            flipped[flippedIndex(e, o, c, k)] = wd[e];
        }
        return Tensor.wrap(xShape, convF64.convolve(device, gy.doubleData(), flipped, null, d[0], o, d[2], d[3],
                c, k, circular, "conv2dBackwardData float64"));
    }

    /** Index in w′ (c, o, k, k) of element e = ((oc·c + ci)·k + u)·k + v of w (o, c, k, k), flipped in u and v. */
    private static int flippedIndex(int e, int o, int c, int k) {
        int v = e % k;
        int u = (e / k) % k;
        int ci = (e / (k * k)) % c;
        int oc = e / (k * k * c);
        return ((ci * o + oc) * k + (k - 1 - u)) * k + (k - 1 - v);
    }

    /** Partial sums per (weight, batch element) on the device; the batch partials are added here, in double. */
    @Override
    public Tensor conv2dBackwardWeight(Tensor gy, Tensor x, Padding padding, Shape wShape) {
        int[] d = x.shape().dims();
        int n = d[0];
        int o = wShape.dim(0);
        int k = wShape.dim(2);
        int size = wShape.size();
        if (size == 0 || n * d[2] * d[3] == 0) {
            return Tensor.full(gy.dtype(), wShape, 0);
        }
        boolean circular = padding == Padding.CIRCULAR;
        if (gy.dtype() == DType.FLOAT32) {
            float[] part = weightGradF32.partials(device, gy.floatData(), x.floatData(), n, d[1], d[2], d[3], o, k,
                    circular);
            float[] gw = new float[size];
            for (int e = 0; e < size; e++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    s += part[e * n + b];
                }
                gw[e] = (float) s;
            }
            return Tensor.wrap(wShape, gw);
        }
        double[] part = weightGradF64.partials(device, gy.doubleData(), x.doubleData(), n, d[1], d[2], d[3], o, k,
                circular);
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
}
