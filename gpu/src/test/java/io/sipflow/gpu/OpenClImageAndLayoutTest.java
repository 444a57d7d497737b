package io.sipflow.gpu;

import static io.sipflow.gpu.OpenClEquivalenceProperties.random;
import static io.sipflow.gpu.OpenClResidentOpsTest.assertSame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.CpuBackend;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Batch norm, pooling, upsampling, layout copies, casts and FLOAT64 elementwise ops of the OpenCL backend against
 * the CPU backend. Copies (pool, permute, slice, concat, pad, casts) must agree exactly. The rest computes in double
 * in the CPU's formulas and rounds once, so results agree to a float ulp or two, except where the order of a
 * double sum differs (the upsampling adjoint gathers what the CPU scatters): still within 2 ulps after rounding.
 * FLOAT64 statistics agree to 1e-12 relative (sums of a few hundred doubles in the same order).
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClImageAndLayoutTest {
    private final CpuBackend cpu = CpuBackend.instance();

    @Example
    void batchNormForwardBackwardAndRunningStatisticsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(31);
        Tensor x = random(rng, DType.FLOAT32, 3, 4, 5, 6);
        Tensor gamma = random(rng, DType.FLOAT32, 4);
        Tensor beta = random(rng, DType.FLOAT32, 4);
        Tensor g = random(rng, DType.FLOAT32, 3, 4, 5, 6);
        for (boolean relu : new boolean[] {false, true}) {
            Backend.BatchNormForward want = cpu.batchNormTraining(x, gamma, beta, 1e-5, relu);
            Backend.BatchNormForward got = backend().batchNormTraining(x, gamma, beta, 1e-5, relu);
            assertSame("batch norm y relu=" + relu, want.y(), got.y(), 2);
            assertClose("batch norm mean", want.mean(), got.mean(), 1e-12);
            assertClose("batch norm variance", want.variance(), got.variance(), 1e-12);
            Tensor mask = relu ? want.y() : null;
            Backend.BatchNormGradients wg = cpu.batchNormBackward(g, mask, x, gamma, want.mean(), want.variance(), 1e-5);
            Backend.BatchNormGradients gg = backend().batchNormBackward(g, relu ? got.y() : null, x, gamma, got.mean(),
                    got.variance(), 1e-5);
            assertSame("batch norm gx relu=" + relu, wg.gx(), gg.gx(), 2);
            assertSame("batch norm gγ relu=" + relu, wg.gGamma(), gg.gGamma(), 2);
            assertSame("batch norm gβ relu=" + relu, wg.gBeta(), gg.gBeta(), 2);
            Tensor rm = random(rng, DType.FLOAT32, 4);
            Tensor rv = random(rng, DType.FLOAT32, 4);
            Backend.RunningStatistics wr = cpu.batchNormRunningUpdate(rm, rv, want.mean(), want.variance(), 0.1, 90);
            Backend.RunningStatistics gr = backend().batchNormRunningUpdate(rm, rv, got.mean(), got.variance(), 0.1, 90);
            assertSame("running mean", wr.mean(), gr.mean(), 1);
            assertSame("running variance", wr.variance(), gr.variance(), 1);
        }
    }

    @Example
    void poolingAndUpsamplingWithTheirGradientsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(32);
        Tensor x = random(rng, DType.FLOAT32, 2, 3, 6, 4);
        Tensor gy = random(rng, DType.FLOAT32, 2, 3, 3, 2);
        assertSame("maxPool2d", cpu.maxPool2d(x, 2), backend().maxPool2d(x, 2), 0);
        assertSame("maxPool2dBackward", cpu.maxPool2dBackward(gy, x, 2), backend().maxPool2dBackward(gy, x, 2), 0);
        Tensor small = random(rng, DType.FLOAT32, 2, 3, 1, 3); // a 1-row image: both neighbours are row 0
        // one work group per plane: an output row wider than the group (2·70, 2·128 > 128 items), a row exactly as
        // wide as the group (the adjoint's 128 columns), a column image, and rows that do not divide the group
        Tensor wide = random(rng, DType.FLOAT32, 1, 2, 3, 70);
        Tensor widest = random(rng, DType.FLOAT32, 1, 1, 2, 128);
        Tensor column = random(rng, DType.FLOAT32, 3, 1, 65, 1);
        Tensor odd = random(rng, DType.FLOAT32, 1, 2, 5, 33);
        for (Tensor in : new Tensor[] {x, small, wide, widest, column, odd}) {
            assertSame("upsample " + in.shape(), cpu.upsampleBilinear2x(in), backend().upsampleBilinear2x(in), 1);
            Tensor up = random(rng, DType.FLOAT32, in.dim(0), in.dim(1), 2 * in.dim(2), 2 * in.dim(3));
            assertSame("upsample adjoint " + in.shape(), cpu.upsampleBilinear2xAdjoint(up, in.shape()),
                    backend().upsampleBilinear2xAdjoint(up, in.shape()), 2);
        }
    }

    @Example
    void layoutCopiesMatchTheCpuExactly() {
        SplittableRandom rng = new SplittableRandom(33);
        Tensor x = random(rng, DType.FLOAT32, 2, 3, 4, 5);
        assertSame("permute", cpu.permute(x, new int[] {3, 1, 0, 2}), backend().permute(x, new int[] {3, 1, 0, 2}), 0);
        Tensor b = random(rng, DType.FLOAT32, 3, 1, 5);
        Shape to = Shape.of(2, 3, 4, 5);
        assertSame("broadcastTo", cpu.broadcastTo(b, to), backend().broadcastTo(b, to), 0);
        for (int axis = 0; axis < 4; axis++) {
            assertSame("slice axis " + axis, cpu.slice(x, axis, 1, x.dim(axis)), backend().slice(x, axis, 1, x.dim(axis)), 0);
            Tensor y = random(rng, DType.FLOAT32, axis == 0 ? 1 : 2, axis == 1 ? 2 : 3, axis == 2 ? 1 : 4, axis == 3 ? 3 : 5);
            int[] d = x.shape().dims();
            d[axis] += y.dim(axis);
            Tensor[] parts = {x, y};
            assertSame("concat axis " + axis, cpu.concat(parts, axis, Shape.of(d)), backend().concat(parts, axis, Shape.of(d)), 0);
            Tensor z = random(rng, DType.FLOAT32, x.shape().dims()); // two parts of one shape: one launch
            int[] twice = x.shape().dims();
            twice[axis] *= 2;
            Tensor[] pair = {x, z};
            assertSame("concat of two equal parts, axis " + axis, cpu.concat(pair, axis, Shape.of(twice)),
                    backend().concat(pair, axis, Shape.of(twice)), 0);
            for (Padding mode : Padding.values()) {
                int before = axis + 1;
                int after = 7 - axis; // wider than the axis: circular padding wraps more than once
                Tensor padded = cpu.pad(x, axis, before, after, mode);
                assertSame("pad " + mode + " axis " + axis, padded, backend().pad(x, axis, before, after, mode), 0);
                Tensor gp = random(rng, DType.FLOAT32, padded.shape().dims());
                assertSame("padAdjoint " + mode + " axis " + axis, cpu.padAdjoint(gp, axis, before, x.dim(axis), mode),
                        backend().padAdjoint(gp, axis, before, x.dim(axis), mode), 1);
            }
        }
    }

    @Example
    void castsAndFloat64OpsOnResidentTensorsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(34);
        Tensor x = random(rng, DType.FLOAT32, 3, 4, 2, 2);
        Backend.BatchNormForward bn = backend().batchNormTraining(x, Tensor.full(DType.FLOAT32, Shape.of(4), 1),
                Tensor.full(DType.FLOAT32, Shape.of(4), 0), 1e-5, false);
        Tensor mean = bn.mean(); // FLOAT64, resident
        Tensor hostMean = Tensor.wrap(mean.shape(), mean.toDoubleArray());
        Tensor scaled = backend().binary(BinaryOp.MUL, mean, Tensor.of(DType.FLOAT64, Shape.scalar(), 0.3), mean.shape());
        assertEquals(DType.FLOAT64, scaled.dtype());
        assertClose("float64 mul on the device", cpu.binary(BinaryOp.MUL, hostMean,
                Tensor.of(DType.FLOAT64, Shape.scalar(), 0.3), mean.shape()), scaled, 0);
        assertSame("cast float64 → float32", cpu.cast(hostMean, DType.FLOAT32), backend().cast(mean, DType.FLOAT32), 0);
        assertClose("cast float32 → float64", cpu.cast(x, DType.FLOAT64), backend().cast(x, DType.FLOAT64), 0);
    }

    private static OpenClBackend backend() {
        return OpenClTestBackend.get();
    }

    private static void assertClose(String what, Tensor want, Tensor got, double rel) {
        assertEquals(want.shape(), got.shape(), what);
        assertEquals(want.dtype(), got.dtype(), what);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.getFlat(i), got.getFlat(i), rel * Math.abs(want.getFlat(i)), what + ": element " + i);
        }
    }

}
