package io.sipflow.autodiff;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A linear solve you can differentiate through: x = A⁻¹b by conjugate gradients, with an implicit (adjoint) VJP.
 * <pre>{@code
 * Tensor diagonal = Tensor.vector(2, 4, 8);               // A = diag(2, 4, 8): symmetric positive definite
 * Tensor b = Tensor.vector(2, 8, 32).variable();
 * Tensor x = Solve.cg(v -> v.mul(diagonal), b, 1e-12, 100);   // x = A⁻¹b
 * double last = Math.round(x.get(2) * 1e6) / 1e6;          // → 4.0
 * Tensor dLdb = Autodiff.grad(x.sum(), b).get(b);          // ∂Σx/∂b = A⁻ᵀ·1, one more CG solve
 * double first = Math.round(dLdb.get(0) * 1e6) / 1e6;      // → 0.5
 * }</pre>
 * With the 5-point Laplacian of module {@code physics}, {@code Solve.cg(Laplace::apply, x, 1e-5, 1000)} solves
 * ∇²y = x as PhiFlow's {@code solve_linear} does; the loss ½‖y − y*‖² then has ∂L/∂x = A⁻ᵀ(y − y*), found by one
 * more CG solve rather than by differentiating the iterations.
 *
 * <p><b>The operator.</b> {@code operator} is a linear function on tensors of b's shape that is <em>symmetric</em>
 * (⟨u, Av⟩ = ⟨Au, v⟩) and <em>definite</em>: either positive definite or negative definite. CG needs no sign flip
 * for a negative definite A: its iterates for (A, b) equal those for (−A, −b), because every step size
 * α = ‖r‖²/⟨p, Ap⟩ changes sign with A while the search directions do not. So the 5-point Laplacian with zero
 * boundary values, which is negative definite, is passed as it is. An indefinite or singular operator can make
 * ⟨p, Ap⟩ vanish; that is reported as an error, never returned as a solution.
 *
 * <p><b>Batches.</b> For b of rank ≥ 2, axis 0 indexes independent systems (a batch of fields), and the operator
 * must not mix examples (each example's output depends only on that example's input). Every example has its own
 * step sizes and its own stopping test ‖r_i‖ ≤ tolerance·‖b_i‖ (the relative test of PhiFlow's CG, with absolute
 * tolerance 0); an example that has converged stops moving while the others go on. A rank-1 b is one system.
 * Everything is computed in b's type (FLOAT32 or FLOAT64), whatever precision scope is open.
 *
 * <p><b>Range.</b> The stopping test uses squared norms, so an example whose values lie far from 1 (|b| ~ 1e160
 * or 1e-200) is solved scaled by a power of two and scaled back: exact in binary floating point, and the solution
 * still scales linearly with b. Ordinary magnitudes are not touched (see {@code ExampleScaling}).
 *
 * <p><b>Errors.</b> If some example has not converged after {@code maxIterations} operator applications, or CG
 * breaks down, {@link NotConverged} names the iterations done and the worst relative residual reached.
 *
 * <p><b>Gradients (implicit differentiation).</b> For x = A(θ)⁻¹b and a loss gradient g = ∂L/∂x, with λ = A⁻ᵀg
 * (= A⁻¹g, A symmetric) solved by the same CG:
 * <pre>
 *   ∂L/∂b = λ,      ∂L/∂θ = −λᵀ·(∂A/∂θ)·x
 * </pre>
 * The second is found without knowing what θ is: after the forward solve the operator is applied once more, to
 * the constant solution x, while the graph is recorded; the output then depends on v = A(θ)x with gradient −λ,
 * and the graph of v carries that back to whatever tensors the operator closes over (a weight field, a
 * diffusivity). An operator without variables records nothing there and costs one extra application.
 *
 * <p><b>Second order.</b> With a recorded backward pass the gradient with respect to b (λ, one more differentiable
 * solve) can be differentiated again; the gradient with respect to the operator's variables cannot (it throws
 * {@link UnsupportedOperationException} naming solve_cg when differentiated).
 */
public final class Solve {
    private Solve() {
    }

