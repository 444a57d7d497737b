package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hessian-free optimisation (Martens, ICML 2010) with the Gauss–Newton matrix: each step minimises the damped
 * quadratic model of the loss around θ by a capped run of conjugate gradients,
 * <pre>
 * (G + λI)·d = −g          G = JᵀJ for a least-squares loss L = ½‖r(θ)‖² (J = ∂r/∂θ), g = Jᵀr
 * θ ← θ + d
 * </pre>
 * and adapts the Tikhonov damping λ by the Levenberg–Marquardt rule on the reduction ratio
 * <pre>
 * ρ = (L(θ + d) − L(θ)) / q(d),   q(d) = gᵀd + ½·dᵀG·d = ½·gᵀd − ½·λ·‖d‖²
 * ρ &lt; ¼ → λ ← 3/2·λ;   ρ &gt; ¾ → λ ← 2/3·λ
 * </pre>
 * (the second form of q holds at conjugate-gradient iterates started at 0, where dᵀ(G + λI)d = −gᵀd: no extra
 * product). There is no learning rate: d is the step.
 * <pre>{@code
 * HessianFree hf = new HessianFree(net.parameters(), HessianFree.Settings.DEFAULTS);
 * Gradients d = hf.direction(g, v -> gaussNewtonProduct(v));   // g keyed by the parameters' values
 * double before = loss(net);
 * hf.step(d);                                                  // θ ← θ + d
 * hf.adjustDamping(before, loss(net));                         // λ for the next step
 * }</pre>
 */
public final class HessianFree implements Optimizer {
    /**
     * Hessian-free's settings.
     *
     * @param damping       the initial Tikhonov damping λ ≥ 0
     * @param cgIterations  the cap on conjugate-gradient iterations (products of G) per step, ≥ 1
     * @param cgTolerance   conjugate gradients also stop when ‖r‖ ≤ tolerance·‖g‖, in [0, 1)
     * @param adaptDamping  whether λ follows the Levenberg–Marquardt rule (otherwise it stays fixed)
     */
    public record Settings(double damping, int cgIterations, double cgTolerance, boolean adaptDamping) {
        /** λ₀ = 1, at most 10 conjugate-gradient iterations, tolerance 1e-6, Levenberg–Marquardt on. */
        public static final Settings DEFAULTS = new Settings(1, 10, 1e-6, true);

        /**
         * Checks every setting.
         *
         * @param damping      ≥ 0
         * @param cgIterations ≥ 1
         * @param cgTolerance  in [0, 1)
         * @param adaptDamping whether the Levenberg–Marquardt rule adapts λ
         * @throws IllegalArgumentException naming every value, if one is out of range
         */
        public Settings {
            if (!(damping >= 0) || !Double.isFinite(damping) || cgIterations < 1 || !(cgTolerance >= 0)
                    || !(cgTolerance < 1)) {
                throw new IllegalArgumentException("HessianFree: need a finite damping >= 0, at least 1 CG iteration"
                        + " and a CG tolerance in [0, 1); got damping=" + damping + " CG iterations=" + cgIterations
                        + " CG tolerance=" + cgTolerance);
            }
        }
    }

    /** Levenberg–Marquardt thresholds and factors (Martens 2010, section 4.1). */
    private static final double RHO_LOW = 0.25;
    private static final double RHO_HIGH = 0.75;
    private static final double INCREASE = 1.5;
    private static final double DECREASE = 2.0 / 3.0;

    private final List<Parameter> params;
    private final Settings settings;
    private double lambda;
    private long t;
    private double predicted = Double.NaN;
    private int lastIterations;

    /**
     * Hessian-free at step 0 with λ = the settings' damping.
     *
     * @param params   the parameters to update, in order (copied)
     * @param settings damping and conjugate-gradient settings
     */
    public HessianFree(List<Parameter> params, Settings settings) {
        this.params = List.copyOf(params);
        this.settings = settings;
        this.lambda = settings.damping();
    }

    /** {@return the settings} */
    public Settings settings() {
        return settings;
    }

    /** {@return the current damping λ} */
    public double damping() {
        return lambda;
    }

