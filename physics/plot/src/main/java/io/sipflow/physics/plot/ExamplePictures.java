package io.sipflow.physics.plot;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.nn.BatchNorm2d;
import io.sipflow.nn.Module;
import io.sipflow.physics.problem.HeatProblem;
import io.sipflow.physics.problem.PoissonProblem;
import io.sipflow.physics.problem.Problem;
import io.sipflow.physics.problem.SinProblem;

import java.util.List;
import java.util.Locale;

/**
 * examples.png of the built-in problems: the network's estimate beside the truth on the first test examples. The
 * library's problems draw nothing themselves (so a consumer of sipflow-physics needs no plotting jars); the
 * application, or a user who adds sipflow-plot, draws them here.
 *
 * <pre>
 *   heat, poisson: one row per example: ground truth x | observation y* | network prediction
 *   sin:           the network's x for each test target and the exact solution closest to it, in the x plane
 * </pre>
 */
public final class ExamplePictures {
    /** Rows of the heat picture, as in the seed notebook's last cell. */
    static final int HEAT_ROWS = 3;
    static final int POISSON_ROWS = 4;
    static final int SIN_POINTS = 300;

    private ExamplePictures() {
    }

    /**
     * The PNG of examples.png for {@code network} on the first examples of {@code test}, or null for a problem
     * this class has no picture for. Runs without gradients and without updating batch-norm running statistics,
     * so the network is unchanged.
     */
    public static byte[] png(Problem problem, Module network, Problem.Batch test) {
        try (BatchNorm2d.StatisticsFrozen frozen = BatchNorm2d.statisticsFrozen()) {
            if (problem instanceof HeatProblem) {
                return fields(problem, network, test, HEAT_ROWS);
            }
            if (problem instanceof PoissonProblem) {
                return fields(problem, network, test, POISSON_ROWS);
            }
            if (problem instanceof SinProblem sin) {
                return sinScatter(sin, network, test);
            }
            return null;
        }
    }

    /** Ground truth, observation and prediction of the first {@code maxRows} examples, one row each. */
    private static byte[] fields(Problem problem, Module network, Problem.Batch test, int maxRows) {
        int rows = Math.min(maxRows, test.size());
        Tensor x = test.xGroundTruth().slice(0, 0, rows);
        Tensor y = test.yTarget().slice(0, 0, rows);
        Tensor pred = Autodiff.noGrad(() -> problem.predict(network, y));
        return FieldGrid.png(List.of(new FieldGrid.Column("Ground Truth", x, 0),
                new FieldGrid.Column("Observation", y, 1), new FieldGrid.Column("NN Prediction", pred, 0)), rows);
    }

    /** The sin problem's x plane: a well-trained network puts every blue point on its orange one. */
    private static byte[] sinScatter(SinProblem problem, Module network, Problem.Batch test) {
        int n = Math.min(SIN_POINTS, test.size());
        Tensor y = test.yTarget().slice(0, 0, n);
        Tensor x = Autodiff.noGrad(() -> problem.predict(network, y));
        Tensor closest = problem.closestSolution(x, y);
        return Scatter.png(String.format(Locale.ROOT, "sin problem (xi %s, angle %s): %d test examples",
                        problem.xi(), problem.angleDegrees(), n), "x0", "x1",
                List.of(points("network prediction x", x), points("closest exact solution", closest)));
    }

    private static Scatter.Points points(String name, Tensor xy) {
        double[] v = xy.toDoubleArray();
        double[] a = new double[v.length / 2];
        double[] b = new double[v.length / 2];
        for (int i = 0; i < a.length; i++) {
            a[i] = v[2 * i];
            b[i] = v[2 * i + 1];
        }
        return new Scatter.Points(name, a, b);
    }
}
