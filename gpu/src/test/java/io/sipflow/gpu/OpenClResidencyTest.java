package io.sipflow.gpu;

import io.sipflow.autodiff.backend.Transfers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.ReduceOp;
import io.sipflow.autodiff.backend.UnaryOp;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Results of the OpenCL backend stay on the device: a chain of ops moves no data between its first upload and the
 * final read, the same host tensor is uploaded once however often it is used, a read-back happens once per
 * tensor, and the device ranges of dropped tensors come back. Counts are the backend's own
 * ({@link OpenClBackend#transfers()}), taken as differences (the tests share one backend).
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClResidencyTest {
    @Example
    void aChainOfOpsMovesNothingUntilTheHostReads() {
        OpenClBackend b = OpenClTestBackend.get();
        SplittableRandom rng = new SplittableRandom(21);
        Tensor x = OpenClEquivalenceProperties.random(rng, DType.FLOAT32, 2, 3, 6, 6);
        Tensor w = OpenClEquivalenceProperties.random(rng, DType.FLOAT32, 4, 3, 3, 3);
        Transfers before = b.transfers();
        Tensor y = b.conv2d(x, w, null, Padding.CIRCULAR);
        Tensor r = b.unary(UnaryOp.RELU, y, 0);
        Tensor s = b.binary(BinaryOp.MUL, r, Tensor.of(DType.FLOAT32, Shape.scalar(), 0.5), r.shape());
        Tensor m = b.reduce(ReduceOp.SUM, s, new int[] {0, 2, 3});
        Tensor gx = b.conv2dBackwardData(s, w, Padding.CIRCULAR, x.shape());
        Tensor gw = b.conv2dBackwardWeight(s, x, Padding.CIRCULAR, w.shape());
        Transfers ops = b.transfers().since(before);
        assertEquals(new Transfers(2, 0, 4L * (x.size() + w.size()), 8), ops,
                "x and w go up once each (the scalar 0.5 is a launch argument); nothing comes back; two uploads and six"
                        + " ops launched, the weight gradient's final sums not yet (nothing has used them)");
        for (Tensor t : new Tensor[] {y, r, s, m, gx, gw}) {
            assertFalse(t.isOnHost(), "result still on the device: " + t.shape());
        }
        m.getFlat(0);
        Transfers read = b.transfers().since(before).since(ops);
        assertEquals(new Transfers(0, 1, 4L * (m.size() + 1), 2), read,
                "one read-back of m (values + launch count): the waiting weight-gradient sums launch first");
        assertEquals(read, b.transfers().since(before).since(ops), "a second read of m uses the host copy");
    }

    @Example
    void aHostTensorIsUploadedOnceAndReadsBackAsEitherPrecision() {
        OpenClBackend b = OpenClTestBackend.get();
        Tensor x = Tensor.ofFloats(Shape.of(2, 3), 1, -2, 3, -4, 5, -6);
        Transfers before = b.transfers();
        Tensor y = b.binary(BinaryOp.ADD, x, x, x.shape());
        Tensor z = b.binary(BinaryOp.MUL, y, x, x.shape());
        assertEquals(1, b.transfers().since(before).h2d(), "x uploaded once, then its device mirror is reused");
        // regression: toDoubleArray() on a resident FLOAT32 tensor once read the double arena instead
        assertArrayEquals(new double[] {2, 8, 18, 32, 50, 72}, z.toDoubleArray());
        assertArrayEquals(new float[] {2, -4, 6, -8, 10, -12}, y.toFloatArray());
    }

    @Example
    void rangesOfDroppedTensorsComeBack() throws InterruptedException {
        OpenClBackend b = OpenClTestBackend.get();
        long baseline = b.residentElements()[0];
        Tensor x = Tensor.full(DType.FLOAT32, Shape.of(1 << 16), 1.0);
        Tensor acc = x;
        for (int i = 0; i < 200; i++) { // 200 × 64 Ki floats: more than the initial 8 Mi arena if none came back
            acc = b.binary(BinaryOp.ADD, acc, x, x.shape());
        }
        assertEquals(201, acc.getFlat(12345));
        long held = b.residentElements()[0];
        acc = null;
        x = null;
        for (int i = 0; i < 100 && b.residentElements()[0] > baseline; i++) {
            System.gc();
            Thread.sleep(10);
        }
        long after = b.residentElements()[0];
        assertTrue(after <= baseline, "float arena: " + baseline + " elements before, " + held + " while held, "
                + after + " after dropping everything");
    }

    @Example
    void theArenaGrowsWithoutLosingValues() {
        OpenClTestBackend.get(); // fails under CI without a device
        OpenClBackend b = OpenClBackend.create(); // a fresh arena of the initial size, whatever other tests did
        try {
            growAndCheck(b);
        } finally {
            b.dispose();
        }
    }

    @Example
    void theWeightGradientsPartialSumsComeBackAtOnce() {
        OpenClBackend b = OpenClTestBackend.get();
        SplittableRandom rng = new SplittableRandom(21);
        Tensor x = resident(b, rng, 2, 4, 16, 16);
        Tensor gy = resident(b, rng, 2, 4, 16, 16);
        long doubles = b.residentElements()[1];
        Tensor[] held = new Tensor[3];
        for (int i = 0; i < held.length; i++) {
            held[i] = b.conv2dBackwardWeight(gy, x, Padding.CIRCULAR, Shape.of(4, 4, 3, 3));
        }
        // the partial sums (FLOAT64 scratch) are returned by the op itself, not by a later garbage collection
        assertEquals(doubles, b.residentElements()[1], "double arena elements before and after three weight gradients");
        assertEquals(held[0].getFlat(7), held[2].getFlat(7));
    }

    @Example
    void aFullArenaGrowsBeforeItAsksForACollection() {
        OpenClTestBackend.get(); // fails under CI without a device
        OpenClBackend b = OpenClBackend.create(); // a fresh arena of the initial size, whatever other tests did
        try {
            long initial = b.arenaCapacities()[0];
            Tensor x = Tensor.full(DType.FLOAT32, Shape.of(1 << 16), 1.0);
            Tensor acc = x;
            for (long i = 0; i < initial / (1 << 16) + 8; i++) { // dropped tensors, more in all than the arena holds
                acc = b.binary(BinaryOp.ADD, acc, x, x.shape());
            }
            long limit = Math.min(DeviceArena.COLLECT_FREE_BYTES, Runtime.getRuntime().maxMemory() / 8) / 4;
            assertTrue(limit > initial, "this test needs a heap above 8 × 32 MiB (the arena grows to an eighth of it)");
            // before: System.gc() (a full collection) found the dropped ranges and the arena kept its size
            assertEquals(limit, b.arenaCapacities()[0], "float arena after it filled with dropped tensors");
            assertEquals(initial / (1 << 16) + 9, acc.getFlat(777));
        } finally {
            b.dispose();
        }
    }

    private static Tensor resident(OpenClBackend b, SplittableRandom rng, int... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        Tensor host = Tensor.wrap(shape, v);
        return b.binary(BinaryOp.ADD, host, Tensor.full(DType.FLOAT32, Shape.scalar(), 0), shape);
    }

    private static void growAndCheck(OpenClBackend b) {
        int n = 3 << 20; // three of these are more than the initial 8 Mi floats
        Tensor one = Tensor.full(DType.FLOAT32, Shape.of(n), 1.0);
        Tensor[] held = new Tensor[4];
        Transfers before = b.transfers();
        for (int i = 0; i < held.length; i++) {
            held[i] = b.binary(BinaryOp.MUL, one, Tensor.of(DType.FLOAT32, Shape.scalar(), i + 2), one.shape());
        }
        Transfers grown = b.transfers().since(before);
        assertTrue(grown.h2d() >= 2 && grown.d2h() >= 1, "the upload of one and at least one growth (get, put): " + grown);
        for (int i = 0; i < held.length; i++) {
            assertEquals(i + 2, held[i].getFlat(0), "first value of tensor " + i + " after growth");
            assertEquals(i + 2, held[i].getFlat(n - 1), "last value of tensor " + i + " after growth");
        }
    }
}
