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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training loop with no {@code BufferScope}: {@link Training#updateWeights} runs a backward pass that frees the
 * graph, and the modules' internal activations ({@link io.sipflow.autodiff.BufferPool#recycleInternal}) go back to the buffer pool when it ends. The
 * weights are those of the same steps taken with {@code KEEP_GRAPH} (which gives nothing back), the network's output
 * and the step's loss stay readable, and a warm step takes all internal activations from the step before.
 */
class TrainingRecyclingProperties {
    @Property(tries = 8)
    void aUNetTrainedWithoutAScopeGetsTheKeptGraphsWeightsAndReusesItsActivations(
            @ForAll @IntRange(min = 1, max = 3) int levels, @ForAll Norm norm, @ForAll Padding padding,
            @ForAll long seed) {
        UNet freed = unet(levels, norm, padding, seed);
        UNet kept = unet(levels, norm, padding, seed);
        Adam freedAdam = new Adam(freed.parameters(), 1e-2);
        Adam keptAdam = new Adam(kept.parameters(), 1e-2);
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor x = Tensor.randn(rng, 2, 1, 32, 32).to(DType.FLOAT32); // (2, 8, 32, 32) activations: all pooled
        Tensor target = Tensor.randn(rng, 2, 2, 32, 32).to(DType.FLOAT32);

        List<Tensor> outputs = new ArrayList<>();
        long[] newArrays = new long[4];
        for (int step = 0; step < newArrays.length; step++) {
            BufferPool.Counts before = BufferPool.counts();
            Training.Step<Tensor> s = Training.updateWeights(freed, freedAdam, () -> {
                Tensor out = freed.forward(x);
                return new Training.Loss<>(out.sub(target).square().mean(), out);
            });
            newArrays[step] = BufferPool.counts().allocatedSince(before);
            outputs.add(s.aux());
            s.loss().item(); // readable after the step
        }
        // The same steps with KEEP_GRAPH, afterwards (they would take arrays from the pool in between)
        for (int step = 0; step < newArrays.length; step++) {
            Tensor out = kept.forward(x);
            Gradients g = Autodiff.grad(out.sub(target).square().mean(), kept.parameterValues(),
                    Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.KEEP_GRAPH);
            Training.applyUpdate(kept, keptAdam, g);
            assertArrayEquals(out.toFloatArray(), outputs.get(step).toFloatArray(), "output of step " + step);
        }
        for (int i = 0; i < freed.parameterValues().size(); i++) {
            assertArrayEquals(kept.parameterValues().get(i).toFloatArray(), freed.parameterValues().get(i).toFloatArray(),
                    "parameter " + i + " after " + newArrays.length + " steps");
        }
        // A warm step's new arrays are the values the caller's loss makes (the output, which it keeps, its
        // difference from the target and the square); every activation inside the U-Net comes back (without the
        // modules' marks 7 at one level, 16 at two).
        long warm = newArrays[newArrays.length - 1];
        assertTrue(warm <= 3, "a warm step allocated " + warm + " new arrays (steps: "
                + java.util.Arrays.toString(newArrays) + ")");
    }

    private static UNet unet(int levels, Norm norm, Padding padding, long seed) {
        try (Precision p = Precision.use(DType.FLOAT32)) {
            return new UNet(new UNet.Config(1, 2, levels, 8, norm, Activation.RELU, padding), seed);
        }
    }
}
