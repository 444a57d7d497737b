package io.sipflow.physics.problem;

import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sin characterization problem: physics, its gradient, the exact solutions, SIP's Newton step. */
class SinProblemTest {
    @Test
    void physicsRotatesScalesAndTakesTheSineOfTheFirstComponent() {
        SinProblem p = new SinProblem(2, 30);
        double x0 = 0.3;
        double x1 = -0.2;
        double c = Math.cos(Math.toRadians(30));
        double s = Math.sin(Math.toRadians(30));
        double a = (c * x0 - s * x1) * 10 / 2;
        double b = (s * x0 + c * x1) * 10 * 2;
        Tensor y = p.physics(Tensor.wrap(Shape.of(1, 2), new double[] {x0, x1}));
        assertArrayEquals(new double[] {Math.sin(a), b}, y.toDoubleArray(), 1e-14);
    }

    @Property(tries = 20)
    void physicsGradientMatchesFiniteDifferences(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 20) double xi,
                                                 @ForAll @DoubleRange(min = 0, max = 90) double angle) {
        SinProblem p = new SinProblem(xi, angle);
        Tensor x = Tensor.randn(new SplittableRandom(seed), 3, 2).mul(0.1);
        GradCheck.check("sin physics", t -> p.physics(t[0]), GradCheck.Options.defaults().withSeed(seed), x)
                .assertPassed();
    }

    @Test
    void targetsAreUniformOnTheSquareWithoutGroundTruth() {
        Problem.Batch b = new SinProblem(1, 45).sample(1000, new SplittableRandom(0));
        assertNull(b.xGroundTruth());
        assertEquals(List.of(1000, 2), List.of(b.yTarget().dim(0), b.yTarget().dim(1)));
        double[] v = b.yTarget().toDoubleArray();
        double sum = 0;
        for (double e : v) {
            assertTrue(e >= -1 && e < 1);
            sum += e;
        }
        assertEquals(0, sum / v.length, 0.05);
    }

    /** x° solves P(x°) = y* exactly and no other solution (both branches, 41 periods) is closer to x. */
    @Property(tries = 50)
    void closestSolutionIsExactAndNearest(@ForAll long seed, @ForAll @DoubleRange(min = 0.5, max = 50) double xi,
                                          @ForAll @DoubleRange(min = 0, max = 90) double angle) {
        SinProblem p = new SinProblem(xi, angle);
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor y = p.sample(4, rng).yTarget();
        Tensor x = Tensor.randn(rng, 4, 2).mul(xi / 10);
        Tensor closest = p.closestSolution(x, y);
        assertArrayEquals(y.toDoubleArray(), p.physics(closest).toDoubleArray(), 1e-9);
        double[] dist = p.metrics(x, new Problem.Batch(null, y)).get("x_dist").toDoubleArray();
        double c = Math.cos(Math.toRadians(angle));
        double s = Math.sin(Math.toRadians(angle));
        for (int i = 0; i < 4; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int n = -20; n <= 20; n++) {
                for (double ak : new double[] {Math.asin(y.get(i, 0)), Math.PI - Math.asin(y.get(i, 0))}) {
                    double u = (ak + 2 * Math.PI * n) * xi / 10;  // undo the scaling, then the rotation
                    double v = y.get(i, 1) / (10 * xi);
                    double s0 = c * u + s * v;
                    double s1 = -s * u + c * v;
                    best = Math.min(best, Math.hypot(x.get(i, 0) - s0, x.get(i, 1) - s1));
                }
            }
            assertEquals(best, dist[i], 1e-9 * (1 + best), "example " + i);
        }
    }

    /** H = diag(4, 1), ∇ = (2, 3), c = 0.2: λ̄ = 2, so n₁ = −2/4 (plain Newton) and n₂ = −min(3/1, 0.2/3). */
    @Test
    void newtonStepLimitsTheFlatDirectionByTheMaximumLossChange() {
        double[] step = NewtonStep.limited(new double[] {2, 3}, new double[][] {{4, 0}, {0, 1}}, 0.2);
        assertArrayEquals(new double[] {-0.5, -0.2 / 3}, step, 1e-12);
        // The same problem rotated by 30°: the step rotates with it.
        double c = Math.cos(Math.toRadians(30));
        double s = Math.sin(Math.toRadians(30));
        double[][] r = {{c, -s}, {s, c}};
        double[][] h = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                h[i][j] = r[i][0] * 4 * r[j][0] + r[i][1] * 1 * r[j][1];
            }
        }
        double[] g = {r[0][0] * 2 + r[0][1] * 3, r[1][0] * 2 + r[1][1] * 3};
        double[] rotated = NewtonStep.limited(g, h, 0.2);
        assertArrayEquals(new double[] {r[0][0] * -0.5 + r[0][1] * (-0.2 / 3), r[1][0] * -0.5 + r[1][1] * (-0.2 / 3)},
                rotated, 1e-12);
    }

    /** A concave direction (negative curvature) is still stepped downhill, by at most c/|g|. */
    @Test
    void newtonStepGoesDownhillWhereTheCurvatureIsNegative() {
        double[] step = NewtonStep.limited(new double[] {1, -0.5}, new double[][] {{-2, 0}, {0, 8}}, 0.2);
        assertArrayEquals(new double[] {-0.2, 0.5 / 8}, step, 1e-12);
    }

    /** Near a solution with ξ = 1 the Hessian is well conditioned: SIP's target is the Newton point. */
    @Test
    void sipTargetSolvesTheProblemNearASolution() {
        SinProblem p = new SinProblem(1, 45);
        Tensor y = Tensor.wrap(Shape.of(1, 2), new double[] {0.3, -0.4});
        Tensor exact = p.closestSolution(Tensor.wrap(Shape.of(1, 2), new double[] {0.01, 0.0}), y);
        Tensor x = exact.add(Tensor.wrap(Shape.of(1, 2), new double[] {1e-4, -2e-4}));
        Tensor target = x;
        for (int i = 0; i < 5; i++) {
            target = p.sipTarget(target, p.physics(target), y);
        }
        assertArrayEquals(exact.toDoubleArray(), target.toDoubleArray(), 1e-10);
    }
}