    /** CG did not reach its tolerance: how far it got. */
    public static final class NotConverged extends ArithmeticException {
        /** Operator applications done before CG stopped. */
        private final int iterations;
        /** The worst example's ‖r‖/‖b‖ when CG stopped. */
        private final double relativeResidual;

        NotConverged(String message, int iterations, double relativeResidual) {
            super(message);
            this.iterations = iterations;
            this.relativeResidual = relativeResidual;
        }

        /** {@return the operator applications done inside the iteration} */
        public int iterations() {
            return iterations;
        }

        /** {@return the worst example's ‖r‖/‖b‖ when CG stopped} */
        public double relativeResidual() {
            return relativeResidual;
        }
    }

    /**
     * {@link #cg(UnaryOperator, Tensor, double, int, Tensor)} from x0 = 0.
     *
     * @param operator the symmetric definite linear map A, on tensors of b's shape
     * @param b the right-hand side; axis 0 indexes independent systems for rank ≥ 2
     * @param tolerance the relative residual ‖r‖/‖b‖ to reach per example, ≥ 0
     * @param maxIterations the most operator applications, ≥ 0
     * @return x with A(x) ≈ b, of b's shape and type, differentiable with respect to b and the operator's variables
     * @throws NotConverged if some example is not within tolerance after {@code maxIterations} iterations, or CG
     *         breaks down on an indefinite or singular operator
     * @throws IllegalArgumentException if the tolerance is negative or NaN, or maxIterations is negative
     */
    public static Tensor cg(UnaryOperator<Tensor> operator, Tensor b, double tolerance, int maxIterations) {
        return cg(operator, b, tolerance, maxIterations, null);
    }

    /**
     * Solves A(x) = b by conjugate gradients from {@code x0} (null: zeros) until ‖r‖ ≤ tolerance·‖b‖ per example.
     * Differentiable with respect to b and to any variables the operator uses; x0 gets no gradient (the solution
     * does not depend on it).
     *
     * @param operator the symmetric definite linear map A, on tensors of b's shape
     * @param b the right-hand side; axis 0 indexes independent systems for rank ≥ 2
     * @param tolerance the relative residual ‖r‖/‖b‖ to reach per example, ≥ 0
     * @param maxIterations the most operator applications, ≥ 0
     * @param x0 the starting guess, of b's shape, or null for zeros
     * @return x with A(x) ≈ b, of b's shape and type
     * @throws NotConverged if some example is not within tolerance after {@code maxIterations} iterations, or CG
     *         breaks down on an indefinite or singular operator
     * @throws IllegalArgumentException if the tolerance is negative or NaN, maxIterations is negative, or x0's shape
     *         differs from b's
     */
    public static Tensor cg(UnaryOperator<Tensor> operator, Tensor b, double tolerance, int maxIterations,
                            Tensor x0) {
        if (!(tolerance >= 0) || maxIterations < 0) {
            throw new IllegalArgumentException("Solve.cg: need tolerance ≥ 0 and maxIterations ≥ 0, got "
                    + tolerance + " and " + maxIterations);
        }
        if (x0 != null && !x0.shape().equals(b.shape())) {
            throw new IllegalArgumentException("Solve.cg: x0 has shape " + x0.shape() + ", b has " + b.shape());
        }
        Tensor x = Autodiff.noGrad(() -> iterate(operator, b, tolerance, maxIterations, x0));
        // v = A(θ)·stop(x), recorded: the route of the operator-parameter gradient −λᵀ(∂A/∂θ)x.
        Tensor v = Graph.isRecording() ? operator.apply(x) : null;
        Tensor[] inputs = v != null && v.requiresGrad() ? new Tensor[] {b, v} : new Tensor[] {b};
        DType dtype = b.dtype();
        return Graph.record("solve_cg", x, inputs, g -> {
            if (Graph.isRecording()) {
                return recordedGradients(operator, g.to(dtype), tolerance, maxIterations, inputs.length);
            }
            Tensor lambda = iterate(operator, g.to(dtype), tolerance, maxIterations, null);
            return inputs.length == 1 ? new Tensor[] {lambda} : new Tensor[] {lambda, lambda.neg()};
        });
    }

