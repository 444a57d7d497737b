package io.sipflow.autodiff;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sipflow.autodiff.SmallUNet.C;
import static io.sipflow.autodiff.SmallUNet.H;
import static io.sipflow.autodiff.SmallUNet.N;
import static io.sipflow.autodiff.SmallUNet.forward;
import static io.sipflow.autodiff.SmallUNet.params;
import static io.sipflow.autodiff.SmallUNet.randn;
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
    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
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
