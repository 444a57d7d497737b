package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.NormOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The argmax codes {@link NormOps#batchNorm2dReluMaxPool} keeps for its pooling's VJP go back to the buffer pool
 * when nothing can run that VJP any more ({@link BufferPool#recycleWhenFreed}): after a FREE_GRAPH pass, or at once
 * under {@code noGrad}; a KEEP_GRAPH pass keeps them. Giving them back too early would let the next pooling of that
 * size overwrite them, and a gradient would then route through another pooling's maxima: the gradients are compared
 * bit for bit with those computed with recycling off.
 */
class PoolingArgmaxRecyclingTest {
    /** (2, 4, 64, 64): 8192 pooled windows, above {@link BufferPool#MIN_LENGTH}, so the codes come from the pool. */
    private static final int N = 2;
    private static final int C = 4;
    private static final int H = 64;

    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
    }

    private static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), dims).to(DType.FLOAT32);
    }

    /** Σ c·pooled + Σ c'·skip over two poolings of one size in one graph, each on its own input. */
    private static Tensor twoPoolings(List<Tensor> inputs, long seed) {
        Tensor loss = null;
        for (int i = 0; i < 2; i++) {
            Tensor x = inputs.get(3 * i);
            NormOps.BatchNormPoolResult r = NormOps.batchNorm2dReluMaxPool(x, inputs.get(3 * i + 1),
                    inputs.get(3 * i + 2), 1e-5);
            Tensor term = r.pooled().mul(randn(seed + 10 + i, N, C, H / 2, H / 2)).sum()
                    .add(r.output().mul(randn(seed + 20 + i, N, C, H, H)).sum());
            loss = loss == null ? term : loss.add(term);
        }
        return loss;
    }

    private static List<Tensor> inputs(long seed) {
        return List.of(randn(seed, N, C, H, H).variable(), randn(seed + 1, C).variable(), randn(seed + 2, C).variable(),
                randn(seed + 3, N, C, H, H).variable(), randn(seed + 4, C).variable(), randn(seed + 5, C).variable());
    }

    private static float[][] gradients(long seed, Autodiff.AfterBackward after) {
        List<Tensor> in = inputs(seed);
        Gradients g = Autodiff.grad(twoPoolings(in, seed), in, Autodiff.Disconnected.ERROR, after);
        float[][] out = new float[in.size()][];
        for (int i = 0; i < in.size(); i++) {
            out[i] = g.get(i).toFloatArray();
        }
        return out;
    }

    @Test
    void freeingPassesGiveTheBitsOfPassesThatRecycleNothing() {
        BufferPool.setEnabled(false);
        float[][][] fresh = {gradients(1, Autodiff.AfterBackward.FREE_GRAPH),
            gradients(2, Autodiff.AfterBackward.FREE_GRAPH), gradients(3, Autodiff.AfterBackward.FREE_GRAPH)};
        BufferPool.setEnabled(true);
        for (int step = 0; step < 3; step++) { // the later steps' poolings take the codes the earlier ones gave back
            float[][] recycled = gradients(step + 1, Autodiff.AfterBackward.FREE_GRAPH);
            for (int i = 0; i < recycled.length; i++) {
                assertArrayEquals(fresh[step][i], recycled[i], "step " + step + ", gradient " + i);
            }
        }
    }

    @Test
    void aKeptGraphKeepsItsCodesForTheNextPass() {
        List<Tensor> in = inputs(7);
        Tensor loss = twoPoolings(in, 7);
        Gradients first = Autodiff.grad(loss, in, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.KEEP_GRAPH);
        gradients(8, Autodiff.AfterBackward.FREE_GRAPH); // poolings of the same size in between
        Autodiff.noGrad(() -> twoPoolings(inputs(9), 9));
        Gradients second = Autodiff.grad(loss, in, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
        for (int i = 0; i < in.size(); i++) {
            assertArrayEquals(first.get(i).toFloatArray(), second.get(i).toFloatArray(), "gradient " + i);
        }
    }

    /** New arrays the fourth of four calls of {@code step} made (step k on inputs from seed k). */
    private static long newArraysInAWarmCall(java.util.function.LongConsumer step) {
        BufferPool.Counts before = null;
        for (int k = 0; k < 4; k++) {
            before = BufferPool.counts();
            step.accept(40 + k);
        }
        return BufferPool.counts().allocatedSince(before);
    }

    @Test
    void theCodesAreReusedOnceNothingCanRunTheVjp() {
        long keeping = newArraysInAWarmCall(seed -> gradients(seed, Autodiff.AfterBackward.KEEP_GRAPH));
        long freeing = newArraysInAWarmCall(seed -> gradients(seed, Autodiff.AfterBackward.FREE_GRAPH));
        assertEquals(2, keeping - freeing, "a kept graph's codes die with it, freed ones are reused (new arrays a"
                + " step: " + keeping + " keeping the graph, " + freeing + " freeing it)");
        long recorded = newArraysInAWarmCall(seed -> twoPoolings(inputs(seed), seed));
        long unrecorded = newArraysInAWarmCall(seed -> Autodiff.noGrad(() -> twoPoolings(inputs(seed), seed)));
        assertEquals(2, recorded - unrecorded, "under noGrad the codes go back at once (new arrays a call: "
                + recorded + " recorded, " + unrecorded + " under noGrad)");
    }
}
