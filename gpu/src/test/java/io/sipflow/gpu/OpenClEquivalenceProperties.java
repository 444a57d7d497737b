package io.sipflow.gpu;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.CpuBackend;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Every OpenCL kernel against the CPU backend's scalar kernels ({@code CpuBackend.scalar()}: {@code ReferenceConv},
 * the spec) on random small shapes, both paddings, with and without bias, kernel sizes 1, 3 and 5 (5 on images as small as 1×1, so
 * circular indices wrap more than once), in FLOAT32 and FLOAT64. Tolerance: {@link Tolerance}. Few tries per
 * property: PoCL compiles each kernel once (~1.5 s) and then runs these shapes in milliseconds.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClEquivalenceProperties {
    /** The executable spec: reference loops in double, rounded once (what {@link Tolerance} assumes). */
    private final CpuBackend cpu = CpuBackend.scalar();

    @Property(tries = 25)
    void matmulMatchesCpu(@ForAll DType dtype, @ForAll @IntRange(min = 1, max = 3) int batch,
                          @ForAll @IntRange(min = 1, max = 9) int m, @ForAll @IntRange(min = 1, max = 9) int k,
                          @ForAll @IntRange(min = 1, max = 9) int n, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor a = random(rng, dtype, batch, m, k);
        Tensor b = random(rng, dtype, batch, k, n);
        Tensor gpu = OpenClTestBackend.get().matmul(a, b);
        Tolerance.assertClose("matmul", gpu, cpu.matmul(a, b), cpu.matmul(abs64(a), abs64(b)), k);
    }

    @Property(tries = 25)
    void conv2dMatchesReference(@ForAll DType dtype, @ForAll Padding padding, @ForAll boolean withBias,
                                @ForAll @IntRange(min = 1, max = 2) int n, @ForAll @IntRange(min = 1, max = 3) int c,
                                @ForAll @IntRange(min = 1, max = 3) int o, @ForAll @IntRange(min = 1, max = 6) int h,
                                @ForAll @IntRange(min = 1, max = 6) int w, @ForAll @IntRange(min = 0, max = 2) int half,
                                @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 2 * half + 1;
        Tensor x = random(rng, dtype, n, c, h, w);
        Tensor wt = random(rng, dtype, o, c, k, k);
        Tensor bias = withBias ? random(rng, dtype, o) : null;
        Tensor gpu = OpenClTestBackend.get().conv2d(x, wt, bias, padding);
        Tensor sumAbs = cpu.conv2d(abs64(x), abs64(wt), bias == null ? null : abs64(bias), padding);
        Tolerance.assertClose("conv2d " + padding + " k=" + k, gpu, cpu.conv2d(x, wt, bias, padding), sumAbs,
                c * k * k + 1);
    }

    @Property(tries = 25)
    void conv2dBackwardDataMatchesReference(@ForAll DType dtype, @ForAll Padding padding,
                                            @ForAll @IntRange(min = 1, max = 2) int n,
                                            @ForAll @IntRange(min = 1, max = 3) int c,
                                            @ForAll @IntRange(min = 1, max = 3) int o,
                                            @ForAll @IntRange(min = 1, max = 6) int h,
                                            @ForAll @IntRange(min = 1, max = 6) int w,
                                            @ForAll @IntRange(min = 0, max = 2) int half, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 2 * half + 1;
        Shape xShape = Shape.of(n, c, h, w);
        Tensor gy = random(rng, dtype, n, o, h, w);
        Tensor wt = random(rng, dtype, o, c, k, k);
        Tensor gpu = OpenClTestBackend.get().conv2dBackwardData(gy, wt, padding, xShape);
        Tensor sumAbs = cpu.conv2dBackwardData(abs64(gy), abs64(wt), padding, xShape);
        Tolerance.assertClose("conv2dBackwardData " + padding + " k=" + k, gpu,
                cpu.conv2dBackwardData(gy, wt, padding, xShape), sumAbs, o * k * k);
    }

    @Property(tries = 25)
    void conv2dBackwardWeightMatchesReference(@ForAll DType dtype, @ForAll Padding padding,
                                              @ForAll @IntRange(min = 1, max = 3) int n,
                                              @ForAll @IntRange(min = 1, max = 3) int c,
                                              @ForAll @IntRange(min = 1, max = 3) int o,
                                              @ForAll @IntRange(min = 1, max = 6) int h,
                                              @ForAll @IntRange(min = 1, max = 6) int w,
                                              @ForAll @IntRange(min = 0, max = 2) int half, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int k = 2 * half + 1;
        Shape wShape = Shape.of(o, c, k, k);
        Tensor gy = random(rng, dtype, n, o, h, w);
        Tensor x = random(rng, dtype, n, c, h, w);
        Tensor gpu = OpenClTestBackend.get().conv2dBackwardWeight(gy, x, padding, wShape);
        Tensor sumAbs = cpu.conv2dBackwardWeight(abs64(gy), abs64(x), padding, wShape);
        Tolerance.assertClose("conv2dBackwardWeight " + padding + " k=" + k, gpu,
                cpu.conv2dBackwardWeight(gy, x, padding, wShape), sumAbs, n * h * w);
    }

    /** Standard normal values of {@code dtype} (FLOAT32 values are rounded once, then used by both backends). */
    static Tensor random(SplittableRandom rng, DType dtype, int... dims) {
        Shape shape = Shape.of(dims);
        double[] v = new double[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = rng.nextGaussian();
        }
        return Tensor.of(dtype, shape, v);
    }

    /** |t| as FLOAT64, for Σ|terms|. */
    static Tensor abs64(Tensor t) {
        double[] v = new double[t.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(t.getFlat(i));
        }
        return Tensor.wrap(t.shape(), v);
    }
}
