package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.List;

/**
 * The Jacobian of a batch's outputs with respect to shared parameters, one row per (example, component):
 * <pre>
 *   J[b·m + j, p] = ∂y[b, j] / ∂θ_p        y: (B, m), θ: every parameter flattened in order (P columns)
 * </pre>
 * built from the library's VJPs, one reverse pass per row: the seed is 1 at (b, j) and 0 elsewhere, and the graph
 * of one forward pass is kept between passes. That is B·m backward passes, each as expensive as a backward pass
 * of the whole batch. It cannot be fewer with shared parameters: seeding component j of every example at once
 * gives Σ_b ∂y[b, j]/∂θ, the sum of B rows, not the rows themselves (examples are independent with respect to
 * their inputs, not to the parameters they share).
 */
public final class PerExampleJacobian {
    private PerExampleJacobian() {
    }

    /**
     * Entries (rows × columns) J would have for a (B, m) output and {@code params}: B·m·P, to check memory first.
     *
     * @param batch B
     * @param components m
     * @param params the parameter values
     * @return B·m·P
     */
    public static long entries(int batch, int components, List<Tensor> params) {
        return (long) batch * components * columns(params);
    }

    /**
     * P, the number of scalars in {@code params}.
     *
     * @param params the parameter values
     * @return Σ of their sizes
     */
    public static long columns(List<Tensor> params) {
        long p = 0;
        for (Tensor t : params) {
            p += t.size();
        }
        return p;
    }

    /**
     * J for {@code outputs} (B, m), which must have been computed from {@code params} with the graph recorded; a
     * FLOAT64 tensor (B·m, P). Parameters an output does not depend on get zero columns.
     *
     * @param outputs y, (B, m)
     * @param params the parameter values θ, in column order
     * @return J, FLOAT64 (B·m, P)
     * @throws IllegalArgumentException if outputs is not rank 2 or J would not fit one Java array
     */
    public static Tensor of(Tensor outputs, List<Tensor> params) {
        if (outputs.rank() != 2) {
            throw new IllegalArgumentException("PerExampleJacobian: outputs must be (B, m), got " + outputs.shape());
        }
        int rows = outputs.dim(0) * outputs.dim(1);
        long cols = columns(params);
        if ((long) rows * cols > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("PerExampleJacobian: " + rows + " × " + cols
                    + " entries do not fit one array");
        }
        double[] j = new double[(int) (rows * cols)];
        double[] seed = new double[rows];
        for (int r = 0; r < rows; r++) {
            seed[r] = 1;
            Gradients g = Autodiff.vjp(outputs, Tensor.of(outputs.dtype(), outputs.shape(), seed), params,
                    Autodiff.Disconnected.ZERO);
            seed[r] = 0;
            int offset = (int) (r * cols);
            for (Tensor gp : g.asList()) {
                double[] v = gp.toDoubleArray();
                System.arraycopy(v, 0, j, offset, v.length);
                offset += v.length;
            }
        }
        return Tensor.wrap(Shape.of(rows, (int) cols), j);
    }
}
