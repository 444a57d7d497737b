package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kernels that sum give bit-identical results with 1 and 2 worker threads: chunk boundaries and summation order
 * depend on the shapes only. Shapes are chosen so the work is split into many chunks.
 */
class ThreadCountDeterminismTest {
    private final int threadsBefore = Parallel.threads();
    private final SplittableRandom rng = new SplittableRandom(5);
    private final CpuBackend cpu = CpuBackend.instance();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    @Test
    void convolutionsAreBitIdentical() {
        Tensor x = FastConvEquivalenceProperties.randn(rng, 9, 16, 18, 18);
        Tensor w = FastConvEquivalenceProperties.randn(rng, 16, 16, 3, 3);
        Tensor b = FastConvEquivalenceProperties.randn(rng, 16);
        Tensor gy = FastConvEquivalenceProperties.randn(rng, 9, 16, 18, 18);
        for (Padding pad : Padding.values()) {
            assertSameAtOneAndTwoThreads("conv2d " + pad, () -> cpu.conv2d(x, w, b, pad));
            assertSameAtOneAndTwoThreads("conv2d backward-data " + pad,
                    () -> cpu.conv2dBackwardData(gy, w, pad, x.shape()));
            assertSameAtOneAndTwoThreads("conv2d backward-weight " + pad,
                    () -> cpu.conv2dBackwardWeight(gy, x, pad, w.shape()));
        }
    }

    @Test
    void gemmIsBitIdentical() {
        for (DType t : DType.values()) {
            Tensor a = FastGemmEquivalenceProperties.random(rng, t, 3, 61, 47);
            Tensor b = FastGemmEquivalenceProperties.random(rng, t, 3, 47, 83);
            assertSameAtOneAndTwoThreads("matmul " + t, () -> cpu.matmul(a, b));
        }
    }

    @Test
    void reductionsAreBitIdentical() {
        Tensor x = FastConvEquivalenceProperties.randn(rng, 32, 16, 24, 24);
        for (int[] axes : new int[][] {{0, 1, 2, 3}, {0, 2, 3}, {2, 3}, {1}}) {
            for (ReduceOp op : ReduceOp.values()) {
                assertSameAtOneAndTwoThreads(op + " over " + java.util.Arrays.toString(axes),
                        () -> cpu.reduce(op, x, axes));
                assertSameAtOneAndTwoThreads(op + " FLOAT64 over " + java.util.Arrays.toString(axes),
                        () -> cpu.reduce(op, x.to(DType.FLOAT64), axes));
            }
        }
    }

    private static void assertSameAtOneAndTwoThreads(String what, Supplier<Tensor> kernel) {
        Parallel.setThreads(1);
        Tensor one = kernel.get();
        Parallel.setThreads(2);
        Tensor two = kernel.get();
        assertTrue(one.shape().equals(two.shape()), what + ": shapes " + one.shape() + " vs " + two.shape());
        assertArrayEquals(one.toDoubleArray(), two.toDoubleArray(), 0.0, what + ": results differ between 1 and 2 threads");
    }
}
