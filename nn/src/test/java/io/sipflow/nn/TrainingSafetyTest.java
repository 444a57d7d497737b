package io.sipflow.nn;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training step that meets a NaN or an infinity throws, naming where, and leaves the network (weights and
 * batch-norm statistics) and the optimizer exactly as they were.
 */
class TrainingSafetyTest {
    private static final UNet.Config SMALL = new UNet.Config(1, 1, 2, 4, Norm.BATCH, Activation.RELU, Padding.CIRCULAR);
    private static final Tensor X = Tensor.randn(new SplittableRandom(1), 4, 1, 8, 8);

    private static List<double[]> everything(UNet net, Optimizer opt) {
        List<double[]> all = new ArrayList<>();
        net.namedParameters().values().forEach(p -> all.add(p.value().toDoubleArray()));
        net.namedBuffers().values().forEach(b -> all.add(b.value().toDoubleArray()));
        for (Map.Entry<String, Tensor> e : opt.state().entrySet()) {
            all.add(e.getValue().toDoubleArray());
        }
        return all;
    }

    private static void assertUnchanged(List<double[]> before, List<double[]> after) {
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), 0.0, "entry " + i + " changed");
        }
    }

    @Test
    void aNanLossIsRefusedAndChangesNothing() {
        UNet net = new UNet(SMALL, 2);
        Adam adam = new Adam(net.parameters(), 1e-3);
        Training.updateWeights(net, adam, () -> Training.Loss.of(net.forward(X).square().sum()));
        List<double[]> before = everything(net, adam);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Training.updateWeights(net, adam,
                () -> Training.Loss.of(net.forward(X).sum().mul(Double.NaN))));
        assertEquals("the loss (NaN)", e.what());
        assertUnchanged(before, everything(net, adam));
    }

    @Test
    void aNonFiniteGradientNamesTheParameter() {
        UNet net = new UNet(SMALL, 2);
        Adam adam = new Adam(net.parameters(), 1e-3);
        List<double[]> before = everything(net, adam);
        Parameter out = net.namedParameters().get("outc.weight");
        // sqrt has an infinite slope at 0: the loss is finite, the gradient of outc.weight is not
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Training.updateWeights(net, adam,
                () -> Training.Loss.of(out.value().mul(0).sqrt().sum().add(net.forward(X).sum().mul(0)))));
        assertTrue(e.what().startsWith("the gradient of outc.weight ("), e.what());
        assertUnchanged(before, everything(net, adam));
    }

    @Test
    void anUpdateThatOverflowsTheWeightsIsRolledBack() {
        UNet net = new UNet(SMALL, 2);
        SGD sgd = new SGD(net.parameters(), 1e300, 0.9); // FLOAT64 weights: overflow past 1.8e308
        Training.updateWeights(net, sgd, () -> Training.Loss.of(net.forward(X).sum().mul(1e-300)));
        List<double[]> before = everything(net, sgd);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> Training.updateWeights(net, sgd,
                () -> Training.Loss.of(net.forward(X).square().sum().mul(1e30))));
        assertTrue(e.what().startsWith("the updated weight "), e.what());
        assertUnchanged(before, everything(net, sgd));
    }

    @Test
    void nonFiniteCheckCountsAndPointsAtTheFirst() {
        Tensor t = Tensor.of(Shape.of(4), 1, Double.POSITIVE_INFINITY, 2, Double.NaN);
        NonFiniteException e = assertThrows(NonFiniteException.class, () -> NonFiniteException.check("w", t));
        assertEquals("w (2 of 4 values non-finite, first at index 1: Infinity)", e.what());
        NonFiniteException.check("fine", Tensor.of(Shape.of(2), 1, 2));
    }

    /** Testing a model with batch statistics (the seed's convention) must not move its running statistics. */
    @Test
    void frozenStatisticsNormaliseWithTheBatchButKeepTheBuffers() {
        UNet net = new UNet(SMALL, 3);
        Tensor expected = new UNet(SMALL, 3).forward(X);
        List<double[]> before = new ArrayList<>();
        net.namedBuffers().values().forEach(b -> before.add(b.value().toDoubleArray()));
        Tensor out;
        try (BatchNorm2d.StatisticsFrozen f = BatchNorm2d.statisticsFrozen()) {
            out = net.forward(X);
        }
        assertArrayEquals(expected.toDoubleArray(), out.toDoubleArray(), 0.0, "same batch-statistics output");
        List<double[]> after = new ArrayList<>();
        net.namedBuffers().values().forEach(b -> after.add(b.value().toDoubleArray()));
        assertUnchanged(before, after);
        net.forward(X); // outside the scope the statistics move again
        assertTrue(net.namedBuffers().get("inc.norm1.running_mean").value().getFlat(0) != before.get(0)[0]);
    }

    /**
     * A NaN reaching the network comes out as NaN (the fused batch norm + ReLU once turned it into 0, so a diverged
     * model scored a finite test error), in both types.
     */
    @Test
    void aNanInTheInputReachesTheOutput() {
        for (io.sipflow.autodiff.DType type : io.sipflow.autodiff.DType.values()) {
            UNet net;
            try (io.sipflow.autodiff.Precision p = io.sipflow.autodiff.Precision.use(type)) {
                net = new UNet(SMALL, 4);
            }
            double[] v = X.toDoubleArray();
            v[17] = Double.NaN;
            Tensor y = net.forward(Tensor.wrap(X.shape(), v).to(type));
            int nan = 0;
            for (int i = 0; i < y.size(); i++) {
                nan += Double.isNaN(y.getFlat(i)) ? 1 : 0;
            }
            assertEquals(y.size(), nan, type + ": batch statistics spread the NaN to every output");
        }
    }
}
