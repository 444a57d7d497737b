package io.sipflow.autodiff;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reverse mode itself: fan-out, stopGradient, depth, disconnected inputs, errors, precision scopes, graphs. */
class AutodiffTest {
    @Test
    void fanOutAccumulates() {
        Tensor a = Tensor.vector(1.5, -2).variable();
        Tensor b = a.add(a);
        Tensor c = b.add(b);
        Tensor g = Autodiff.grad(c.sum(), a).get(a);
        assertEquals(4.0, g.get(0), 0);
        assertEquals(4.0, g.get(1), 0);
    }

    @Test
    void stopGradientCutsTheFlow() {
        Tensor x = Tensor.vector(3, -1, 0.5).variable();
        Tensor g = Autodiff.grad(x.mul(x.stopGradient()).sum(), x).get(x);
        for (int i = 0; i < 3; i++) {
            assertEquals(x.get(i), g.get(i), 0, "d/dx x·sg(x) = sg(x) = x");
        }
    }

    @Test
    void hundredThousandDeepChainNeedsNoRecursion() {
        Tensor x = Tensor.scalar(1.0).variable();
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) {
            y = y.mul(1.0).add(1e-6);
        }
        assertEquals(1.0 + 0.1, y.item(), 1e-9);
        assertEquals(1.0, Autodiff.grad(y, x).get(x).item(), 0);
    }

    @Test
    void disconnectedInputIsAnErrorByDefaultOrZeroOnRequest() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor unused = Tensor.vector(5, 6, 7).variable();
        Tensor loss = x.square().sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autodiff.grad(loss, x, unused));
        assertTrue(e.getMessage().contains("input 1 (3,) float64 is not connected"), e.getMessage());
        Tensor zero = Autodiff.grad(loss, List.of(x, unused), Autodiff.Disconnected.ZERO).get(unused);
        assertEquals(Tensor.zeros(3).shape(), zero.shape());
        assertEquals(0.0, zero.sum().item(), 0);
    }

    @Test
    void shapeMismatchNamesTheOpAndBothShapes() {
        Tensor a = Tensor.zeros(2, 3);
        Tensor b = Tensor.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().startsWith("add: shapes (2, 3) and (4,) do not broadcast"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("(2, 3)")
                && e.getMessage().contains("(2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(4, 2));
        assertTrue(e.getMessage().contains("reshape") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void aBadCustomVjpIsCaughtWithTheOpName() {
        Tensor x = Tensor.vector(1, 2, 3).variable();
        Tensor y = Autodiff.customVjp("broken", in -> in[0].mul(2), (in, out, g) -> new Tensor[] {Tensor.zeros(2)}, x);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Autodiff.grad(y.sum(), x));
        assertTrue(e.getMessage().contains("'broken'") && e.getMessage().contains("(2,)")
                && e.getMessage().contains("(3,)"), e.getMessage());
    }

    @Test
    void customVjpIsUsedInsteadOfDifferentiatingTheForward() {
        Tensor x = Tensor.vector(2, -1).variable();
        Tensor cube = Autodiff.customVjp("cube", in -> in[0].mul(in[0]).mul(in[0]),
                (in, out, g) -> new Tensor[] {g.mul(in[0].square()).mul(3)}, x);
        assertEquals(8.0, cube.get(0), 0);
        GradCheck.check("cube", in -> Autodiff.customVjp("cube", t -> t[0].mul(t[0]).mul(t[0]),
                (t, out, g) -> new Tensor[] {g.mul(t[0].square()).mul(3)}, in[0]), x).assertPassed();
    }

    @Test
    void mixedTypesPromoteToFloat64OutsideAScope() {
        Tensor f = Tensor.of(DType.FLOAT32, Shape.of(2), 1, 2);
        Tensor d = Tensor.of(DType.FLOAT64, Shape.of(2), 0.5, 0.25);
        assertEquals(DType.FLOAT64, f.add(d).dtype());
        assertEquals(DType.FLOAT32, f.add(f).dtype());
    }

    @Test
    void gradientsComeBackInTheInputsOwnType() {
        Tensor f = Tensor.of(DType.FLOAT32, Shape.of(2), 1, 2).variable();
        Tensor d = Tensor.of(DType.FLOAT64, Shape.of(2), 0.5, 0.25).variable();
        Gradients g = Autodiff.grad(f.mul(d).sum(), f, d);
        assertEquals(DType.FLOAT32, g.get(f).dtype());
        assertEquals(DType.FLOAT64, g.get(d).dtype());
        assertEquals(0.5, g.get(f).get(0), 0);
        assertEquals(1.0, g.get(d).get(0), 0);
    }

    @Test
    void precisionScopeSetsTheTypeAndRestoresItEvenOnExceptions() {
        Tensor d = Tensor.vector(1, 2);
        assertNull(Precision.current());
        try (Precision p = Precision.use(DType.FLOAT32)) {
            assertEquals(DType.FLOAT32, Tensor.zeros(2).dtype(), "created inside");
            assertEquals(DType.FLOAT32, d.mul(d).dtype(), "computed inside");
            try (Precision inner = Precision.use(DType.FLOAT64)) {
                assertEquals(DType.FLOAT64, Tensor.zeros(1).dtype(), "nested scope wins");
            }
            assertEquals(DType.FLOAT32, Precision.current(), "nested scope restored");
        }
        assertNull(Precision.current());
        assertThrows(IllegalStateException.class, () -> {
            try (Precision p = Precision.use(DType.FLOAT32)) {
                throw new IllegalStateException("boom");
            }
        });
        assertNull(Precision.current(), "restored after an exception");
        assertEquals(DType.FLOAT64, Tensor.zeros(1).dtype());
    }

    @Test
    void precisionScopeIsPerThread() throws InterruptedException {
        AtomicReference<DType> seenByOtherThread = new AtomicReference<>(DType.FLOAT32);
        try (Precision p = Precision.use(DType.FLOAT32)) {
            Thread t = new Thread(() -> seenByOtherThread.set(Tensor.zeros(1).dtype()));
            t.start();
            t.join();
        }
        assertEquals(DType.FLOAT64, seenByOtherThread.get());
    }

    @Test
    void gradientThroughAFloat32ScopeIsCastBack() {
        Tensor x = Tensor.vector(0.5, 1.5).variable();
        Tensor y;
        try (Precision p = Precision.use(DType.FLOAT32)) {
            y = x.square(); // computed in FLOAT32
        }
        assertEquals(DType.FLOAT32, y.dtype());
        Tensor g = Autodiff.grad(y.to(DType.FLOAT64).sum(), x).get(x);
        assertEquals(DType.FLOAT64, g.dtype());
        assertEquals(1.0, g.get(0), 1e-6);
        assertEquals(3.0, g.get(1), 1e-6);
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor y = Autodiff.noGrad(() -> x.mul(x));
        assertNull(y.node());
        assertTrue(x.mul(x).requiresGrad());
    }

    @Test
    void valueAndGrad() {
        Autodiff.ValueAndGrad vg = Autodiff.valueAndGrad(t -> t.square().sum(), Tensor.vector(1, 3));
        assertEquals(10.0, vg.value().item(), 0);
        assertEquals(6.0, vg.gradient().get(1), 0);
    }

    @Test
    void dotShowsOpsShapesTypesAndTheCut() {
        Tensor x = Tensor.vector(1, 2).variable();
        Tensor loss = x.mul(x.stopGradient()).sum();
        String dot = Graph.toDot(loss);
        assertTrue(dot.startsWith("digraph"), dot);
        assertTrue(dot.contains("mul\\n(2,) float64"), dot);
        assertTrue(dot.contains("stopGradient"), dot);
        assertTrue(dot.contains("sum\\n() float64"), dot);
        assertTrue(dot.contains("variable"), dot);
    }

    @Test
    void toStringShowsShapeTypeValuesAndOrigin() {
        Tensor x = Tensor.vector(1, 2).variable();
        assertEquals("Tensor(2,) float64 [1.0, 2.0] variable", x.toString());
        assertEquals("Tensor(2,) float64 [2.0, 4.0] grad_fn=add", x.add(x).toString());
    }
}
