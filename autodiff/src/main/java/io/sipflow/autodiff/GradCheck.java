package io.sipflow.autodiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Checks an op's VJP against central finite differences, so users can test their own ops exactly as the library
 * tests its own.
 * <pre>{@code
 * Tensor a = Tensor.vector(1, 2, 3);
 * Tensor b = Tensor.vector(-1, 0.5, 4);
 * GradCheck.Report r = GradCheck.check("mul", in -> in[0].mul(in[1]), a, b);
 * r.assertPassed();                  // else an AssertionError naming op, worst element and seed
 * boolean passed = r.passed();       // → true
 * }</pre>
 * The function may return any shape: it is reduced to a scalar with a random cotangent v, L(x) = Σ v·f(x).
 * Analytic gradients come from {@link Autodiff#vjp} at the inputs' own types; numeric ones from
 * (L(x + εd) − L(x − εd)) / 2ε evaluated in FLOAT64 (inputs widened), both
 * <ul>
 *   <li>along {@link Options#directions} random directions d (JAX {@code check_grads}, PyTorch fast gradcheck), and</li>
 *   <li>per element (d = unit vector) for inputs of at most {@link Options#maxElementwise} elements.</li>
 * </ul>
 * The pass criterion is |analytic − numeric| ≤ atol + rtol·max(|analytic|, |numeric|) with tolerances named by
 * the inputs' widest-error type ({@link Tolerance#FLOAT64}, {@link Tolerance#FLOAT32}).
 */
public final class GradCheck {
    private GradCheck() {
    }

    /**
     * Allowed difference between analytic and numeric derivatives: |analytic − numeric| ≤ atol + rtol·max(|analytic|,
     * |numeric|).
     *
     * @param rtol the relative part
     * @param atol the absolute part
     */
    public record Tolerance(double rtol, double atol) {
        /** Analytic in 64-bit against 64-bit differences with ε = 1e-6: agreement to about 1e-7 relative. */
        public static final Tolerance FLOAT64 = new Tolerance(1e-5, 1e-7);
        /** Analytic in 32-bit (≈ 7 digits) against 64-bit differences. */
        public static final Tolerance FLOAT32 = new Tolerance(2e-2, 2e-3);

        /**
         * The tolerance for analytic gradients computed in {@code d}.
         *
         * @param d the type the analytic gradients were computed in
         * @return {@link #FLOAT64} for FLOAT64, else {@link #FLOAT32}
         */
        public static Tolerance of(DType d) {
            return d == DType.FLOAT64 ? FLOAT64 : FLOAT32;
        }

        boolean accepts(double analytic, double numeric) {
            return Math.abs(analytic - numeric) <= atol + rtol * Math.max(Math.abs(analytic), Math.abs(numeric));
        }
    }

    /**
     * How thoroughly to check.
     *
     * @param seed seeds the cotangent and the random directions
     * @param epsilon the finite-difference step ε, in the inputs' units
     * @param directions how many random directions to compare along
     * @param maxElementwise inputs with at most this many elements are also compared element by element
     * @param tolerance the tolerance, or null to take it from the inputs' types
     */
    public record Options(long seed, double epsilon, int directions, int maxElementwise, Tolerance tolerance) {
        /** {@return seed 0, ε = 1e-6, 3 directions, elementwise up to 64 elements, tolerance from the input types} */
        public static Options defaults() {
            return new Options(0L, 1e-6, 3, 64, null);
        }

        /**
         * For {@link #checkSecondOrder}: as {@link #defaults()} with ε = 1e-4. The function differenced there is a
         * sum over a whole backward pass, whose rounding error divided by ε swamps small derivatives at ε = 1e-6;
         * its differences are of fourth order (error ∝ ε⁴), so the larger ε costs no accuracy (central differences
         * at 1e-4 missed 1/x's second derivative by 1e-4 relative).
         *
         * @return the options for second-order checks
         */
        public static Options secondOrder() {
            return defaults().withEpsilon(1e-4);
        }

        /**
         * These options with another seed.
         *
         * @param s the seed
         * @return a copy with {@code seed = s}
         */
        public Options withSeed(long s) {
            return new Options(s, epsilon, directions, maxElementwise, tolerance);
        }

        /**
         * These options with another finite-difference step.
         *
         * @param e ε, e.g. 1e-6 for FLOAT64 functions of values near 1
         * @return a copy with {@code epsilon = e}
         */
        public Options withEpsilon(double e) {
            return new Options(seed, e, directions, maxElementwise, tolerance);
        }

        /**
         * These options with a fixed tolerance.
         *
         * @param t the tolerance, or null to take it from the input types
         * @return a copy with {@code tolerance = t}
         */
        public Options withTolerance(Tolerance t) {
            return new Options(seed, epsilon, directions, maxElementwise, t);
        }

        /**
         * These options with another number of random directions.
         *
         * @param n how many directions, ≥ 0
         * @return a copy with {@code directions = n}
         */
        public Options withDirections(int n) {
            return new Options(seed, epsilon, n, maxElementwise, tolerance);
        }

        /**
         * These options with another elementwise limit.
         *
         * @param n inputs with at most n elements are compared element by element (0: none)
         * @return a copy with {@code maxElementwise = n}
         */
        public Options withMaxElementwise(int n) {
            return new Options(seed, epsilon, directions, n, tolerance);
        }
    }

    /**
     * One compared derivative.
     *
     * @param input the input's index, or −1 for a random direction (which moves all inputs)
     * @param element the flat element index, or −1 for a random direction
     * @param analytic the derivative from the VJP
     * @param numeric the central difference
     * @param passed whether the two agree within the tolerance
     */
    public record Comparison(int input, int element, double analytic, double numeric, boolean passed) {
    }

    /**
     * The outcome of a check: every comparison, the worst one, and what to print when it fails.
     *
     * @param op the name given to {@link GradCheck#check}
     * @param seed the seed used, to reproduce a failure
     * @param tolerance the tolerance applied
     * @param comparisons every compared derivative, random directions first
     */
    public record Report(String op, long seed, Tolerance tolerance, List<Comparison> comparisons) {
        /** {@return whether every comparison passed} */
        public boolean passed() {
            return comparisons.stream().allMatch(Comparison::passed);
        }

        /**
         * The comparison with the largest error relative to its tolerance (NaN counts as worst).
         *
         * @return that comparison, or null when nothing was compared
         */
        public Comparison worst() {
            Comparison worst = null;
            double worstScore = -1;
            for (Comparison c : comparisons) {
                double allowed = tolerance.atol() + tolerance.rtol() * Math.max(Math.abs(c.analytic()), Math.abs(c.numeric()));
                double score = Math.abs(c.analytic() - c.numeric()) / allowed;
                if (!(score <= worstScore)) { // NaN counts as worst
                    worstScore = score;
                    worst = c;
                }
            }
            return worst;
        }

        /** Throws an AssertionError describing the worst comparison unless every comparison passed. */
        public void assertPassed() {
            if (!passed()) {
                throw new AssertionError(toString());
            }
        }

        /**
         * {@return one line: op, verdict, failed count, seed, tolerances, and the worst comparison's place and values}
         */
        @Override
        public String toString() {
            Comparison w = worst();
            long failed = comparisons.stream().filter(c -> !c.passed()).count();
            String where = w == null ? "nothing compared"
                    : w.input() < 0 ? "a random direction across all inputs"
                    : "element " + w.element() + " of input " + w.input();
            return String.format(Locale.ROOT, "GradCheck %s: %s (%d of %d comparisons failed, seed %d, rtol %.1e atol %.1e); "
                            + "worst: %s analytic %.9g numeric %.9g",
                    op, failed == 0 ? "passed" : "FAILED", failed, comparisons.size(), seed, tolerance.rtol(),
                    tolerance.atol(), where, w == null ? Double.NaN : w.analytic(), w == null ? Double.NaN : w.numeric());
        }
    }

    /**
     * Checks {@code fn}'s gradients at {@code inputs} with default options.
     *
     * @param op a name for the report and its failure message
     * @param fn the function to check; it receives the inputs as variables and may return any shape
     * @param inputs the point to check at (copied; their types set the tolerance)
     * @return the report; call {@link Report#assertPassed()} in a test
     */
    public static Report check(String op, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return check(op, fn, Options.defaults(), inputs);
    }

    /**
     * Checks {@code fn}'s gradients at {@code inputs}.
     *
     * @param op a name for the report and its failure message
     * @param fn the function to check; it receives the inputs as variables and may return any shape; it is also
     *        called on shifted FLOAT64 copies without a graph
     * @param options seed, step, directions, elementwise limit and tolerance
     * @param inputs the point to check at
     * @return the report
     */
    public static Report check(String op, Function<Tensor[], Tensor> fn, Options options, Tensor... inputs) {
        return check(op, fn, x -> Autodiff.noGrad(() -> fn.apply(x)), options, false, inputs);
    }

    /**
     * Checks the derivative of {@code fn}'s VJP, i.e. the second order, as {@link #check} checks the first: with
     * random v (fn's output shape) and cᵢ (input i's shape) it builds the scalar function of the gradient
     * <pre>
     *   h(x) = Σᵢ Σ cᵢ · gᵢ(x)²,    gᵢ = ∂/∂xᵢ Σ v·fn(x)
     * </pre>
     * which is non-linear in g, so the VJPs themselves are differentiated: h's gradient from a recorded backward
     * pass ({@link Autodiff.Differentiable#YES}) and the outer backward, against central differences of h
     * evaluated with first-order gradients in FLOAT64, of fourth order:
     * (−h(x + 2εd) + 8h(x + εd) − 8h(x − εd) + h(x − 2εd)) / 12ε. Use {@link Options#secondOrder()}.
     * <pre>
     * GradCheck.checkSecondOrder("exp", in -> in[0].exp(), Options.secondOrder(), x).assertPassed();
     * </pre>
     *
     * @param op the name in the report
     * @param fn the function whose VJP is differentiated
     * @param options seed, ε (see {@link Options#secondOrder()}), directions, tolerance
     * @param inputs where to check
     * @return every comparison and the worst
     */
    public static Report checkSecondOrder(String op, Function<Tensor[], Tensor> fn, Options options,
                                          Tensor... inputs) {
        SplittableRandom rng = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
        Tensor shapeProbe = Autodiff.noGrad(() -> fn.apply(inputs.clone()));
        Tensor v = Tensor.randn(rng, shapeProbe.shape().dims()).to(DType.FLOAT64);
        Tensor[] c = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            c[i] = Tensor.randn(rng, inputs[i].shape().dims()).to(DType.FLOAT64);
        }
        Function<Tensor[], Tensor> recorded = x -> gradientEnergy(fn, x, v, c, Autodiff.Differentiable.YES);
        Function<Tensor[], Tensor> firstOrder = x -> {
            boolean was = Graph.isRecording();
            Graph.setRecording(true); // the numeric side runs fn's own (first-order) backward pass
            try {
                return gradientEnergy(fn, x, v, c, Autodiff.Differentiable.NO);
            } finally {
                Graph.setRecording(was);
            }
        };
        return check(op + " (second order)", recorded, firstOrder, options, true, inputs);
    }

    /** Σᵢ Σ cᵢ·gᵢ² for gᵢ = ∂⟨v, fn(x)⟩/∂xᵢ, with x made variables where they are not yet part of a graph. */
    private static Tensor gradientEnergy(Function<Tensor[], Tensor> fn, Tensor[] x, Tensor v, Tensor[] c,
                                         Autodiff.Differentiable differentiable) {
        Tensor[] xs = new Tensor[x.length];
        for (int i = 0; i < x.length; i++) {
            xs[i] = x[i].requiresGrad() ? x[i] : x[i].variable();
        }
        Tensor y = fn.apply(xs.clone());
        List<Tensor> g = Autodiff.vjp(y, v.to(y.dtype()), List.of(xs), Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.KEEP_GRAPH, differentiable).asList();
        Tensor energy = null;
        for (int i = 0; i < xs.length; i++) {
            Tensor term = g.get(i).square().mul(c[i].to(g.get(i).dtype())).sum();
            energy = energy == null ? term : energy.add(term);
        }
        return energy;
    }

    /**
     * The check itself: {@code analyticFn} is differentiated by {@link Autodiff#vjp} at the inputs' own types,
     * {@code numericFn} (no graph needed) is evaluated in FLOAT64 at shifted inputs.
     */
    private static Report check(String op, Function<Tensor[], Tensor> analyticFn,
                                Function<Tensor[], Tensor> numericFn, Options options, boolean fourthOrder,
                                Tensor... inputs) {
        SplittableRandom rng = new SplittableRandom(options.seed());
        Tensor[] vars = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            vars[i] = inputs[i].constant().variable();
        }
        Tensor out = analyticFn.apply(vars.clone());
        Tensor cotangent = Tensor.randn(rng, out.shape().dims()).to(out.dtype());
        List<Tensor> analytic = Autodiff.vjp(out, cotangent, List.of(vars), Autodiff.Disconnected.ZERO).asList();

        double[] v = cotangent.toDoubleArray();
        double[][] x64 = new double[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            x64[i] = inputs[i].toDoubleArray();
        }
        Tolerance tol = options.tolerance() != null ? options.tolerance() : Tolerance.of(narrowest(inputs, out));
        List<Comparison> comparisons = new ArrayList<>();
        for (int k = 0; k < options.directions(); k++) {
            double[][] dir = new double[inputs.length][];
            double expected = 0;
            for (int i = 0; i < inputs.length; i++) {
                dir[i] = Tensor.randn(rng, inputs[i].size()).toDoubleArray();
                double[] g = analytic.get(i).toDoubleArray();
                for (int e = 0; e < g.length; e++) {
                    expected += g[e] * dir[i][e];
                }
            }
            double numeric = directional(numericFn, inputs, x64, dir, v, options.epsilon(), fourthOrder);
            comparisons.add(new Comparison(-1, -1, expected, numeric, tol.accepts(expected, numeric)));
        }
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].size() > options.maxElementwise()) {
                continue;
            }
            double[] g = analytic.get(i).toDoubleArray();
            for (int e = 0; e < g.length; e++) {
                double[][] dir = new double[inputs.length][];
                for (int j = 0; j < inputs.length; j++) {
                    dir[j] = new double[inputs[j].size()];
                }
                dir[i][e] = 1;
                double numeric = directional(numericFn, inputs, x64, dir, v, options.epsilon(), fourthOrder);
                comparisons.add(new Comparison(i, e, g[e], numeric, tol.accepts(g[e], numeric)));
            }
        }
        return new Report(op, options.seed(), tol, comparisons);
    }

    private static DType narrowest(Tensor[] inputs, Tensor out) {
        DType d = out.dtype();
        for (Tensor t : inputs) {
            if (t.dtype() == DType.FLOAT32) {
                d = DType.FLOAT32;
            }
        }
        return d;
    }

    /**
     * (L(x + εd) − L(x − εd)) / 2ε with L = Σ v·f, f evaluated in FLOAT64 by the numeric function; of fourth order,
     * (−L(x + 2εd) + 8L(x + εd) − 8L(x − εd) + L(x − 2εd)) / 12ε.
     */
    private static double directional(Function<Tensor[], Tensor> fn, Tensor[] inputs, double[][] x, double[][] d,
                                      double[] v, double eps, boolean fourthOrder) {
        double plus = scalarLoss(fn, inputs, x, d, v, eps);
        double minus = scalarLoss(fn, inputs, x, d, v, -eps);
        if (!fourthOrder) {
            return (plus - minus) / (2 * eps);
        }
        double plus2 = scalarLoss(fn, inputs, x, d, v, 2 * eps);
        double minus2 = scalarLoss(fn, inputs, x, d, v, -2 * eps);
        return (8 * (plus - minus) - (plus2 - minus2)) / (12 * eps);
    }

    private static double scalarLoss(Function<Tensor[], Tensor> fn, Tensor[] inputs, double[][] x, double[][] d,
                                     double[] v, double step) {
        Tensor[] shifted = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            double[] s = new double[x[i].length];
            for (int e = 0; e < s.length; e++) {
                s[e] = x[i][e] + step * d[i][e];
            }
            shifted[i] = Tensor.wrap(inputs[i].shape(), s);
        }
        Tensor out;
        try (Precision ignored = Precision.use(DType.FLOAT64)) {
            out = fn.apply(shifted);
        }
        double sum = 0;
        for (int e = 0; e < v.length; e++) {
            sum += v[e] * out.getFlat(e);
        }
        return sum;
    }
}
