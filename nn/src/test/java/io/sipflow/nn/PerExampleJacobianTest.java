package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Per-example Jacobians of an MLP's outputs with respect to its parameters, against central differences. */
class PerExampleJacobianTest {
    private static final MLP.Config SMALL = new MLP.Config(2, 2, List.of(4, 3), Activation.RELU);

    @Test
    void everyEntryMatchesCentralDifferences() {
        MLP net = new MLP(SMALL, 11);
        Tensor x = Tensor.randn(new SplittableRandom(5), 3, 2);
        Tensor j = PerExampleJacobian.of(net.forward(x), net.parameterValues());
        int cols = (int) net.parameterCount();
        assertEquals(List.of(6, cols), List.of(j.dim(0), j.dim(1)));
        double eps = 1e-6;
        int col = 0;
        for (Parameter p : net.parameters()) {
            double[] theta = p.value().toDoubleArray();
            for (int e = 0; e < theta.length; e++, col++) {
                double[] plus = outputsWith(net, p, theta, e, eps, x);
                double[] minus = outputsWith(net, p, theta, e, -eps, x);
                for (int r = 0; r < plus.length; r++) {
                    double numeric = (plus[r] - minus[r]) / (2 * eps);
                    assertEquals(numeric, j.get(r, col), 1e-6 * (1 + Math.abs(numeric)),
                            "row " + r + " (example " + r / 2 + ", output " + r % 2 + "), " + p.name() + "[" + e + "]");
                }
            }
            p.set(Tensor.of(p.dtype(), p.shape(), theta));
        }
    }

    /** Why B·m passes: seeding component j of every example at once yields the sum of their rows, not the rows. */
    @Test
    void seedingAllExamplesAtOnceGivesTheSumOfTheirRows() {
        MLP net = new MLP(SMALL, 12);
        Tensor x = Tensor.randn(new SplittableRandom(6), 4, 2);
        Tensor y = net.forward(x);
        Tensor j = PerExampleJacobian.of(y, net.parameterValues());
        Tensor seed = Tensor.of(y.dtype(), y.shape(), 1, 0, 1, 0, 1, 0, 1, 0);
        double[] summed = Autodiff.vjp(y, seed, net.parameterValues(), Autodiff.Disconnected.ZERO).asList().get(0)
                .toDoubleArray();
        for (int c = 0; c < summed.length; c++) {
            double rows = 0;
            for (int b = 0; b < 4; b++) {
                rows += j.get(2 * b, c);
            }
            assertEquals(rows, summed[c], 1e-12);
        }
    }

    private static double[] outputsWith(MLP net, Parameter p, double[] theta, int e, double step, Tensor x) {
        double[] shifted = theta.clone();
        shifted[e] += step;
        p.set(Tensor.of(p.dtype(), p.shape(), shifted));
        return net.forward(x).toDoubleArray();
    }
}
