package io.sipflow.physics.problem;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.physics.HeatExamples;
import io.sipflow.physics.train.Method;
import io.sipflow.physics.train.TrainingStep;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeatProblemTest {
    private static final HeatProblem HEAT = new HeatProblem(16);

    /** A network that ignores its weights' values: pred = 3·in + 1 (+ 0·w so the loss reaches a parameter). */
    static final class Affine extends Module {
        DType seen;

        @Override
        public Tensor forward(Tensor x) {
            seen = x.dtype();
            return x.mul(3).add(1);
        }
    }

    @Test
    void l2IsHalfTheSumOfSquaresPerExample() {
        Tensor v = Tensor.of(Shape.of(2, 1, 2), 1, 2, 3, -4);
        Tensor l2 = Problem.l2(v);
        assertEquals(Shape.of(2), l2.shape());
        assertEquals(2.5, l2.getFlat(0), 1e-15);
        assertEquals(12.5, l2.getFlat(1), 1e-15);
    }

    @Test
    void predictionHasTheObservationsMeanAndRunsTheNetworkInFloat32() {
        Problem.Batch b = new HeatProblem(8).sample(3, new SplittableRandom(1));
        Affine net = new Affine();
        Tensor pred = new HeatProblem(8).predict(net, b.yTarget());
        assertEquals(DType.FLOAT32, net.seen);
        assertEquals(DType.FLOAT64, pred.dtype());
        Tensor pm = pred.mean(new int[] {1, 2}, false);
        Tensor ym = b.yTarget().mean(new int[] {1, 2}, false);
        for (int i = 0; i < 3; i++) {
            assertEquals(ym.getFlat(i), pm.getFlat(i), 1e-6);
        }
    }

    /** A perfect estimate leaves nothing to correct: the SIP target is x itself and x_l2 is 0. */
    @Test
    void perfectEstimateHasZeroErrorAndIsItsOwnSipTarget() {
        Problem.Batch b = HEAT.sample(2, new SplittableRandom(4));
        Tensor x = b.xGroundTruth();
        Tensor target = HEAT.sipTarget(x, HEAT.physics(x), b.yTarget());
        assertEquals(0, Problem.l2(target.sub(x)).max().item(), 1e-20);
        assertEquals(0, HEAT.metrics(x, b).get("x_l2").max().item(), 0);
    }

    /** SIP's gradient w.r.t. the prediction is pred − (x + dx) = −dx: it points along the physics inverse. */
    @Test
    void sipGradientIsMinusTheCorrection() {
        Problem.Batch b = HEAT.sample(2, new SplittableRandom(5));
        Tensor xGt = b.xGroundTruth();
        Tensor pred = xGt.mul(0.5).variable();
        Tensor x = pred.stopGradient();
        Tensor loss = Problem.l2(pred.sub(HEAT.sipTarget(x, HEAT.physics(x), b.yTarget()))).sum();
        Tensor g = Autodiff.grad(loss, pred).get(0);
        double err = Problem.l2(g.neg().sub(xGt.mul(0.5))).sum().item();
        double base = Problem.l2(xGt.mul(0.5)).sum().item();
        assertTrue(err < 0.5 * base, "‖−grad − (x_gt − pred)‖² " + err + " vs ‖x_gt − pred‖² " + base);
    }

    /** skip() draws exactly what sample() draws, so a resumed run sees the same batches. */
    @Test
    void skipAdvancesTheStreamExactlyAsSample() {
        SplittableRandom a = new SplittableRandom(9);
        SplittableRandom b = new SplittableRandom(9);
        HEAT.sample(5, a);
        HEAT.skip(5, b);
        assertArrayEquals(HEAT.sample(2, a).xGroundTruth().toDoubleArray(),
                HEAT.sample(2, b).xGroundTruth().toDoubleArray(), 0.0);
        assertEquals(1 + 5 * HeatExamples.CANDIDATE_BOXES, 51);
    }

    @Test
    void everyMethodsLossOfAPerfectPredictionIsZero() {
        Problem.Batch b = HEAT.sample(2, new SplittableRandom(6));
        for (Method m : new Method[] {Method.SIP, Method.GD, Method.SGD}) {
            Module exact = new Module() {
                @Override
                public Tensor forward(Tensor in) {
                    return b.xGroundTruth().to(DType.FLOAT32).reshape(2, 1, 16, 16);
                }
            };
            double loss = TrainingStep.loss(HEAT, m, exact, b).value().item();
            assertEquals(0, loss, 1e-6, m.id());
        }
    }
}
