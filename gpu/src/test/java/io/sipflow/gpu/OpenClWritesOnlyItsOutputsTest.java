package io.sipflow.gpu;

import static io.sipflow.gpu.OpenClEquivalenceProperties.random;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * A launch changes the arena only inside the ranges of the tensors it returns (and the launch count at float 0).
 * A write past an output lands in whichever tensor the arena placed next to it, and which one that is depends on
 * the ranges the garbage collector has returned: training then gives different results from run to run. The
 * arena is read whole before and after each op (inputs already resident, so the op uploads nothing) and every
 * changed element must belong to a result. Shapes include work-group ops over fewer values per group than the
 * group has items (batch norm over n·h·w below 128), where PoCL ran a loop body for items past the end.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClWritesOnlyItsOutputsTest {
    private static final int[][] IMAGES = {{4, 4, 4, 4}, {4, 4, 2, 2}, {2, 3, 5, 7}, {1, 1, 1, 64}, {3, 2, 3, 3},
        {4, 4, 8, 8}, {2, 1, 1, 64}, {1, 2, 1, 200}};

    @Example
    void batchNormForwardAndBackwardWriteOnlyTheirResults() {
        SplittableRandom rng = new SplittableRandom(51);
        OpenClBackend b = OpenClTestBackend.get();
        for (int[] s : IMAGES) {
            Tensor x = random(rng, DType.FLOAT32, s);
            Tensor gamma = random(rng, DType.FLOAT32, s[1]);
            Tensor beta = random(rng, DType.FLOAT32, s[1]);
            Tensor g = random(rng, DType.FLOAT32, s);
            for (boolean relu : new boolean[] {false, true}) {
                String at = Arrays.toString(s) + (relu ? " with relu" : "");
                Backend.BatchNormForward fwd = b.batchNormTraining(x, gamma, beta, 1e-5, relu);
                assertWritesOnlyResults("batchNormTraining " + at, x, () -> {
                    Backend.BatchNormForward r = b.batchNormTraining(x, gamma, beta, 1e-5, relu);
                    return List.of(r.y(), r.mean(), r.variance());
                });
                Tensor reluOut = relu ? fwd.y() : null;
                b.batchNormBackward(g, reluOut, x, gamma, fwd.mean(), fwd.variance(), 1e-5);
                assertWritesOnlyResults("batchNormBackward " + at, x, () -> {
                    Backend.BatchNormGradients r = b.batchNormBackward(g, reluOut, x, gamma, fwd.mean(),
                            fwd.variance(), 1e-5);
                    return List.of(r.gx(), r.gGamma(), r.gBeta());
                });
            }
        }
    }

    @Example
    void tiledConvolutionsWriteOnlyTheirResults() {
        SplittableRandom rng = new SplittableRandom(52);
        OpenClBackend b = OpenClTestBackend.get();
        for (int[] s : IMAGES) {
            Tensor x = random(rng, DType.FLOAT32, s);
            Tensor w = random(rng, DType.FLOAT32, 5, s[1], 3, 3);
            Tensor bias = random(rng, DType.FLOAT32, 5);
            Tensor gy = random(rng, DType.FLOAT32, s[0], 5, s[2], s[3]);
            for (Padding padding : Padding.values()) {
                String at = Arrays.toString(s) + " " + padding;
                b.conv2d(x, w, bias, padding);
                assertWritesOnlyResults("conv2d " + at, x, () -> List.of(b.conv2d(x, w, bias, padding)));
                b.conv2dBackwardData(gy, w, padding, x.shape());
                assertWritesOnlyResults("conv2dBackwardData " + at, x,
                        () -> List.of(b.conv2dBackwardData(gy, w, padding, x.shape())));
            }
        }
    }

    /** Adam over seven parameters shares launches (five, then two): each writes only its own new θ, m and v. */
    @Example
    void batchedAdamUpdatesWriteOnlyTheirResults() {
        SplittableRandom rng = new SplittableRandom(53);
        OpenClBackend b = OpenClTestBackend.get();
        Backend.AdamStep step = new Backend.AdamStep(1e-3, 0.9, 0.999, 1e-7, 0.1, 0.001);
        List<Tensor[]> params = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            int size = 1 + rng.nextInt(200);
            Tensor[] pgmv = {resident(b, random(rng, DType.FLOAT32, size)), resident(b, random(rng, DType.FLOAT32, size)),
                null, null};
            Backend.AdamState first = b.adamUpdate(pgmv[0], pgmv[1], Tensor.full(DType.FLOAT64, pgmv[0].shape(), 0.5),
                    Tensor.full(DType.FLOAT64, pgmv[0].shape(), 0.25), step);
            pgmv[2] = first.m();
            pgmv[3] = first.v();
            params.add(pgmv);
        }
        DeviceArena arena = ((DeviceTensor) params.get(0)[0].deviceValues()).arena;
        arena.flush();
        assertWritesOnlyResults("adamUpdate of seven parameters", params.get(0)[0], () -> {
            List<Tensor> results = new ArrayList<>();
            for (Tensor[] pgmv : params) {
                Backend.AdamState r = b.adamUpdate(pgmv[0], pgmv[1], pgmv[2], pgmv[3], step);
                results.addAll(List.of(r.param(), r.m(), r.v()));
            }
            arena.flush();
            return results;
        });
    }

    private static Tensor resident(OpenClBackend b, Tensor t) {
        return b.binary(io.sipflow.autodiff.backend.BinaryOp.ADD, t, Tensor.full(DType.FLOAT32,
                io.sipflow.autodiff.Shape.scalar(), 0), t.shape());
    }

    /** Runs {@code op} (inputs resident: {@code resident} is) and checks which arena elements it changed. */
    private static void assertWritesOnlyResults(String what, Tensor resident, Supplier<List<Tensor>> op) {
        DeviceArena arena = ((DeviceTensor) resident.deviceValues()).arena;
        synchronized (arena) {
            float[] floatsBefore = snapshotFloats(arena);
            double[] doublesBefore = snapshotDoubles(arena);
            List<DeviceTensor> results = new ArrayList<>();
            for (Tensor t : op.get()) {
                results.add((DeviceTensor) t.deviceValues());
            }
            float[] floatsAfter = snapshotFloats(arena);
            double[] doublesAfter = snapshotDoubles(arena);
            for (int i = 1; i < floatsAfter.length; i++) {
                if (Float.floatToRawIntBits(floatsBefore[i]) != Float.floatToRawIntBits(floatsAfter[i])
                        && !inResult(results, DType.FLOAT32, i)) {
                    throw new AssertionError(what + " changed float arena element " + i + " (" + floatsBefore[i]
                            + " → " + floatsAfter[i] + "), outside its results " + results);
                }
            }
            for (int i = 0; i < doublesAfter.length; i++) {
                if (Double.doubleToRawLongBits(doublesBefore[i]) != Double.doubleToRawLongBits(doublesAfter[i])
                        && !inResult(results, DType.FLOAT64, i)) {
                    throw new AssertionError(what + " changed double arena element " + i + " (" + doublesBefore[i]
                            + " → " + doublesAfter[i] + "), outside its results " + results);
                }
            }
        }
    }

    private static boolean inResult(List<DeviceTensor> results, DType dtype, int index) {
        for (DeviceTensor r : results) {
            if (r.dtype == dtype && index >= r.offset && index < r.offset + r.size) {
                return true;
            }
        }
        return false;
    }

    private static float[] snapshotFloats(DeviceArena arena) {
        arena.kernel.get(arena.kernel.f);
        return arena.kernel.f.clone();
    }

    private static double[] snapshotDoubles(DeviceArena arena) {
        arena.kernel.get(arena.kernel.d);
        return arena.kernel.d.clone();
    }
}
