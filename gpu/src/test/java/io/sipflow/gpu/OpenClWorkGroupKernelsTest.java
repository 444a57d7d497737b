package io.sipflow.gpu;

import static io.sipflow.gpu.OpenClEquivalenceProperties.abs64;
import static io.sipflow.gpu.OpenClEquivalenceProperties.random;
import static io.sipflow.gpu.OpenClResidentOpsTest.assertSame;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.CpuBackend;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The work-group kernels at shapes the small random properties never reach: many work groups running at once
 * (PoCL runs them on several threads), several chunks of input channels through local memory, a row of 140
 * pixels in one tile, an odd row of 261 pixels wider than one tile (a 3×3 kernel's tile holds two pixels per work
 * item: two column tiles, the second one partial), several weight-gradient runs per weight, batch-norm trees over more values
 * than a group has items, and both ways max pooling finds its argmax in the backward pass (kept by the forward
 * pass, or searched again for an input pooled elsewhere). Tolerances as {@link OpenClEquivalenceProperties}.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClWorkGroupKernelsTest {
    private final CpuBackend cpu = CpuBackend.scalar();

    @Example
    void convolutionsWithManyGroupsChunksAndColumnTilesMatchTheReference() {
        SplittableRandom rng = new SplittableRandom(41);
        int[][] shapes = {{4, 16, 32, 32}, {1, 12, 3, 140}, {1, 5, 2, 261}};
        for (int[] s : shapes) {
            for (Padding padding : Padding.values()) {
                Tensor x = random(rng, DType.FLOAT32, s);
                Tensor w = random(rng, DType.FLOAT32, 6, s[1], 3, 3);
                Tensor bias = random(rng, DType.FLOAT32, 6);
                Tensor gy = random(rng, DType.FLOAT32, s[0], 6, s[2], s[3]);
                String at = " " + padding + " " + x.shape();
                int taps = s[1] * 9;
                Tolerance.assertClose("conv2d" + at, backend().conv2d(x, w, bias, padding),
                        cpu.conv2d(x, w, bias, padding), cpu.conv2d(abs64(x), abs64(w), abs64(bias), padding),
                        taps + 1);
                Tolerance.assertClose("conv2dBackwardData" + at, backend().conv2dBackwardData(gy, w, padding, x.shape()),
                        cpu.conv2dBackwardData(gy, w, padding, x.shape()),
                        cpu.conv2dBackwardData(abs64(gy), abs64(w), padding, x.shape()), 6 * 9);
                Tolerance.assertClose("conv2dBackwardWeight" + at,
                        backend().conv2dBackwardWeight(gy, x, padding, w.shape()),
                        cpu.conv2dBackwardWeight(gy, x, padding, w.shape()),
                        cpu.conv2dBackwardWeight(abs64(gy), abs64(x), padding, w.shape()), s[0] * s[2] * s[3]);
            }
        }
    }

    @Example
    void batchNormOverMoreValuesThanAGroupHasItemsMatchesTheCpu() {
        SplittableRandom rng = new SplittableRandom(42);
        Tensor x = random(rng, DType.FLOAT32, 8, 16, 32, 32);
        Tensor gamma = random(rng, DType.FLOAT32, 16);
        Tensor beta = random(rng, DType.FLOAT32, 16);
        Tensor g = random(rng, DType.FLOAT32, 8, 16, 32, 32);
        Backend.BatchNormForward want = CpuBackend.instance().batchNormTraining(x, gamma, beta, 1e-5, true);
        Backend.BatchNormForward got = backend().batchNormTraining(x, gamma, beta, 1e-5, true);
        assertSame("batch norm y", want.y(), got.y(), 2);
        Backend.BatchNormGradients wg = CpuBackend.instance().batchNormBackward(g, want.y(), x, gamma, want.mean(),
                want.variance(), 1e-5);
        Backend.BatchNormGradients gg = backend().batchNormBackward(g, got.y(), x, gamma, got.mean(), got.variance(),
                1e-5);
        assertSame("batch norm gx", wg.gx(), gg.gx(), 2);
        assertSame("batch norm gγ", wg.gGamma(), gg.gGamma(), 2);
        assertSame("batch norm gβ", wg.gBeta(), gg.gBeta(), 2);
    }

    @Example
    void maxPoolBackwardRoutesTheSameWayWithAKeptOrASearchedArgmax() {
        SplittableRandom rng = new SplittableRandom(43);
        Tensor x = random(rng, DType.FLOAT32, 2, 3, 8, 6);
        Tensor gy = random(rng, DType.FLOAT32, 2, 3, 4, 3);
        Tensor want = cpu.maxPool2dBackward(gy, x, 2);
        assertSame("maxPool2d", cpu.maxPool2d(x, 2), backend().maxPool2d(x, 2), 0);
        assertSame("maxPool2dBackward, argmax kept by the forward pass", want, backend().maxPool2dBackward(gy, x, 2), 0);
        Tensor pooledElsewhere = Tensor.wrap(x.shape(), x.toFloatArray());
        assertSame("maxPool2dBackward, argmax searched again", want,
                backend().maxPool2dBackward(gy, pooledElsewhere, 2), 0);
        Tensor ties = Tensor.full(DType.FLOAT32, Shape.of(1, 1, 4, 4), 1); // first maximum wins, as on the CPU
        backend().maxPool2d(ties, 2);
        Tensor g1 = random(rng, DType.FLOAT32, 1, 1, 2, 2);
        assertSame("maxPool2dBackward with ties", cpu.maxPool2dBackward(g1, ties, 2),
                backend().maxPool2dBackward(g1, ties, 2), 0);
        // a work item per window where the windows cover the image; per element where a row or column is left over
        Tensor odd = random(rng, DType.FLOAT32, 2, 2, 7, 5);
        backend().maxPool2d(odd, 2);
        Tensor gOdd = random(rng, DType.FLOAT32, 2, 2, 3, 2);
        assertSame("maxPool2dBackward, 7x5 image", cpu.maxPool2dBackward(gOdd, odd, 2),
                backend().maxPool2dBackward(gOdd, odd, 2), 0);
        Tensor threes = random(rng, DType.FLOAT32, 1, 2, 9, 6);
        assertSame("maxPool2d 3x3", cpu.maxPool2d(threes, 3), backend().maxPool2d(threes, 3), 0);
        Tensor g3 = random(rng, DType.FLOAT32, 1, 2, 3, 2);
        assertSame("maxPool2dBackward 3x3 windows", cpu.maxPool2dBackward(g3, threes, 3),
                backend().maxPool2dBackward(g3, threes, 3), 0);
    }

    private static OpenClBackend backend() {
        return OpenClTestBackend.get();
    }
}