    /**
     * The VJP for a recorded backward pass ({@link Autodiff.Differentiable#YES}): λ = A⁻¹g is itself a
     * differentiable solve, linear in g (its VJP is one more solve) and depending on the operator's variables as any
     * solve does, so ∂L/∂b = λ can be differentiated again. The operator-parameter route −λᵀ(∂A/∂θ)x is carried by
     * A(θ)·stop(x), which holds x as a constant: its derivative in x would be lost, so differentiating it again
     * throws, naming solve_cg, instead.
     */
    private static Tensor[] recordedGradients(UnaryOperator<Tensor> operator, Tensor g, double tolerance,
                                              int maxIterations, int inputCount) {
        Tensor lambda = cg(operator, g, tolerance, maxIterations);
        if (inputCount == 1) {
            return new Tensor[] {lambda};
        }
        Tensor toOperator = SecondOrder.firstOrderOnly("solve_cg", "the gradient with respect to the operator's"
                + " variables holds the solution as a constant", lambda.neg(), lambda, g);
        return new Tensor[] {lambda, toOperator};
    }

    /**
     * CG on constant values (no graph), per example along axis 0 for rank ≥ 2; an example far outside magnitude 1
     * is solved scaled by a power of two and scaled back ({@link ExampleScaling}), so 1e160 or 1e-200 solve
     * like 1 instead of passing the stopping test at once.
     */
    static Tensor iterate(UnaryOperator<Tensor> operator, Tensor b, double tolerance, int maxIterations, Tensor x0) {
        ExampleScaling scaling = ExampleScaling.of(b);
        if (scaling == null) {
            return iterateInRange(operator, b, tolerance, maxIterations, x0);
        }
        Tensor start = x0 == null ? null : scaling.shrink(x0.stopGradient().to(b.dtype()));
        return scaling.restore(iterateInRange(operator, scaling.shrink(b), tolerance, maxIterations, start));
    }

    /** Plain CG, for b whose squared norms neither overflow nor underflow. */
    private static Tensor iterateInRange(UnaryOperator<Tensor> operator, Tensor b, double tolerance, int maxIterations,
                                         Tensor x0) {
        try (Precision ignored = Precision.none()) {
            DType dtype = b.dtype();
            Tensor x = x0 == null ? Tensor.full(dtype, b.shape(), 0.0) : x0.stopGradient().to(dtype);
            Tensor r = x0 == null ? b : b.sub(apply(operator, x, b));
            Tensor p = r;
            double[] bb = dot(b, b);
            double[] rr = dot(r, r);
            for (int iteration = 0; ; iteration++) {
                boolean[] active = unconverged(rr, bb, tolerance);
                if (active == null) {
                    return x;
                }
                if (iteration == maxIterations) {
                    throw notConverged("not converged after " + iteration + " iterations", iteration, rr, bb,
                            tolerance);
                }
                Tensor ap = apply(operator, p, b);
                Tensor alpha = perExample(stepSizes(active, rr, dot(p, ap), iteration, bb, tolerance), b);
                Tensor xStep = alpha.mul(p);
                Tensor xNew = x.add(xStep);
                Tensor rStep = alpha.mul(ap);
                Tensor rNew = r.sub(rStep);
                double[] rrNew = dot(rNew, rNew);
                double[] beta = new double[bb.length];
                for (int i = 0; i < bb.length; i++) {
                    beta[i] = active[i] ? rrNew[i] / rr[i] : 0;
                }
                Tensor pStep = perExample(beta, b).mul(p);
                Tensor pNew = rNew.add(pStep);
                for (Tensor step : new Tensor[] {xStep, rStep, pStep}) { // each read once, just above
                    BufferPool.recycleTemporary(step, "solve_cg");
                }
                recycleOperatorResult(ap, x, r, p, b, xNew, rNew, pNew);
                if (iteration > 0) { // x, r and p were made by the previous iteration, read by nothing after this one
                    BufferPool.recycleTemporary(x, "solve_cg");
                    BufferPool.recycleTemporary(r, "solve_cg");
                    BufferPool.recycleTemporary(p, "solve_cg");
                }
                x = xNew;
                r = rNew;
                p = pNew;
                rr = rrNew;
            }
        }
    }

