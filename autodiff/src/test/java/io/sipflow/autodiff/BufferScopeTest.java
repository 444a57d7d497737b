package io.sipflow.autodiff;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.sipflow.autodiff.SmallUNet.H;
import static io.sipflow.autodiff.SmallUNet.N;
import static io.sipflow.autodiff.SmallUNet.params;
import static io.sipflow.autodiff.SmallUNet.randn;
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
    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
    }

    /** {prediction, loss}; {@code all} receives every activation. */
    private static Tensor[] forward(List<Tensor> p, Tensor x, List<Tensor> all) {
        Tensor prediction = SmallUNet.forward(p, x, all);
        Tensor loss = prediction.sub(x).square().sum();
        all.add(loss);
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
