package io.sipflow.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.Config;
import com.aparapi.device.OpenCLDevice;
import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.CpuBackend;
import java.util.SplittableRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/** The backend on a real device: launch verification, arrays kept on the device, use through the ops. */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClBackendTest {

    @Example
    void namesItselfAndItsDevice() {
        OpenClBackend b = OpenClTestBackend.get();
        assertEquals("opencl", b.name());
        assertTrue(b.toString().contains(b.device().getName()), b.toString());
    }

    /** Aparapi's silent skip (no exception, nothing run) must be caught by the check after every launch. */
    @Example
    void verifyRejectsALaunchThatLeftNoStamp() {
        MatmulF64Kernel neverRun = new MatmulF64Kernel();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Launch.verify(neverRun, OpenClTestBackend.get().device(), 12345, "matmul float64"));
        assertTrue(e.getMessage().contains("did not run on OpenCL device"), e.getMessage());
        assertTrue(e.getMessage().contains("left no trace"), e.getMessage());
    }

    /**
     * A kernel Aparapi cannot translate to OpenCL makes it fall back to Java (silently, in 3.0.2); the launch
     * must throw instead of returning Java's results as if they came from the device.
     */
    @Example
    void aKernelThatFallsBackToJavaIsRejected() {
        UntranslatableKernel k = new UntranslatableKernel();
        OpenCLDevice device = OpenClTestBackend.get().device();
        // Aparapi logs the expected fallback with stack traces at WARNING: keep the test output readable
        Logger aparapi = Logger.getLogger(Config.getLoggerName());
        Level before = aparapi.getLevel();
        aparapi.setLevel(Level.SEVERE);
        try {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Launch.run(k, device, 4, "untranslatable"));
            assertTrue(e.getMessage().contains("did not run on OpenCL device"), e.getMessage());
        } finally {
            aparapi.setLevel(before);
        }
    }

    /**
     * Switching input arrays (A, B, then A again, which Aparapi must re-upload into a fresh buffer) must still give
     * each call of the FLOAT64 kernels its own inputs.
     */
    @Example
    void alternatingAndRepeatedInputsGiveExactProducts() {
        Backend gpu = OpenClTestBackend.get();
        Tensor a = Tensor.of(DType.FLOAT64, Shape.of(1, 2, 2), 1, 2, 3, 4);
        Tensor b = Tensor.of(DType.FLOAT64, Shape.of(1, 2, 2), 5, 6, 7, 8);
        Tensor eye = Tensor.of(DType.FLOAT64, Shape.of(1, 2, 2), 1, 0, 0, 1);
        double[][] expected = {{1, 2, 3, 4}, {5, 6, 7, 8}, {1, 2, 3, 4}, {1, 2, 3, 4}, {19, 22, 43, 50}};
        Tensor[][] calls = {{a, eye}, {b, eye}, {a, eye}, {a, eye}, {a, b}};
        for (int i = 0; i < calls.length; i++) {
            assertArrayEquals(expected[i], gpu.matmul(calls[i][0], calls[i][1]).toDoubleArray(), "call " + i);
        }
    }

    /** Same for the convolution kernel, whose weights alternate between layers in a network. */
    @Example
    void alternatingWeightsAndBiasInConvolution() {
        Backend gpu = OpenClTestBackend.get();
        Backend cpu = CpuBackend.instance();
        SplittableRandom rng = new SplittableRandom(11);
        Tensor x = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 2, 2, 5, 5);
        Tensor w1 = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 2, 2, 3, 3);
        Tensor w2 = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 2, 2, 3, 3);
        Tensor bias = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 2);
        Tensor[] ws = {w1, w2, w1, w1, w2};
        Tensor[] biases = {bias, null, null, bias, bias};
        for (int i = 0; i < ws.length; i++) {
            Tensor got = gpu.conv2d(x, ws[i], biases[i], Padding.CIRCULAR);
            Tensor want = cpu.conv2d(x, ws[i], biases[i], Padding.CIRCULAR);
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-12, "call " + i);
        }
    }

    /**
     * An array the FLOAT64 kernels have seen before can come back with other values (BufferPool hands arrays out
     * again): every call sends its inputs, so the same array with new contents gives the new result.
     */
    @Example
    void anArrayRefilledWithNewValuesIsSentAgain() {
        Backend gpu = OpenClTestBackend.get();
        Backend cpu = CpuBackend.instance();
        Tensor eye = Tensor.of(DType.FLOAT64, Shape.of(1, 2, 2), 1, 0, 0, 1);
        double[] reused = {1, 2, 3, 4};
        assertArrayEquals(new double[] {1, 2, 3, 4},
                gpu.matmul(Tensor.wrap(Shape.of(1, 2, 2), reused), eye).toDoubleArray(), "first matmul");
        System.arraycopy(new double[] {5, 6, 7, 8}, 0, reused, 0, 4);
        assertArrayEquals(new double[] {5, 6, 7, 8},
                gpu.matmul(Tensor.wrap(Shape.of(1, 2, 2), reused), eye).toDoubleArray(), "matmul, refilled array");

        SplittableRandom rng = new SplittableRandom(12);
        double[] x = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 1, 2, 4, 4).toDoubleArray();
        double[] gy = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 1, 2, 4, 4).toDoubleArray();
        Tensor w = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 2, 2, 3, 3);
        for (int round = 0; round < 2; round++) {
            Tensor xt = Tensor.wrap(Shape.of(1, 2, 4, 4), x);
            Tensor gyt = Tensor.wrap(Shape.of(1, 2, 4, 4), gy);
            assertArrayEquals(cpu.conv2d(xt, w, null, Padding.ZERO).toDoubleArray(),
                    gpu.conv2d(xt, w, null, Padding.ZERO).toDoubleArray(), 1e-12, "conv2d, round " + round);
            assertArrayEquals(cpu.conv2dBackwardWeight(gyt, xt, Padding.ZERO, w.shape()).toDoubleArray(),
                    gpu.conv2dBackwardWeight(gyt, xt, Padding.ZERO, w.shape()).toDoubleArray(), 1e-12,
                    "conv2dBackwardWeight, round " + round);
            for (int i = 0; i < x.length; i++) { // refill both arrays in place, as a reused buffer would be
                x[i] = -2 * x[i] + 1;
                gy[i] = 3 * gy[i] - 1;
            }
        }
    }

    /** Selected with Backends.use, the kernels carry the ops and their VJPs (matmul's VJP is two matmuls). */
    @Example
    void gradientsThroughTheOpsMatchTheCpu() {
        SplittableRandom rng = new SplittableRandom(5);
        Tensor a = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 3, 4).variable();
        Tensor b = OpenClEquivalenceProperties.random(rng, DType.FLOAT64, 4, 2).variable();
        Gradients onCpu = Autodiff.grad(a.matmul(b).square().sum(), a, b);
        Backend previous = Backends.use(OpenClTestBackend.get());
        Gradients onGpu;
        try {
            onGpu = Autodiff.grad(a.matmul(b).square().sum(), a, b);
        } finally {
            Backends.use(previous);
        }
        for (int i = 0; i < 2; i++) {
            assertArrayEquals(onCpu.get(i).toDoubleArray(), onGpu.get(i).toDoubleArray(), 1e-12, "gradient " + i);
        }
    }
}
