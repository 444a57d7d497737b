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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@link BufferScope} recycles the values of the graph a first-order FREE_GRAPH pass freed inside it. Each test
 * would fail if a value someone may still read were reused: kept values and returned gradients are compared with
 * copies taken before later steps reused the arrays, results are compared bit for bit with steps that recycle
 * nothing, and a value read after its scope closed must throw.
 */
class BufferScopeTest {
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

    /** Parameters of a small U-Net-like model: conv, fused batch norm + ReLU, max-pool, decoder conv. */
    private static List<Tensor> params() {
        return List.of(randn(1, C, 1, 3, 3).variable(), randn(2, C, C, 3, 3).variable(),
                randn(3, 1, 2 * C, 3, 3).variable(), randn(4, C).add(Tensor.scalar(2).to(DType.FLOAT32)).variable(),
                randn(5, C).variable());
    }

    /** {prediction, loss}; {@code all} receives every activation. */
    private static Tensor[] forward(List<Tensor> p, Tensor x, List<Tensor> all) {
        Tensor a = NormOps.batchNorm2d(ConvOps.conv2d(x, p.get(0), null, Padding.CIRCULAR), p.get(3), p.get(4), 1e-5,
                NormOps.Fused.RELU).output();
        Tensor low = ConvOps.conv2d(ImageOps.maxPool2d(a, 2), p.get(1), null, Padding.CIRCULAR).relu();
        Tensor prediction = ConvOps.conv2dConcatUpsampled(a, low, p.get(2), null, Padding.CIRCULAR);
        Tensor loss = prediction.sub(x).square().sum();
        all.addAll(List.of(a, low, prediction, loss));
        return new Tensor[] {prediction, loss};
    }