    /**
     * Gives back A·p, read by nothing after its iteration, unless it shares an array with a vector CG still holds:
     * an operator may return its input or a view of it (the identity, a reshape).
     */
    private static void recycleOperatorResult(Tensor ap, Tensor... held) {
        Object array = ap.hostArray();
        if (array == null) {
            return;
        }
        for (Tensor t : held) {
            if (t.holdsArray(array)) {
                return;
            }
        }
        BufferPool.recycleTemporary(ap, "solve_cg's operator");
    }

    /** Which examples still have ‖r‖ &gt; tolerance·‖b‖; null when none does. */
    private static boolean[] unconverged(double[] rr, double[] bb, double tolerance) {
        boolean[] active = new boolean[bb.length];
        boolean any = false;
        for (int i = 0; i < bb.length; i++) {
            active[i] = !(rr[i] <= tolerance * tolerance * bb[i]);
            any |= active[i];
        }
        return any ? active : null;
    }

    /** α_i = ‖r_i‖²/⟨p_i, Ap_i⟩ for active examples, 0 for converged ones; a vanishing ⟨p, Ap⟩ is a breakdown. */
    private static double[] stepSizes(boolean[] active, double[] rr, double[] pAp, int iteration, double[] bb,
                                      double tolerance) {
        double[] alpha = new double[rr.length];
        for (int i = 0; i < rr.length; i++) {
            if (active[i]) {
                alpha[i] = rr[i] / pAp[i];
                if (!Double.isFinite(alpha[i]) || pAp[i] == 0) {
                    throw notConverged("broke down at iteration " + iteration + " (⟨p, Ap⟩ = " + pAp[i]
                            + " in example " + i + ": is the operator symmetric and definite?)",
                            iteration, rr, bb, tolerance);
                }
            }
        }
        return alpha;
    }

    private static Tensor apply(UnaryOperator<Tensor> operator, Tensor v, Tensor b) {
        Tensor out = operator.apply(v);
        if (!out.shape().equals(b.shape())) {
            throw new IllegalArgumentException("Solve.cg: the operator maps " + v.shape() + " to " + out.shape()
                    + "; it must keep the shape of b");
        }
        return out.dtype() == b.dtype() ? out : out.to(b.dtype());
    }

    /** ⟨u_i, v_i⟩ per example (one value for a rank-1 tensor), accumulated in double. */
    private static double[] dot(Tensor u, Tensor v) {
        double[] a = u.dtype() == DType.FLOAT64 ? u.doubleData() : u.toDoubleArray(); // read only: no copy needed
        double[] c = v.dtype() == DType.FLOAT64 ? v.doubleData() : v.toDoubleArray();
        int examples = examples(u);
        int n = a.length / Math.max(examples, 1);
        double[] out = new double[examples];
        for (int i = 0; i < examples; i++) {
            double s = 0;
            for (int k = i * n; k < (i + 1) * n; k++) {
                s += a[k] * c[k];
            }
            out[i] = s;
        }
        return out;
    }

    private static int examples(Tensor t) {
        return t.rank() >= 2 ? t.dim(0) : 1;
    }

    /** Per-example scalars shaped (B, 1, …, 1) in b's type, to broadcast against a field. */
    private static Tensor perExample(double[] values, Tensor b) {
        int[] dims = new int[b.rank()];
        Arrays.fill(dims, 1);
        if (b.rank() >= 2) {
            dims[0] = values.length;
        }
        return Tensor.of(b.dtype(), Shape.of(dims), values);
    }

    private static NotConverged notConverged(String what, int iterations, double[] rr, double[] bb,
                                             double tolerance) {
        double worst = 0;
        int at = 0;
        for (int i = 0; i < rr.length; i++) {
            double rel = Math.sqrt(rr[i] / bb[i]);
            if (!(rel <= worst)) {
                worst = rel;
                at = i;
            }
        }
        String msg = String.format(Locale.ROOT, "Solve.cg: %s: relative residual ‖r‖/‖b‖ = %.3e in example %d"
                + " of %d, tolerance %.1e; raise maxIterations or check the operator", what, worst, at, rr.length,
                tolerance);
        return new NotConverged(msg, iterations, worst);
    }
}