    /** {@return the conjugate-gradient iterations (products of G) the last {@link #direction} took} */
    public int lastIterations() {
        return lastIterations;
    }

    /**
     * Solves (G + λI)·d = −g by capped conjugate gradients and remembers q(d) for {@link #adjustDamping}.
     *
     * @param gradient    g, keyed by the parameters' current values
     * @param gaussNewton v ↦ G·v, one tensor per parameter in {@link #parameters()} order, each of its shape
     * @return d, keyed by the parameters' current values, in their types
     * @throws IllegalArgumentException if a parameter has no gradient, naming it
     */
    public Gradients direction(Gradients gradient, UnaryOperator<List<Tensor>> gaussNewton) {
        double[][] b = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            double[] g = Optimizer.gradientOf("HessianFree", params.get(i), gradient).toDoubleArray();
            for (int e = 0; e < g.length; e++) {
                g[e] = -g[e];
            }
            b[i] = g;
        }
        ConjugateGradient.Result solved = ConjugateGradient.solve(v -> arrays(gaussNewton.apply(tensors(v))), lambda,
                b, settings.cgIterations(), settings.cgTolerance());
        double[][] d = solved.x();
        lastIterations = solved.iterations();
        // q(d) = ½·gᵀd − ½·λ·‖d‖², with g = −b
        predicted = -0.5 * ConjugateGradient.dot(b, d) - 0.5 * lambda * ConjugateGradient.dot(d, d);
        List<Tensor> values = new ArrayList<>(params.size());
        List<Tensor> keys = new ArrayList<>(params.size());
        List<Tensor> direction = tensors(d);
        for (int i = 0; i < params.size(); i++) {
            keys.add(params.get(i).value());
            values.add(direction.get(i));
        }
        return Gradients.of(keys, values);
    }

    /**
     * θ ← θ + d, with d from {@link #direction}.
     *
     * @param direction d for each parameter's current value
     * @throws IllegalArgumentException if a parameter has no entry, naming it
     */
    @Override
    public void step(Gradients direction) {
        Tensor[] d = new Tensor[params.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Optimizer.gradientOf("HessianFree", params.get(i), direction);
        }
        for (int i = 0; i < d.length; i++) {
            Parameter p = params.get(i);
            double[] theta = p.value().toDoubleArray();
            double[] di = d[i].toDoubleArray();
            for (int e = 0; e < theta.length; e++) {
                theta[e] += di[e];
            }
            p.set(Tensor.of(p.dtype(), p.shape(), theta));
        }
        t++;
    }

    /**
     * The Levenberg–Marquardt rule of the class comment, after a step: a non-finite loss after the step, or a model
     * that predicted no decrease, counts as ρ &lt; ¼. Does nothing when the settings turn adaptation off.
     *
     * @param before L(θ) on the step's batch
     * @param after  L(θ + d) on the same batch
     * @return ρ (NaN when q(d) was 0 or not finite)
     */
    public double adjustDamping(double before, double after) {
        double rho = predicted < 0 ? (after - before) / predicted : Double.NaN;
        if (settings.adaptDamping()) {
            if (!(rho >= RHO_LOW) || !Double.isFinite(after)) {
                lambda *= INCREASE;
            } else if (rho > RHO_HIGH) {
                lambda *= DECREASE;
            }
        }
        return rho;
    }

    private List<Tensor> tensors(double[][] v) {
        List<Tensor> out = new ArrayList<>(v.length);
        for (int i = 0; i < v.length; i++) {
            out.add(Tensor.of(params.get(i).dtype(), params.get(i).shape(), v[i]));
        }
        return out;
    }

    private static double[][] arrays(List<Tensor> v) {
        double[][] out = new double[v.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i).toDoubleArray();
        }
        return out;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public long steps() {
        return t;
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> s = new LinkedHashMap<>();
        s.put("hessian_free.t", OptimizerState.scalar(t));
        s.put("hessian_free.damping", OptimizerState.scalar(lambda));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor steps = OptimizerState.require(state, "hessian_free.t", Shape.scalar());
        Tensor damping = OptimizerState.require(state, "hessian_free.damping", Shape.scalar());
        t = (long) steps.item();
        lambda = damping.item();
        predicted = Double.NaN;
    }
}
