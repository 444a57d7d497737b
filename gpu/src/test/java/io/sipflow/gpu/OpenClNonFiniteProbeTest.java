package io.sipflow.gpu;

import static io.sipflow.gpu.OpenClEquivalenceProperties.random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BinaryOp;
import io.sipflow.autodiff.backend.CpuBackend;
import io.sipflow.autodiff.backend.Transfers;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * The device's non-finite probe (up to twelve tensors of one type per launch) against the CPU backend's (multiply by
 * 0, sum, add): 0 for finite tensors, NaN as soon as one element of one tensor, FLOAT32 or FLOAT64, is NaN or ±∞,
 * wherever in the tensor and whichever tensor of the list (also past the first launch's twelve, and after a change
 * of type); and no copy until the one value is read.
 */
@AddLifecycleHook(RequiresOpenCl.class)
class OpenClNonFiniteProbeTest {
    private final CpuBackend cpu = CpuBackend.instance();

    @Example
    void finiteTensorsGiveZeroWithoutACopyBeforeTheRead() {
        List<Tensor> tensors = tensors(new SplittableRandom(51), -1, 0);
        Transfers before = backend().transfers();
        Tensor probe = backend().nonFiniteProbe(tensors);
        Transfers copies = backend().transfers().since(before);
        assertEquals(new Transfers(0, 0, 0, copies.launches()), copies, "no copy before the value is read");
        assertEquals(0.0, probe.item());
        assertEquals(cpu.nonFiniteProbe(hostCopies(tensors)).item(), probe.item());
    }

    @Example
    void anyNanOrInfinityInAnyTensorGivesNan() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        SplittableRandom rng = new SplittableRandom(52);
        for (int which = 0; which < 5; which++) {
            for (double value : bad) {
                List<Tensor> tensors = tensors(rng, which, value);
                String what = value + " in tensor " + which + " (" + tensors.get(which).dtype() + ")";
                assertTrue(Double.isNaN(backend().nonFiniteProbe(tensors).item()), what + ": the device probe");
                assertTrue(Double.isNaN(cpu.nonFiniteProbe(hostCopies(tensors)).item()), what + ": the cpu probe");
            }
        }
    }

    @Example
    void aNonFiniteValueInAnyOfManyTensorsGivesNan() {
        SplittableRandom rng = new SplittableRandom(53);
        List<Tensor> finite = new ArrayList<>();
        for (int i = 0; i < 45; i++) { // runs of 20 FLOAT32, 5 FLOAT64 (batch-norm statistics), 20 FLOAT32
            finite.add(i >= 20 && i < 25 ? batchNormMean(random(rng, DType.FLOAT32, 2, 3, 4, 4))
                    : resident(random(rng, DType.FLOAT32, 1 + rng.nextInt(300))));
        }
        assertEquals(0.0, backend().nonFiniteProbe(finite).item(), "all finite");
        for (int which = 0; which < finite.size(); which++) {
            List<Tensor> tensors = new ArrayList<>(finite);
            Tensor t = which >= 20 && which < 25 ? null : finite.get(which);
            if (t == null) {
                double[] values = random(rng, DType.FLOAT32, 2, 3, 4, 4).toDoubleArray();
                values[rng.nextInt(values.length)] = Double.POSITIVE_INFINITY;
                tensors.set(which, batchNormMean(Tensor.of(DType.FLOAT32, Shape.of(2, 3, 4, 4),
                        values)));
            } else {
                double[] values = t.toDoubleArray();
                values[rng.nextInt(values.length)] = Double.NaN;
                tensors.set(which, resident(Tensor.of(DType.FLOAT32, t.shape(), values)));
            }
            assertTrue(Double.isNaN(backend().nonFiniteProbe(tensors).item()), "a non-finite value in tensor " + which);
        }
    }

    private static Tensor resident(Tensor t) {
        return backend().binary(BinaryOp.ADD, t, Tensor.full(DType.FLOAT32, Shape.scalar(), 0), t.shape());
    }

    private static Tensor batchNormMean(Tensor x) {
        Tensor ones = Tensor.full(DType.FLOAT32, Shape.of(3), 1);
        return backend().batchNormTraining(x, ones, ones, 1e-5, false).mean();
    }

    /**
     * Three resident FLOAT32 tensors (one spans several work groups), a resident FLOAT64 one (batch-norm means)
     * and a FLOAT64 one on the host; {@code value} is put at a random element of tensor {@code which} (of the
     * batch-norm input for tensor 3), none if which is −1.
     */
    private static List<Tensor> tensors(SplittableRandom rng, int which, double value) {
        int[][] shapes = {{16}, {16, 16, 3, 3}, {3, 5, 70, 70}, {2, 3, 4, 4}, {4, 33}};
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            Tensor t = random(rng, i == 4 ? DType.FLOAT64 : DType.FLOAT32, shapes[i]);
            if (i == which) {
                double[] values = t.toDoubleArray();
                values[rng.nextInt(values.length)] = value;
                t = Tensor.of(t.dtype(), t.shape(), values);
            }
            if (i < 3) {
                t = backend().binary(BinaryOp.ADD, t, Tensor.full(DType.FLOAT32, Shape.scalar(), 0), t.shape());
            } else if (i == 3) {
                Tensor ones = Tensor.full(DType.FLOAT32, Shape.of(3), 1);
                t = backend().batchNormTraining(t, ones, ones, 1e-5, false).mean();
                assertTrue(t.deviceValues() instanceof DeviceTensor && t.dtype() == DType.FLOAT64,
                        "the batch-norm means are FLOAT64 on the device");
            }
            tensors.add(t);
        }
        return tensors;
    }

    private static List<Tensor> hostCopies(List<Tensor> tensors) {
        List<Tensor> copies = new ArrayList<>();
        for (Tensor t : tensors) {
            copies.add(Tensor.of(t.dtype(), t.shape(), t.toDoubleArray()));
        }
        return copies;
    }

    private static OpenClBackend backend() {
        return OpenClTestBackend.get();
    }
}
