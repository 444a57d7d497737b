package io.sipflow.autodiff;

import io.sipflow.autodiff.ops.ConvOps;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link BufferScope#noGrad}: an inference scope recycles what its ops computed, and nothing a caller may still
 * read. Each test would fail if a live array were reused: kept values, inputs made before the scope and their views
 * are compared with copies after later scopes reused every array; repeated evaluations must give the bits of
 * evaluations that recycle nothing; a value read after its scope closed must throw, naming its op.
 */
class NoGradScopeTest {
    private static final int N = 4;
    private static final int C = 4;
    private static final int H = 32; // activations of 16384 elements: above BufferPool.MIN_LENGTH

    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
    }

    private static Tensor randn(long seed, int... dims) {
        return Tensor.randn(new SplittableRandom(seed), dims).to(DType.FLOAT32);
    }

    private static List<Tensor> params() {
        return List.of(randn(1, C, 1, 3, 3).variable(), randn(2, C, C, 3, 3).variable(),
                randn(3, 1, 2 * C, 3, 3).variable(), randn(4, C).add(Tensor.scalar(2).to(DType.FLOAT32)).variable(),
                randn(5, C).variable());
    }

    /** A small U-Net-like forward pass; {@code all} receives every activation. */
    private static Tensor forward(List<Tensor> p, Tensor x, List<Tensor> all) {
        Tensor a = NormOps.batchNorm2d(ConvOps.conv2d(x, p.get(0), null, Padding.CIRCULAR), p.get(3), p.get(4), 1e-5,
                NormOps.Fused.RELU).output();
        Tensor low = ConvOps.conv2d(ImageOps.maxPool2d(a, 2), p.get(1), null, Padding.CIRCULAR).relu();
        Tensor prediction = ConvOps.conv2dConcatUpsampled(a, low, p.get(2), null, Padding.CIRCULAR);
        all.addAll(List.of(a, low, prediction));
        return prediction;
    }

    private static List<float[]> evaluate(List<Tensor> p, int calls, boolean scoped) {
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < calls; s++) {
            Tensor x = randn(100 + s, N, 1, H, H);
            if (scoped) {
                try (BufferScope eval = BufferScope.noGrad("evaluation")) {
                    out.add(forward(p, x, new ArrayList<>()).sub(x).square().toFloatArray());
                }
            } else {
                out.add(Autodiff.noGrad(() -> forward(p, x, new ArrayList<>()).sub(x).square().toFloatArray()));
            }
        }
        return out;
    }

    @Test
    void scopedEvaluationsAreTheBitsOfUnscopedOnesAndReuseArrays() {
        List<Tensor> p = params();
        BufferPool.setEnabled(false);
        List<float[]> fresh = evaluate(p, 4, false);
        BufferPool.setEnabled(true);
        long reused = BufferPool.reusedCount();
        List<float[]> scoped = evaluate(p, 4, true);
        assertTrue(BufferPool.reusedCount() >= reused + 3 * 4, "each later evaluation reused the activations");
        for (int i = 0; i < fresh.size(); i++) {
            assertArrayEquals(fresh.get(i), scoped.get(i), "evaluation " + i);
        }
    }

    @Test
    void keptValuesInputsAndTheirViewsSurviveLaterScopes() {
        List<Tensor> p = params();
        Tensor input = randn(7, N, 1, H, H).mul(Tensor.scalar(3).to(DType.FLOAT32)); // an op's value: pool-issued
        Tensor kept;
        Tensor view;
        Tensor same;
        try (BufferScope eval = BufferScope.noGrad("first evaluation")) {
            kept = forward(p, input, new ArrayList<>());
            view = input.reshape(N, H * H);            // an op that returns a view of an older value
            same = input.to(DType.FLOAT32);            // an op that returns its input
            eval.keep(kept);
        }
        float[] keptCopy = kept.toFloatArray();
        float[] inputCopy = input.toFloatArray();
        for (int s = 0; s < 3; s++) { // scopes that reuse every array the first one gave back
            try (BufferScope eval = BufferScope.noGrad("later evaluation")) {
                forward(p, randn(8 + s, N, 1, H, H), new ArrayList<>()).sum().item();
            }
        }
        assertArrayEquals(keptCopy, kept.toFloatArray(), "a kept value");
        assertArrayEquals(inputCopy, input.toFloatArray(), "an input made before the scope");
        assertArrayEquals(inputCopy, view.toFloatArray(), "a view of it made inside");
        assertArrayEquals(inputCopy, same.toFloatArray(), "an op that returned it");
    }

    @Test
    void aValueReadAfterItsScopeClosedThrowsNamingItsOp() {
        List<Tensor> p = params();
        List<Tensor> activations = new ArrayList<>();
        try (BufferScope eval = BufferScope.noGrad("the evaluation")) {
            forward(p, randn(300, N, 1, H, H), activations);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> activations.get(0).floatData());
        assertTrue(e.getMessage().contains("batchNorm2d") && e.getMessage().contains("'the evaluation'"),
                e.getMessage());
        assertThrows(IllegalStateException.class, () -> activations.get(2).reshape(-1).getFlat(0));
        assertThrows(IllegalStateException.class, () -> activations.get(1).add(activations.get(1)));
    }

    @Test
    void anArrayWrappedTwiceDiesInBothHolders() {
        Tensor twin;
        Tensor value;
        try (BufferScope eval = BufferScope.noGrad("rewrap")) {
            value = randn(9, N, C, H, H).add(Tensor.scalar(1).to(DType.FLOAT32));
            twin = Graph.record("rewrap", Tensor.wrap(value.shape(), value.floatData()), value, null);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> twin.floatData());
        assertTrue(e.getMessage().contains("'rewrap'") || e.getMessage().contains("'add'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> value.floatData());
    }

    @Test
    void nothingIsRecordedInsideAndRecordingComesBackAfter() {
        List<Tensor> p = params();
        Tensor x = randn(10, N, 1, H, H);
        try (BufferScope eval = BufferScope.noGrad("evaluation")) {
            Tensor y = forward(p, x, new ArrayList<>());
            assertFalse(y.requiresGrad(), "no graph inside");
            eval.keep(y);
        }
        assertTrue(forward(p, x, new ArrayList<>()).requiresGrad(), "recording is on again after the scope");
    }

    @Test
    void stateKeptInOpenScopesSurvives() {
        Tensor state;
        try (BufferScope outer = BufferScope.open("step");
             BufferScope eval = BufferScope.noGrad("evaluation")) {
            state = randn(11, N, C, H, H).mul(Tensor.scalar(2).to(DType.FLOAT32));
            BufferScope.keepInOpenScopes(state);
        }
        float[] copy = state.toFloatArray();
        try (BufferScope eval = BufferScope.noGrad("later")) {
            randn(12, N, C, H, H).mul(Tensor.scalar(2).to(DType.FLOAT32)).sum().item();
        }
        assertArrayEquals(copy, state.toFloatArray());
    }
}
