package io.sipflow.physics.problem;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.Module;
import io.sipflow.nn.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sin problem in the authors' float32 and with their L1-mean SIP loss; float64 and ½L2 stay as they were. */
class SinPrecisionTest {
    @Test
    void float32RunsTheNetworkDataPhysicsAndNewtonStepInFloat() {
        SinProblem p = new SinProblem(4, 0, DType.FLOAT32, SipLoss.L1_MEAN);
        Problem.Batch b = p.sample(5, new SplittableRandom(3));
        assertEquals(DType.FLOAT32, b.yTarget().dtype());
        Module net = p.newNetwork(1);
        for (Parameter w : net.parameters()) {
            assertEquals(DType.FLOAT32, w.value().dtype(), w.name());
        }
        Tensor x = p.predict(net, b.yTarget());
        assertEquals(DType.FLOAT32, x.dtype());
        Tensor y = p.physics(x);
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(DType.FLOAT32, p.sipTarget(x.stopGradient(), y, b.yTarget()).dtype());
        assertEquals(DType.FLOAT32, p.sipLoss(x, p.sipTarget(x.stopGradient(), y, b.yTarget())).dtype());
        assertEquals(DType.FLOAT64, p.metrics(x, b).get("x_dist").dtype(), "metrics are evaluated in float64");
        assertEquals("float32", p.settings().get("precision"));
    }

    /** The same draws as float64, rounded: a float32 run sees the float64 run's targets to 2⁻²⁴. */
    @Test
    void float32TargetsAreTheFloat64TargetsRounded() {
        double[] d = new SinProblem(1, 0).sample(50, new SplittableRandom(9)).yTarget().toDoubleArray();
        float[] f = new SinProblem(1, 0, DType.FLOAT32, SipLoss.L2_SUM).sample(50, new SplittableRandom(9)).yTarget()
                .toFloatArray();
        for (int i = 0; i < d.length; i++) {
            assertEquals((float) d[i], f[i]);
        }
    }

    /** The two-argument constructor is the float64, ½L2 problem: the same target, loss and settings, bit for bit. */
    @Test
    void defaultsAreFloat64AndHalfL2Summed() {
        SinProblem old = new SinProblem(10, 45);
        SinProblem explicit = new SinProblem(10, 45, DType.FLOAT64, SipLoss.L2_SUM);
        Tensor x = Tensor.randn(new SplittableRandom(2), 6, 2).mul(0.3);
        Tensor t = old.sample(6, new SplittableRandom(4)).yTarget();
        Tensor target = old.sipTarget(x, old.physics(x), t);
        assertArrayEquals(target.toDoubleArray(), explicit.sipTarget(x, explicit.physics(x), t).toDoubleArray(), 0);
        assertEquals(Problem.l2(x.sub(target)).sum().item(), old.sipLoss(x, target).item(), 0);
        assertEquals(old.settings(), explicit.settings());
    }

    /**
     * Where the Hessian is well conditioned, the float Newton step is the double one to float precision; so the
     * float port computes the same step and only its rounding differs.
     */
    @Property(tries = 200)
    void float32NewtonStepMatchesFloat64WhereWellConditioned(
            @ForAll @DoubleRange(min = -0.3, max = 0.3) double x0, @ForAll @DoubleRange(min = -0.3, max = 0.3) double x1,
            @ForAll @DoubleRange(min = -1, max = 1) double t0, @ForAll @DoubleRange(min = -1, max = 1) double t1,
            @ForAll @DoubleRange(min = 0, max = 45) double angle, @ForAll @IntRange(min = 0, max = 2) int xiPower) {
        double xi = Math.pow(2, xiPower);
        SinProblem p64 = new SinProblem(xi, angle);
        SinProblem p32 = new SinProblem(xi, angle, DType.FLOAT32, SipLoss.L2_SUM);
        float fx0 = (float) x0;
        float fx1 = (float) x1;
        float ft0 = (float) t0;
        float ft1 = (float) t1;
        double[] d = p64.newtonStep(fx0, fx1, ft0, ft1);
        float[] f = p32.newtonStepSingle(fx0, fx1, ft0, ft1);
        double scale = Math.hypot(d[0], d[1]) + 1e-6;
        assertEquals(d[0], f[0], 2e-3 * scale, "component 0");
        assertEquals(d[1], f[1], 2e-3 * scale, "component 1");
    }

    /** At φ = 0 the Hessian is diagonal, so even at ξ = 64 float keeps the small curvature and the step agrees. */
    @Property(tries = 100)
    void float32KeepsTheFlatDirectionAtAngleZero(
            @ForAll @DoubleRange(min = -5, max = 5) double x0, @ForAll @DoubleRange(min = -0.002, max = 0.002) @net.jqwik.api.constraints.Scale(4) double x1,
            @ForAll @DoubleRange(min = -0.9, max = 0.9) double t0, @ForAll @DoubleRange(min = -1, max = 1) double t1) {
        SinProblem p64 = new SinProblem(64, 0);
        SinProblem p32 = new SinProblem(64, 0, DType.FLOAT32, SipLoss.L2_SUM);
        double[] d = p64.newtonStep((float) x0, (float) x1, (float) t0, (float) t1);
        float[] f = p32.newtonStepSingle((float) x0, (float) x1, (float) t0, (float) t1);
        assertEquals(d[0], f[0], 1e-3 * Math.abs(d[0]) + 1e-6, "along a (the flat direction at xi = 64)");
        assertEquals(d[1], f[1], 1e-3 * Math.abs(d[1]) + 1e-7, "along b");
    }

    @Test
    void l1MeanIsTheBatchMeanOfEachExamplesAbsoluteErrorSum() {
        Tensor pred = Tensor.wrap(Shape.of(2, 2), new double[] {1, -2, 0.5, 3});
        Tensor target = Tensor.wrap(Shape.of(2, 2), new double[] {0, 0, 1, 1});
        // (|1| + |−2| + |−0.5| + |2|) / 2 = 2.75;  ½L2 summed: ½(1 + 4) + ½(0.25 + 4) = 4.625
        assertEquals(2.75, SipLoss.L1_MEAN.of(pred, target).item(), 1e-15);
        assertEquals(4.625, SipLoss.L2_SUM.of(pred, target).item(), 1e-15);
        assertEquals(SipLoss.L1_MEAN, SipLoss.parse("L1-Mean"));
    }

    /** d/dpred of the L1 mean is sign(pred − target)/B, checked away from the kink. */
    @Property(tries = 20)
    void l1MeanGradientMatchesFiniteDifferences(@ForAll long seed) {
        Tensor target = Tensor.randn(new SplittableRandom(seed), 3, 2);
        Tensor offset = Tensor.randn(new SplittableRandom(seed + 1), 3, 2);
        double[] o = offset.toDoubleArray();
        for (int i = 0; i < o.length; i++) {
            o[i] = o[i] >= 0 ? o[i] + 0.1 : o[i] - 0.1; // at least 0.1 from the kink: finite differences see no sign change
        }
        Tensor pred = target.add(Tensor.wrap(Shape.of(3, 2), o));
        GradCheck.check("sip l1-mean", t -> SipLoss.L1_MEAN.of(t[0], target),
                GradCheck.Options.defaults().withSeed(seed), pred).assertPassed();
    }

    @Test
    void describeNamesFloat32() {
        assertTrue(new SinProblem(2, 0, DType.FLOAT32, SipLoss.L1_MEAN).describe().endsWith("float32"));
        assertEquals("sin xi=2 angle=0", new SinProblem(2, 0).describe());
    }
}