    /** Plain gradient descent, each step in a scope that keeps the prediction; returns parameters and predictions. */
    private static List<float[]> train(int steps, boolean scoped) {
        List<Tensor> p = params();
        List<float[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            Tensor x = randn(100 + s, N, 1, H, H);
            Tensor prediction;
            try (BufferScope scope = scoped ? BufferScope.open("test step") : null) {
                Tensor[] r = forward(p, x, new ArrayList<>());
                Gradients g = Autodiff.grad(r[1], p, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
                List<Tensor> next = new ArrayList<>();
                for (int i = 0; i < p.size(); i++) {
                    next.add(p.get(i).sub(g.get(i).mul(Tensor.scalar(1e-4).to(DType.FLOAT32))).constant().variable());
                }
                p = next;
                prediction = r[0].stopGradient();
                if (scope != null) {
                    scope.keep(prediction);
                }
            }
            out.add(prediction.toFloatArray());
        }
        for (Tensor t : p) {
            out.add(t.toFloatArray());
        }
        return out;
    }

    @Test
    void scopedStepsAreTheBitsOfUnscopedOnes() {
        BufferPool.setEnabled(false);
        List<float[]> fresh = train(4, false);
        BufferPool.setEnabled(true);
        long reused = BufferPool.reusedCount();
        List<float[]> scoped = train(4, true);
        assertTrue(BufferPool.reusedCount() > reused, "the steps reused recycled arrays");
        assertEquals(fresh.size(), scoped.size());
        for (int i = 0; i < fresh.size(); i++) {
            assertArrayEquals(fresh.get(i), scoped.get(i), "result " + i);
        }
    }

    @Test
    void keptValuesAndGradientsSurviveLaterSteps() {
        List<Tensor> p = params();
        Tensor prediction;
        Tensor returnedGradient;
        try (BufferScope scope = BufferScope.open("first step")) {
            Tensor[] r = forward(p, randn(200, N, 1, H, H), new ArrayList<>());
            returnedGradient = Autodiff.grad(r[1], p, Autodiff.Disconnected.ERROR,
                    Autodiff.AfterBackward.FREE_GRAPH).get(1);
            prediction = r[0].stopGradient();
            scope.keep(prediction);
        }
        float[] predictionCopy = prediction.toFloatArray();
        float[] gradientCopy = returnedGradient.toFloatArray();
        for (int s = 0; s < 3; s++) { // steps that reuse every array the first one gave back
            try (BufferScope ignored = BufferScope.open("later step")) {
                Tensor[] r = forward(p, randn(201 + s, N, 1, H, H), new ArrayList<>());
                Autodiff.grad(r[1], p, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
            }
        }
        assertArrayEquals(predictionCopy, prediction.toFloatArray(), "a kept value");
        assertArrayEquals(gradientCopy, returnedGradient.toFloatArray(), "a gradient the pass returned");
    }

    @Test
    void aValueReadAfterItsScopeClosedThrowsNamingIt() {
        List<Tensor> p = params();
        List<Tensor> activations = new ArrayList<>();
        try (BufferScope ignored = BufferScope.open("the step")) {
            Tensor[] r = forward(p, randn(300, N, 1, H, H), activations);
            Autodiff.grad(r[1], p, Autodiff.Disconnected.ERROR, Autodiff.AfterBackward.FREE_GRAPH);
            assertEquals(activations.get(0).size(), activations.get(0).toFloatArray().length, "readable inside");
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> activations.get(0).floatData());
        assertTrue(e.getMessage().contains("batchNorm2d") && e.getMessage().contains("'the step'"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> activations.get(2).stopGradient().getFlat(0));
        assertThrows(IllegalStateException.class, () -> activations.get(1).add(activations.get(1)));
    }

    @Test
    void nothingIsRecycledWithoutAFreeGraphPass() {
        List<Tensor> p = params();
        List<Tensor> activations = new ArrayList<>();
        Tensor x = randn(400, N, 1, H, H);
        try (BufferScope ignored = BufferScope.open("keep-graph step")) {
            Tensor[] r = forward(p, x, activations);
            Autodiff.grad(r[1], p); // KEEP_GRAPH: the graph may be differentiated again
            Autodiff.noGrad(() -> forward(p, x, activations)); // no graph at all
        }
        for (Tensor t : activations) {
            assertEquals(t.size(), t.toFloatArray().length, "still readable");
        }
    }

    @Test
    void aSecondOrderGraphIsNotRecycled() {
        List<Tensor> p = params();
        Tensor x = randn(500, N, 1, H, H).variable(); // its gradient is large enough to come from the pool
        List<Tensor> withX = new ArrayList<>(p);
        withX.add(x);
        List<Tensor> v = new ArrayList<>();
        for (Tensor t : withX) {
            v.add(Tensor.full(t.dtype(), t.shape(), 1e-3));
        }
        List<Tensor> gradients = new ArrayList<>();
        List<float[]> copies = new ArrayList<>();
        try (BufferScope ignored = BufferScope.open("second-order step")) {
            Tensor loss = forward(p, x, new ArrayList<>())[1];
            Gradients g = Autodiff.grad(loss, withX, Autodiff.Differentiable.YES);
            Tensor gv = null;
            for (int i = 0; i < withX.size(); i++) {
                gradients.add(g.get(i).constant()); // kept by a method, as Hutchinson's estimate does
                copies.add(g.get(i).toFloatArray());
                Tensor term = g.get(i).mul(v.get(i)).sum();
                gv = gv == null ? term : gv.add(term);
            }
            Autodiff.grad(gv, withX, Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH);
        }
        for (int i = 0; i < gradients.size(); i++) {
            assertArrayEquals(copies.get(i), gradients.get(i).toFloatArray(), "first-order gradient " + i);
        }
    }

    @Test
    void scopesCloseInOrderOnTheirThread() {
        BufferScope outer = BufferScope.open("outer");
        BufferScope inner = BufferScope.open("inner");
        IllegalStateException e = assertThrows(IllegalStateException.class, outer::close);
        assertTrue(e.getMessage().contains("inner scope"), e.getMessage());
        inner.close();
        outer.close();
        assertThrows(IllegalStateException.class, () -> outer.keep(Tensor.scalar(1)));
    }
}
