package io.sipflow.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.Transfers;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Ops whose results wait in a batch for one launch ({@link DeviceArena#later}: the weight gradients' final sums,
 * batch norm's running statistics) give the same bits as when each result is read at once (its batch then holds only
 * it), whether the batch is launched by a read-back, by an op that uses a waiting result as its input (in the middle
 * of setting the kernel's parameters), or because it is full; and they save launches.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClBatchedLaunchesTest {
    /** More than one batch's worth (ten), of several shapes, so that slots hold different sizes and run counts. */
    private static final int GRADIENTS = 13;

    @Example
    void weightGradientSumsGiveTheSameBitsBatchedAsOneByOne() {
        OpenClBackend b = OpenClTestBackend.get();
        SplittableRandom rng = new SplittableRandom(31);
        Tensor[] xs = new Tensor[GRADIENTS];
        Tensor[] gys = new Tensor[GRADIENTS];
        Shape[] ws = new Shape[GRADIENTS];
        for (int i = 0; i < GRADIENTS; i++) {
            int c = 1 + i % 3;
            int o = 2 + i % 4;
            int k = i % 2 == 0 ? 3 : 1;
            int h = 5 + i;
            xs[i] = resident(b, rng, 2, c, h, 7);
            gys[i] = resident(b, rng, 2, o, h, 7);
            ws[i] = Shape.of(o, c, k, k);
        }
        float[][] alone = new float[GRADIENTS][];
        for (int i = 0; i < GRADIENTS; i++) {
            alone[i] = b.conv2dBackwardWeight(gys[i], xs[i], Padding.CIRCULAR, ws[i]).floatData();
        }
        Tensor[] batched = new Tensor[GRADIENTS];
        Transfers before = b.transfers();
        for (int i = 0; i < GRADIENTS; i++) {
            batched[i] = b.conv2dBackwardWeight(gys[i], xs[i], Padding.CIRCULAR, ws[i]);
        }
        Transfers queued = b.transfers().since(before);
        assertEquals(GRADIENTS + 1, queued.launches(), "one launch per gradient's partial sums, and one for the"
                + " first ten gradients' final sums (the batch was full); the other three still wait");
        // the last gradient is first used as an op's input: that launches the waiting batch
        Tensor doubled = b.binary(BinaryOp.ADD, batched[GRADIENTS - 1], batched[GRADIENTS - 1], ws[GRADIENTS - 1]);
        for (int i = 0; i < GRADIENTS; i++) {
            assertArrayEquals(alone[i], batched[i].floatData(), "weight gradient " + i + " " + ws[i]);
        }
        float[] twice = doubled.floatData();
        for (int e = 0; e < twice.length; e++) {
            assertEquals(alone[GRADIENTS - 1][e] + alone[GRADIENTS - 1][e], twice[e], "element " + e);
        }
    }

    @Example
    void channelSumsGiveTheSameBitsBatchedAsOneByOne() {
        OpenClBackend b = OpenClTestBackend.get();
        SplittableRandom rng = new SplittableRandom(33);
        int count = 8; // more than one batch (six)
        Tensor[] xs = new Tensor[count];
        for (int i = 0; i < count; i++) {
            xs[i] = resident(b, rng, 1 + i % 4, 2 + i, 16 + i, 8 + 5 * (i % 3)); // 128 and more values, 16 rows per channel
        }
        int[] axes = {0, 2, 3};
        float[][] alone = new float[count][];
        for (int i = 0; i < count; i++) {
            alone[i] = b.reduce(io.sipflow.autodiff.backend.ReduceOp.SUM, xs[i], axes).floatData();
        }
        Transfers before = b.transfers();
        Tensor[] batched = new Tensor[count];
        for (int i = 0; i < count; i++) {
            batched[i] = b.reduce(io.sipflow.autodiff.backend.ReduceOp.SUM, xs[i], axes);
        }
        assertEquals(1, b.transfers().since(before).launches(), "six sums launched together (a full batch)");
        Tensor scaled = b.binary(BinaryOp.MUL, batched[count - 1], Tensor.full(DType.FLOAT32, Shape.scalar(), 2),
                batched[count - 1].shape());
        for (int i = 0; i < count; i++) {
            assertArrayEquals(alone[i], batched[i].floatData(), "channel sums of " + xs[i].shape());
        }
        for (int e = 0; e < alone[count - 1].length; e++) {
            assertEquals(2 * alone[count - 1][e], scaled.getFlat(e), "element " + e + " of a waiting sum used by an op");
        }
        for (int i = 0; i < count; i++) { // the axes in another order take the general one-sum-per-launch kernel
            float[] general = b.reduce(io.sipflow.autodiff.backend.ReduceOp.SUM, xs[i], new int[] {3, 2, 0}).floatData();
            assertArrayEquals(general, alone[i], "the general reduction's bits, " + xs[i].shape());
        }
        Tensor host = Tensor.wrap(xs[2].shape(), xs[2].floatData());
        float[] cpu = io.sipflow.autodiff.backend.CpuBackend.instance().reduce(io.sipflow.autodiff.backend.ReduceOp.SUM,
                host, axes).floatData();
        for (int e = 0; e < cpu.length; e++) {
            assertEquals(cpu[e], alone[2][e], 1e-4 * Math.abs(cpu[e]), "channel " + e + " against the CPU backend");
        }
    }

    @Example
    void runningStatisticsGiveTheSameBitsBatchedAsOneByOne() {
        OpenClBackend b = OpenClTestBackend.get();
        SplittableRandom rng = new SplittableRandom(32);
        int layers = 7; // more than one batch (five)
        Tensor[][] in = new Tensor[layers][];
        for (int i = 0; i < layers; i++) {
            int c = 3 + i;
            Tensor x = resident(b, rng, 4, c, 3, 3);
            Backend.BatchNormForward f = b.batchNormTraining(x, resident(b, rng, c), resident(b, rng, c), 1e-5, false);
            in[i] = new Tensor[] {resident(b, rng, c), b.binary(BinaryOp.MUL, resident(b, rng, c), resident(b, rng, c),
                    Shape.of(c)), f.mean(), f.variance()};
        }
        float[][] alone = new float[2 * layers][];
        for (int i = 0; i < layers; i++) {
            Backend.RunningStatistics r = b.batchNormRunningUpdate(in[i][0], in[i][1], in[i][2], in[i][3], 0.1, 36 + i);
            alone[2 * i] = r.mean().floatData();
            alone[2 * i + 1] = r.variance().floatData();
        }
        Transfers before = b.transfers();
        Backend.RunningStatistics[] batched = new Backend.RunningStatistics[layers];
        for (int i = 0; i < layers; i++) {
            batched[i] = b.batchNormRunningUpdate(in[i][0], in[i][1], in[i][2], in[i][3], 0.1, 36 + i);
        }
        assertEquals(1, b.transfers().since(before).launches(), "five layers launched together (a full batch)");
        for (int i = 0; i < layers; i++) {
            assertArrayEquals(alone[2 * i], batched[i].mean().floatData(), "running mean of layer " + i);
            assertArrayEquals(alone[2 * i + 1], batched[i].variance().floatData(), "running variance of layer " + i);
        }
        Backend.RunningStatistics other = b.batchNormRunningUpdate(in[0][0], in[0][1], in[0][2], in[0][3], 0.5, 36);
        Backend.RunningStatistics first = b.batchNormRunningUpdate(in[1][0], in[1][1], in[1][2], in[1][3], 0.1, 37);
        assertArrayEquals(alone[2], first.mean().floatData(), "a change of momentum starts a new batch");
        assertEquals(DType.FLOAT32, other.mean().dtype());
        float m = (float) (0.5 * in[0][0].getFlat(0) + 0.5 * in[0][2].getFlat(0));
        assertEquals(m, other.mean().getFlat(0), "the momentum of the other batch");
    }

    private static Tensor resident(OpenClBackend b, SplittableRandom rng, int... dims) {
        Shape shape = Shape.of(dims);
        float[] v = new float[shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.abs(rng.nextGaussian());
        }
        return b.binary(BinaryOp.ADD, Tensor.wrap(shape, v), Tensor.full(DType.FLOAT32, Shape.scalar(), 0), shape);
    }
}
