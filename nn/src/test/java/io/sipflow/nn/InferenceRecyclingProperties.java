package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Under {@code noGrad} the modules give each activation back to the buffer pool once its last reader has run
 * ({@link io.sipflow.autodiff.BufferPool#recycleInternal}): the forward is the recorded forward's bits, the caller's input and the output stay readable,
 * and a second call takes all its arrays but the output from the first call's (a plain {@code noGrad} loop used to
 * make every activation anew). A recorded graph made before is untouched: its backward pass still runs.
 */
class InferenceRecyclingProperties {
    @Property(tries = 16)
    void aUNetUnderNoGradGivesTheRecordedBitsAndReusesItsActivations(
            @ForAll @IntRange(min = 1, max = 3) int levels, @ForAll Norm norm, @ForAll Padding padding,
            @ForAll boolean float32, @ForAll boolean evalMode, @ForAll long seed) {
        DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
        UNet net;
        try (Precision p = Precision.use(dtype)) {
            net = new UNet(new UNet.Config(1, 2, levels, 8, norm, Activation.RELU, padding), seed);
        }
        if (evalMode) {
            net.eval();
        }
        // (2, 8, 32, 32) activations: every one at least BufferPool.MIN_LENGTH elements, so the pool tracks them all
        Tensor x = Tensor.randn(new SplittableRandom(seed), 2, 1, 32, 32).to(dtype);
        // FLOAT64 convolutions (the gradient-check path) make their outputs without the pool: count FLOAT32 only
        checkInference(net, x, float32 ? levels : 0);
    }

    @Property(tries = 8)
    void anMlpUnderNoGradGivesTheRecordedBitsAndReusesItsActivations(
            @ForAll @IntRange(min = 1, max = 3) int hiddenLayers, @ForAll boolean float32, @ForAll long seed) {
        DType dtype = float32 ? DType.FLOAT32 : DType.FLOAT64;
        MLP net;
        try (Precision p = Precision.use(dtype)) {
            net = new MLP(new MLP.Config(3, 2, java.util.Collections.nCopies(hiddenLayers, 64), Activation.RELU),
                    seed);
        }
        Tensor x = Tensor.randn(new SplittableRandom(seed), 128, 3).to(dtype); // (128, 64) activations
        checkInference(net, x, hiddenLayers);
    }

    /** The checks above for {@code net} on {@code x}, which issues at least 2·{@code layers} pool arrays a call. */
    private static void checkInference(Module net, Tensor x, int layers) {
        double[] input = x.toDoubleArray();
        Tensor recorded = net.forward(x); // the parameters need gradients: a graph, nothing given back
        double[] expected = recorded.toDoubleArray();

        Tensor cold = Autodiff.noGrad(() -> net.forward(x));
        BufferPool.Counts beforeWarm = BufferPool.counts();
        Tensor warm = Autodiff.noGrad(() -> net.forward(x));
        BufferPool.Counts afterWarm = BufferPool.counts();

        assertArrayEquals(expected, cold.toDoubleArray(), "first noGrad forward");
        assertArrayEquals(expected, warm.toDoubleArray(), "second noGrad forward");
        assertArrayEquals(input, x.toDoubleArray(), "the caller's input");
        long issued = afterWarm.issued() - beforeWarm.issued();
        assertTrue(issued >= 2L * layers, "the warm forward issued only " + issued + " arrays");
        // Every array but the output's came back from the cold call; without the modules' releases every
        // activation is new (all issued of them).
        long allocated = afterWarm.allocatedSince(beforeWarm);
        assertTrue(allocated <= 1, allocated + " new arrays in a warm noGrad forward that issued " + issued);

        List<Tensor> params = net.parameterValues();
        Gradients g = Autodiff.grad(recorded.sum(), params); // would throw had a graph value been given back
        assertEquals(params.size(), g.asList().size());
    }
}
