package io.sipflow.autodiff;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CG gives its own iterates and steps back to {@link BufferPool} as it goes. Its solutions, right-hand sides and
 * starts must keep their values while later solves reuse those arrays, and be the bits of a run that recycles
 * nothing. 4·32·32 = 4096 values per field, so the arrays come from the pool.
 */
class SolveBuffersTest {
    @AfterEach
    void recyclingBackOn() {
        BufferPool.setEnabled(true);
    }

    @Test
    void solutionsAndInputsSurviveLaterSolvesWithTheBitsOfFreshArrays() {
        List<double[]> runs = new ArrayList<>();
        for (boolean on : new boolean[] {false, true, true}) {
            BufferPool.setEnabled(on);
            SplittableRandom random = new SplittableRandom(3);
            Tensor d = Tensor.rand(random, 4, 32, 32).add(1); // a diagonal in [1, 2): many CG iterations
            UnaryOperator<Tensor> diagonal = v -> v.mul(d);
            Tensor b = Tensor.randn(random, 4, 32, 32);
            Tensor x0 = Tensor.randn(random, 4, 32, 32);
            double[] bCopy = b.toDoubleArray();
            double[] x0Copy = x0.toDoubleArray();
            long recycledBefore = BufferPool.recycledCount();
            Tensor fromZero = Solve.cg(diagonal, b, 1e-12, 200);
            Tensor fromX0 = Solve.cg(diagonal, b, 1e-12, 200, x0);
            if (on) {
                assertTrue(BufferPool.recycledCount() > recycledBefore, "CG gives its iterates back");
            }
            double[] first = fromZero.toDoubleArray();
            double[] second = fromX0.toDoubleArray();
            Solve.cg(diagonal, Tensor.randn(random, 4, 32, 32), 1e-12, 200); // reuses what the others gave back
            assertArrayEquals(first, fromZero.toDoubleArray(), 0.0, "solution from zero, recycling " + on);
            assertArrayEquals(second, fromX0.toDoubleArray(), 0.0, "solution from x0, recycling " + on);
            assertArrayEquals(bCopy, b.toDoubleArray(), 0.0, "b");
            assertArrayEquals(x0Copy, x0.toDoubleArray(), 0.0, "x0");
            runs.add(first);
            runs.add(second);
        }
        for (int i = 2; i < runs.size(); i++) {
            assertArrayEquals(runs.get(i % 2), runs.get(i), 0.0, "run " + i / 2 + " against the run without recycling");
        }
    }

    /** An operator that returns its input, or a view of it: CG must not give back the array of b or of p. */
    @Test
    void anOperatorReturningItsInputKeepsItLive() {
        SplittableRandom random = new SplittableRandom(4);
        List<UnaryOperator<Tensor>> identities = List.of(v -> v, v -> v.reshape(4, 1024).reshape(4, 32, 32));
        for (UnaryOperator<Tensor> identity : identities) {
            Tensor b = Tensor.randn(random, 4, 32, 32).mul(1.0); // an op's output: its array is the pool's
            double[] bCopy = b.toDoubleArray();
            Tensor x = Solve.cg(v -> identity.apply(v).add(v), b, 1e-12, 50); // 2·I through a returned input
            Tensor y = Solve.cg(identity, b, 1e-12, 50);
            Solve.cg(v -> v.mul(2), Tensor.randn(random, 4, 32, 32), 1e-12, 50);
            assertArrayEquals(bCopy, b.toDoubleArray(), 0.0, "b");
            assertArrayEquals(bCopy, y.toDoubleArray(), 0.0, "I⁻¹b");
            assertArrayEquals(b.mul(0.5).toDoubleArray(), x.toDoubleArray(), 0.0, "(2I)⁻¹b");
        }
    }
}
