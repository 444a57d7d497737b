package io.sipflow.physics.problem;

/**
 * The SIP paper's Newton step for a small per-example minimisation (the authors' {@code newton_minimization} in
 * {@code sin_characterization/newton.py}), for a 2-D x: in the eigenbasis H = Σ_k λ_k e_k e_kᵀ, with gradient
 * components g_k = ∇·e_k,
 * <pre>
 *   n_k = −g_k / λ_k                                    (0 where λ_k = 0)
 *   λ̄   = √|λ₁λ₂|                                       (geometric mean of |λ|)
 *   |n_k| ← |n_k|                     where λ_k &gt; λ̄   (well-curved directions: the plain Newton step)
 *   |n_k| ← min(|n_k|, |c / g_k|)     elsewhere        (flat or concave: the loss may drop by about c at most)
 *   Δx = Σ_k sign(−g_k)·|n_k|·e_k                       (always downhill)
 * </pre>
 * with c the maximum loss change. Flat directions would otherwise get huge steps, concave ones uphill steps.
 */
final class NewtonStep {
    private NewtonStep() {
    }

    static double[] limited(double[] grad, double[][] hessian, double maxLossChange) {
        double p = hessian[0][0];
        double q = 0.5 * (hessian[0][1] + hessian[1][0]);
        double r = hessian[1][1];
        double theta = 0.5 * StrictMath.atan2(2 * q, p - r);
        double c = StrictMath.cos(theta);
        double s = StrictMath.sin(theta);
        double[][] e = {{c, s}, {-s, c}};
        double[] lambda = {p * c * c + 2 * q * s * c + r * s * s, p * s * s - 2 * q * s * c + r * c * c};
        double mean = Math.sqrt(Math.abs(lambda[0] * lambda[1]));
        double[] step = new double[2];
        for (int k = 0; k < 2; k++) {
            double g = grad[0] * e[k][0] + grad[1] * e[k][1];
            double newton = lambda[k] == 0 ? 0 : Math.abs(g / lambda[k]);
            double limit = lambda[k] > mean ? newton : (g == 0 ? 0 : Math.abs(maxLossChange / g));
            double nk = Math.min(newton, limit) * Math.signum(-g);
            step[0] += nk * e[k][0];
            step[1] += nk * e[k][1];
        }
        return step;
    }

    /**
     * {@link #limited(double[], double[][], double)} in float arithmetic (the authors' torch runs it in FLOAT32),
     * every product, sum and root rounded to float. The eigenbasis comes from the Jacobi rotation that LAPACK's
     * 2 × 2 symmetric eigensolver uses, not from an angle: with τ = (r − p)/(2q),
     * <pre>
     *   t = sign(τ)/(|τ| + √(1 + τ²)),  c = 1/√(1 + t²),  s = t·c
     *   λ₁ = p − t·q  along (c, −s),     λ₂ = r + t·q  along (s, c)
     * </pre>
     * so a diagonal Hessian (q = 0, the sin problem at φ = 0) keeps its exact axes. An angle's cosine cannot: in float
     * cos(π/2) is −4.4e-8, enough to leak the stiff direction's gradient (×640 at ξ = 64) into the flat one.
     */
    static float[] limited(float[] grad, float[][] hessian, float maxLossChange) {
        float p = hessian[0][0];
        float q = 0.5f * (hessian[0][1] + hessian[1][0]);
        float r = hessian[1][1];
        float t = 0;
        if (q != 0) {
            float tau = (r - p) / (2 * q);
            float root = Math.abs(tau) > 1e18f ? Math.abs(tau) : (float) Math.sqrt(1 + tau * tau);
            t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + root);
        }
        float c = 1 / (float) Math.sqrt(1 + t * t);
        float s = t * c;
        float[][] e = {{c, -s}, {s, c}};
        float[] lambda = {p - t * q, r + t * q};
        float mean = (float) Math.sqrt(Math.abs(lambda[0] * lambda[1]));
        float[] step = new float[2];
        for (int k = 0; k < 2; k++) {
            float g = grad[0] * e[k][0] + grad[1] * e[k][1];
            float newton = lambda[k] == 0 ? 0 : Math.abs(g / lambda[k]);
            float limit = lambda[k] > mean ? newton : (g == 0 ? 0 : Math.abs(maxLossChange / g));
            float nk = Math.min(newton, limit) * Math.signum(-g);
            step[0] += nk * e[k][0];
            step[1] += nk * e[k][1];
        }
        return step;
    }
}
