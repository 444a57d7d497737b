package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.eig.SymmetricQRAlgorithmDecomposition_DDRM;
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
     * How the direction is computed.
     *
     * @param truncation singular values σ &lt; truncation·σ_max are dropped (the authors' {@code rcond}), in [0, 1)
     * @param kappa the exponent κ in Σ^(−κ) (½ for HIG), ≥ 0
     * @param maxJacobianEntries the largest (B·m)·P accepted, ≥ 1
     * @param decomposition how U, Σ and V are obtained
     */
    public record Config(double truncation, double kappa, long maxJacobianEntries, Decomposition decomposition) {
        /** 20 million doubles (160 MB): the sin problem's 200 × 4,354 Jacobian fits with a wide margin. */
        public static final long DEFAULT_MAX_ENTRIES = 20_000_000L;

        /**
         * Checks the settings.
         *
         * @param truncation in [0, 1)
         * @param kappa ≥ 0
         * @param maxJacobianEntries ≥ 1
         * @param decomposition not null
         * @throws IllegalArgumentException if a setting is out of range, naming all of them
         */
        public Config {
            if (!(truncation >= 0 && truncation < 1) || !(kappa >= 0) || maxJacobianEntries < 1
                    || decomposition == null) {
                throw new IllegalArgumentException("HIG: need 0 <= truncation < 1, kappa >= 0 and a positive limit;"
                        + " got truncation=" + truncation + " kappa=" + kappa + " limit=" + maxJacobianEntries);
            }
        }

        /**
         * HIG with the given truncation ratio: κ = ½, the default size limit, EJML's SVD of J.
         *
         * @param truncation the relative singular-value cut-off, in [0, 1)
         * @return the configuration
         * @throws IllegalArgumentException if the truncation is out of range
         */
        public static Config hig(double truncation) {
            return new Config(truncation, 0.5, DEFAULT_MAX_ENTRIES, Decomposition.SVD);
        }

        /**
         * This configuration with another decomposition.
         *
         * @param d SVD or GRAM_EIGEN
         * @return a copy with {@code decomposition = d}
         */
        public Config withDecomposition(Decomposition d) {
            return new Config(truncation, kappa, maxJacobianEntries, d);
        }
    }

    /** How U, Σ and V are obtained. */
    public enum Decomposition {
        /** EJML's compact SVD of J itself: accurate for every kept singular value (the reference). */
        SVD,
        /**
         * EJML's symmetric eigendecomposition of the small Gram matrix (JJᵀ for a wide J, JᵀJ for a tall one), the
         * product formed by the library's matmul. σ² carries an absolute error of about ε·σ_max², so σ is accurate
         * where σ/σ_max ≫ 1e-8: fine for truncation ratios of 1e-6 and up, and several times faster than the SVD
         * for the sin problem's 200 × 4,354 Jacobian.
         */
        GRAM_EIGEN
    }

    private final Config config;

    /**
     * A direction computer with the given settings.
     *
     * @param config truncation, κ, size limit and decomposition
     */
    public HalfInverseGradients(Config config) {
        this.config = config;
    }

    /** {@return the truncation, κ, size limit and decomposition this instance computes directions with} */
    public Config config() {
        return config;
    }

    /**
     * The HIG direction d for the parameters {@code params}: {@code outputs} builds y (B, m) from their current
     * values (graph recorded), {@code lossGradient} is ∂L/∂y (B, m). Returned like {@code Autodiff.grad}'s result,
     * keyed by each parameter's value tensor, so {@code new SGD(params, η, 0).step(d)} applies θ ← θ − η·d.
     *
     * @param params the parameters θ, in column order
     * @param outputs computes y (B, m) from the current parameter values, recording the graph
     * @param lossGradient g = ∂L/∂y, of y's shape
     * @return d split per parameter, each of its parameter's shape (FLOAT64 values in the parameter's type)
     * @throws IllegalArgumentException if y and g are not both (B, m) of one shape, the Jacobian exceeds the size
     *         limit, or J or g holds a non-finite value
     * @throws IllegalStateException if the decomposition fails
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
        double[] g = lossGradient.toDoubleArray();
        double[] d = config.decomposition() == Decomposition.SVD
                ? solve(j, g, config.truncation(), config.kappa())
                : solveByGramEigen(j, g, config.truncation(), config.kappa());
        return split(values, d);
    }

    /**
     * Throws if the (B·m) × P Jacobian exceeds the configured limit, with the numbers and what to do.
     *
     * @param batch B
     * @param components m
     * @param params the parameter values (P = Σ sizes)
     * @throws IllegalArgumentException if (B·m)·P exceeds {@link Config#maxJacobianEntries()}
     */
    public void checkSize(int batch, int components, List<Tensor> params) {
        long rows = (long) batch * components;
        long cols = PerExampleJacobian.columns(params);
        long entries = rows * cols;
        if (entries > config.maxJacobianEntries()) {
            throw new IllegalArgumentException(String.format(
                    "HIG: the per-example Jacobian would be %d × %d = %.3g entries (rows: batch %d × %d outputs;"
                            + " columns: %d parameters; %.3g GB as FLOAT64), over the limit of %.3g entries;"
                            + " HIG needs B·m backward passes and an SVD of that matrix, so it fits small networks"
                            + " with few outputs (the sin problem: 200 × 4354); use a smaller batch or network",
                    rows, cols, (double) entries, batch, components, cols, entries * 8 / 1e9,
                    (double) config.maxJacobianEntries()));
        }
    }

    /**
     * d = V·Σ^(−κ)·Uᵀ·g for J (rows, P) FLOAT64 and g (rows), singular values below truncation·σ_max dropped.
     *
     * @param jacobian J, (rows, P)
     * @param g the loss gradient, rows values
     * @param truncation the relative singular-value cut-off
     * @param kappa the exponent κ
     * @return d, P values
     * @throws IllegalArgumentException if g's length is not J's row count or J or g is not finite
     * @throws IllegalStateException if the SVD fails
     */
    public static double[] solve(Tensor jacobian, double[] g, double truncation, double kappa) {
        int rows = jacobian.dim(0);
        int cols = jacobian.dim(1);
        if (g.length != rows) {
            throw new IllegalArgumentException("HIG: g has " + g.length + " entries for a Jacobian with " + rows
                    + " rows");
        }
        DMatrixRMaj j = DMatrixRMaj.wrap(rows, cols, requireFinite(jacobian, g));
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
            double coefficient = ug * StrictMath.pow(sigma[i], -kappa);
            for (int c = 0; c < cols; c++) {
                d[c] += coefficient * v.get(c, i);
            }
        }
        return d;
    }

    /**
     * The same d from the eigendecomposition of the Gram matrix (see {@link Decomposition#GRAM_EIGEN}). For a wide
     * J, JJᵀ = UΣ²Uᵀ and V = JᵀUΣ⁻¹, so d = Jᵀ·Σ_i σ_i^(−κ−1)(u_iᵀg)u_i; for a tall J, JᵀJ = VΣ²Vᵀ and
     * Uᵀg = Σ⁻¹VᵀJᵀg, so d = Σ_i σ_i^(−κ−1)(v_iᵀJᵀg)v_i.
     *
     * @param jacobian J, (rows, P)
     * @param g the loss gradient, rows values
     * @param truncation the relative eigenvalue cut-off, applied to σ = √λ
     * @param kappa the exponent κ
     * @return d, P values
     * @throws IllegalArgumentException if g's length is not J's row count or J or g is not finite
     * @throws IllegalStateException if the eigendecomposition fails and so does the SVD it then falls back to
     */
    public static double[] solveByGramEigen(Tensor jacobian, double[] g, double truncation, double kappa) {
        int rows = jacobian.dim(0);
        int cols = jacobian.dim(1);
        if (g.length != rows) {
            throw new IllegalArgumentException("HIG: g has " + g.length + " entries for a Jacobian with " + rows
                    + " rows");
        }
        double[] j = requireFinite(jacobian, g);
        boolean wide = rows <= cols;
        Tensor gram = wide ? jacobian.matmul(jacobian.transpose()) : jacobian.transpose().matmul(jacobian);
        int n = gram.dim(0);
        // EJML's symmetric QR algorithm, allowed more iterations than its default: with the default it gave up on
        // some of the sin problem's Gram matrices. Should it still fail, the SVD of J answers instead.
        SymmetricQRAlgorithmDecomposition_DDRM eig = new SymmetricQRAlgorithmDecomposition_DDRM(true);
        eig.setMaxIterations(1000);
        if (!eig.decompose(DMatrixRMaj.wrap(n, n, gram.toDoubleArray()))) {
            return solve(jacobian, g, truncation, kappa);
        }
        double[] sigma = new double[n];
        double max = 0;
        for (int i = 0; i < n; i++) {
            sigma[i] = Math.sqrt(Math.max(0, eig.getEigenvalue(i).getReal()));
            max = Math.max(max, sigma[i]);
        }
        double[] rhs = wide ? g : transposeTimes(j, rows, cols, g);   // g or Jᵀg, length n
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(sigma[i] > truncation * max) || sigma[i] == 0) {
                continue;
            }
            DMatrixRMaj e = eig.getEigenVector(i);
            double dot = 0;
            for (int k = 0; k < n; k++) {
                dot += e.get(k) * rhs[k];
            }
            double coefficient = dot * StrictMath.pow(sigma[i], -kappa - 1);
            for (int k = 0; k < n; k++) {
                w[k] += coefficient * e.get(k);
            }
        }
        return wide ? transposeTimes(j, rows, cols, w) : w;
    }

    /** J's entries, after checking that they and g are finite (a diverged run otherwise fails inside EJML). */
    private static double[] requireFinite(Tensor jacobian, double[] g) {
        double[] j = jacobian.toDoubleArray();
        for (double[] values : new double[][] {j, g}) {
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("HIG: the " + jacobian.dim(0) + " × " + jacobian.dim(1)
                            + " Jacobian or the loss gradient has a non-finite entry (" + v + "); the outputs or"
                            + " parameters have diverged, try a smaller learning rate");
                }
            }
        }
        return j;
    }

    /** Jᵀv for J (rows × cols) row-major. */
    private static double[] transposeTimes(double[] j, int rows, int cols, double[] v) {
        double[] out = new double[cols];
        for (int r = 0; r < rows; r++) {
            double vr = v[r];
            int offset = r * cols;
            for (int c = 0; c < cols; c++) {
                out[c] += j[offset + c] * vr;
            }
        }
        return out;
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
