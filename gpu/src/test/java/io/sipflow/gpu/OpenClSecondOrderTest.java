package io.sipflow.gpu;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.ops.ConvOps;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Second order on the device: the recorded backward ops (conv2d's adjoints, batch norm's backward, max-pool's and
 * upsampling's adjoints) go through Backend like every op, so a Hessian-vector product runs on OpenCL and matches
 * the CPU's.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClSecondOrderTest {
    @Example
    void hessianVectorProductsThroughTheImageOpsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(9);
        Tensor x = Tensor.randn(rng, 2, 2, 4, 4);
        Tensor w = Tensor.randn(rng, 3, 2, 3, 3);
        Tensor gamma = Tensor.randn(rng, 3);
        Tensor beta = Tensor.randn(rng, 3);
        Tensor v = Tensor.randn(rng, 3, 2, 3, 3);
        Function<Tensor, Tensor> loss = wt -> ImageOps.upsampleBilinear2x(ImageOps.maxPool2d(NormOps.batchNorm2d(
                ConvOps.conv2d(x, wt, null, Padding.CIRCULAR), gamma, beta, 1e-5, NormOps.Fused.RELU).output(), 2))
                .square().sum();
        double[] onCpu = Autodiff.hvp(loss, w, v).toDoubleArray();
        Backend previous = Backends.use(OpenClTestBackend.get());
        double[] onGpu;
        try {
            onGpu = Autodiff.hvp(loss, w, v).toDoubleArray();
        } finally {
            Backends.use(previous);
        }
        for (int i = 0; i < onCpu.length; i++) {
            assertEquals(onCpu[i], onGpu[i], 1e-9 * (1 + Math.abs(onCpu[i])), "H·v element " + i);
        }
    }
}
