package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.physics.Diffuse;
import io.sipflow.physics.HeatExamples;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatTrainingTest {

    @Test
    void l2IsHalfTheSumOfSquaresPerExample() {
        Tensor v = Tensor.of(Shape.of(2, 1, 2), 1, 2, 3, -4);
        Tensor l2 = HeatTraining.l2(v);
        assertEquals(Shape.of(2), l2.shape());
        assertEquals(2.5, l2.getFlat(0), 1e-15);
        assertEquals(12.5, l2.getFlat(1), 1e-15);
        assertEquals(7, HeatTraining.l1(v).getFlat(1), 1e-15);
    }

    @Test
    void predictionHasTheObservationsMeanAndRunsTheNetworkInFloat32() {
        Tensor y = Diffuse.fourier(HeatExamples.generate(3, 8, 8, new SplittableRandom(1)), 8, 1);
        DType[] seen = new DType[1];
        Tensor pred = HeatTraining.predict(in -> {
            seen[0] = in.dtype();
            assertEquals(Shape.of(3, 1, 8, 8), in.shape());
            return in.mul(3).add(1); // any network: the mean shift must undo its bias
        }, y);
        assertEquals(DType.FLOAT32, seen[0]);
        assertEquals(DType.FLOAT64, pred.dtype());
        Tensor pm = pred.mean(new int[] {1, 2}, false);
        Tensor ym = y.mean(new int[] {1, 2}, false);
        for (int b = 0; b < 3; b++) {
            assertEquals(ym.getFlat(b), pm.getFlat(b), 1e-6);
        }
    }

    /** A perfect prediction leaves nothing to correct: SIP and GD losses vanish, x_l2 is 0. */
    @Test
    void perfectPredictionHasZeroLoss() {
        Tensor x = HeatExamples.generate(2, 16, 16, new SplittableRandom(4));
        Tensor y = HeatTraining.observe(x);
        for (Method m : Method.values()) {
            HeatTraining.StepResult r = HeatTraining.loss(m, x.variable(), y, x);
            assertEquals(0, r.loss().item(), 1e-12, m.name());
            assertEquals(0, r.xL2().max().item(), 0, m.name());
        }
    }

    /** SIP's gradient w.r.t. the prediction is pred − (x + dx) = −dx: it points along the physics inverse. */
    @Test
    void sipGradientIsMinusTheCorrection() {
        Tensor xGt = HeatExamples.generate(2, 16, 16, new SplittableRandom(5));
        Tensor y = HeatTraining.observe(xGt);
        Tensor pred = xGt.mul(0.5).variable();
        HeatTraining.StepResult r = HeatTraining.sip(pred, y, xGt);
        Tensor g = Autodiff.grad(r.loss(), pred).get(0);
        // with a noiseless residual of a smooth field the correction recovers most of x_gt − pred
        double err = HeatTraining.l2(g.neg().sub(xGt.mul(0.5))).sum().item();
        double base = HeatTraining.l2(xGt.mul(0.5)).sum().item();
        assertTrue(err < 0.5 * base, "‖−grad − (x_gt − pred)‖² " + err + " vs ‖x_gt − pred‖² " + base);
    }
}
