package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Half-inverse gradients (Schnell, Holl &amp; Thuerey, ICLR 2022): with J the per-example Jacobian of the batch's
 * physics outputs y (B, m) with respect to the parameters θ (rows B·m, columns P; {@link PerExampleJacobian}) and
 * g = ∂L/∂y flattened the same way,
 * <pre>
 *   J = U Σ Vᵀ                           (EJML's compact SVD)
 *   d = V · Σ^(−κ) · Uᵀ · g              κ = ½ for HIG; singular values below truncation · σ_max dropped
 *   θ ← θ − η · d                        (the trainer applies d with plain SGD at learning rate η)
 * </pre>
 * κ = 1 makes d the pseudo-inverse (Gauss–Newton) step J⁺g, κ = 0 the gradient's projection onto J's row space.
 * The Jacobian costs B·m backward passes and (B·m)·P doubles, so HIG fits small networks and few outputs only;
 * larger problems are refused before any backward pass, naming the size and the limit.
 */
public final class HalfInverseGradients {
    /**
     * truncation: singular values σ &lt; truncation·σ_max are dropped (the authors' {@code rcond});
     * kappa: the exponent κ in Σ^(−κ) (½ for HIG);
     * maxJacobianEntries: the largest (B·m)·P accepted.
     */
    public record Config(double truncation, double kappa, long maxJacobianEntries) {
        /** 20 million doubles (160 MB): the sin problem's 200 × 4,418 Jacobian fits with a wide margin. */
        public static final long DEFAULT_MAX_ENTRIES = 20_000_000L;

        public Config {
            if (!(truncation >= 0 && truncation < 1) || !(kappa >= 0) || maxJacobianEntries < 1) {
                throw new IllegalArgumentException("HIG: need 0 <= truncation < 1, kappa >= 0 and a positive limit;"
                        + " got truncation=" + truncation + " kappa=" + kappa + " limit=" + maxJacobianEntries);
            }
        }

        /** HIG with the given truncation ratio: κ = ½, the default size limit. */
        public static Config hig(double truncation) {
            return new Config(truncation, 0.5, DEFAULT_MAX_ENTRIES);
        }
    }

    private final Config config;

    public HalfInverseGradients(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    /**
     * The HIG direction d for the parameters {@code params}: {@code outputs} builds y (B, m) from their current
     * values (graph recorded), {@code lossGradient} is ∂L/∂y (B, m). Returned like {@code Autodiff.grad}'s result,
     * keyed by each parameter's value tensor, so {@code new SGD(params, η, 0).step(d)} applies θ ← θ − η·d.
     */
    public Gradients direction(List<Parameter> params, Supplier<Tensor> outputs, Tensor lossGradient) {
        List<Tensor> values = new ArrayList<>();
        for (Parameter p : params) {
            values.add(p.value());
        }
        Tensor y = outputs.get();
        if (!y.shape().equals(lossGradient.shape()) || y.rank() != 2) {
            throw new IllegalArgumentException("HIG: outputs " + y.shape() + " and loss gradient "
                    + lossGradient.shape() + " must both be (B, m)");
        }
        checkSize(y.dim(0), y.dim(1), values);
        Tensor j = PerExampleJacobian.of(y, values);
        double[] d = solve(j, lossGradient.toDoubleArray(), config.truncation(), config.kappa());
        return split(values, d);
    }

    /** Throws if the (B·m) × P Jacobian exceeds the configured limit, with the numbers and what to do. */
    public void checkSize(int batch, int components, List<Tensor> params) {
        long rows = (long) batch * components;
        long cols = PerExampleJacobian.columns(params);
        long entries = rows * cols;
        if (entries > config.maxJacobianEntries()) {
            throw new IllegalArgumentException(String.format(
                    "HIG: the per-example Jacobian would be %d × %d = %.3g entries (batch %d × %d outputs rows,"
                            + " %d parameters; %.3g GB as FLOAT64), over the limit of %.3g entries;"
                            + " HIG needs B·m backward passes and an SVD of that matrix, so it fits small networks"
                            + " with few outputs (the sin problem: 200 × 4418); use a smaller batch or network",
                    rows, cols, (double) entries, batch, components, cols, entries * 8 / 1e9,
                    (double) config.maxJacobianEntries()));
        }
    }

    /**
     * d = V·Σ^(−κ)·Uᵀ·g for J (rows, P) FLOAT64 and g (rows), singular values below truncation·σ_max dropped.
     */
    public static double[] solve(Tensor jacobian, double[] g, double truncation, double kappa) {
        int rows = jacobian.dim(0);
        int cols = jacobian.dim(1);
        if (g.length != rows) {
            throw new IllegalArgumentException("HIG: g has " + g.length + " entries for a Jacobian with " + rows
                    + " rows");
        }
        DMatrixRMaj j = DMatrixRMaj.wrap(rows, cols, jacobian.toDoubleArray());
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(rows, cols, true, true, true);
        if (!svd.decompose(j)) {
            throw new IllegalStateException("HIG: the SVD of the " + rows + " × " + cols + " Jacobian failed");
        }
        DMatrixRMaj u = svd.getU(null, false);   // rows × k
        DMatrixRMaj v = svd.getV(null, false);   // cols × k
        double[] sigma = svd.getSingularValues();
        double max = 0;
        for (double s : sigma) {
            max = Math.max(max, s);
        }
        double[] d = new double[cols];
        for (int i = 0; i < sigma.length; i++) {
            if (!(sigma[i] > truncation * max) || sigma[i] == 0) {
                continue;
            }
            double ug = 0;
            for (int r = 0; r < rows; r++) {
                ug += u.get(r, i) * g[r];
            }
            double coefficient = ug * Math.pow(sigma[i], -kappa);
            for (int c = 0; c < cols; c++) {
                d[c] += coefficient * v.get(c, i);
            }
        }
        return d;
    }

    private static Gradients split(List<Tensor> values, double[] d) {
        List<Tensor> parts = new ArrayList<>();
        int offset = 0;
        for (Tensor t : values) {
            double[] part = new double[t.size()];
            System.arraycopy(d, offset, part, 0, part.length);
            offset += part.length;
            parts.add(Tensor.of(t.dtype(), t.shape(), part));
        }
        return Gradients.of(values, parts);
    }
}
