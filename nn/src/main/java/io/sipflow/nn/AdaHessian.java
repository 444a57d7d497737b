package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * AdaHessian (Yao, Gholami, Shen, Mustafa, Keutzer &amp; Mahoney, AAAI 2021): Adam with the squared gradient replaced
 * by the squared Hessian diagonal, which {@link Hutchinson} estimates each step. At step t, for each parameter θ
 * with gradient g and (spatially averaged) diagonal estimate D:
 * <pre>
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·D²
 * θ ← θ − lr · ( (m / (1 − β₁ᵗ)) / ((√v / √(1 − β₂ᵗ))ᵏ + ε) + wd·θ )
 * </pre>
 * with k the Hessian power. Defaults are the authors' optimizer's: lr 0.15, β = (0.9, 0.999), ε = 1e-4, k = 1,
 * weight decay 0.
 * <pre>{@code
 * AdaHessian opt = new AdaHessian(net.parameters(), AdaHessian.Settings.DEFAULTS, 0);
 * Tensor loss = ...;                                           // recorded, from net's parameters
 * Hutchinson.Estimate e = Hutchinson.estimate(loss, net.parameterValues(), opt.probes());
 * opt.curvature(e.diagonal());                                 // D for this step
 * opt.step(e.gradient());                                      // the update above
 * }</pre>
 * The probes of step t come from a generator seeded by (seed, t), so a run resumed from {@link #state()} draws the
 * same probes as one that never stopped.
 */
public final class AdaHessian implements Optimizer {
    /**
     * AdaHessian's hyper-parameters.
     *
     * @param lr           the learning rate, &gt; 0
     * @param beta1        decay of the gradient's moving average, in [0, 1)
     * @param beta2        decay of the squared diagonal's moving average, in [0, 1)
     * @param eps          added to the denominator, &gt; 0
     * @param hessianPower k in (0, 1]: 1 is the full Newton-like scaling, ½ its square root
     * @param weightDecay  the decoupled L2 factor wd ≥ 0
     */
    public record Settings(double lr, double beta1, double beta2, double eps, double hessianPower,
                           double weightDecay) {
        /** The authors' defaults: lr 0.15, β = (0.9, 0.999), ε = 1e-4, k = 1, wd = 0. */
        public static final Settings DEFAULTS = new Settings(0.15, 0.9, 0.999, 1e-4, 1, 0);

        /**
         * Checks every setting.
         *
         * @param lr           the learning rate, &gt; 0
         * @param beta1        in [0, 1)
         * @param beta2        in [0, 1)
         * @param eps          &gt; 0
         * @param hessianPower in (0, 1]
         * @param weightDecay  ≥ 0
         * @throws IllegalArgumentException naming every value, if one is out of range
         */
        public Settings {
            if (!(lr > 0) || !Double.isFinite(lr) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                    || !(eps > 0) || !Double.isFinite(eps) || !(hessianPower > 0 && hessianPower <= 1)
                    || !(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
                throw new IllegalArgumentException("AdaHessian: need finite lr > 0, 0 <= beta1, beta2 < 1, finite"
                        + " eps > 0, 0 < hessian power <= 1 and finite weight decay >= 0; got lr=" + lr + " beta1="
                        + beta1 + " beta2=" + beta2 + " eps=" + eps + " hessian power=" + hessianPower
                        + " weight decay=" + weightDecay);
            }
        }

        /**
         * The same settings at another learning rate.
         *
         * @param rate the learning rate
         * @return a copy with {@code lr = rate}
         * @throws IllegalArgumentException if the rate is out of range
         */
        public Settings withLearningRate(double rate) {
            return new Settings(rate, beta1, beta2, eps, hessianPower, weightDecay);
        }
    }

    private final List<Parameter> params;
    private final Settings settings;
    private final long seed;
    private final double[][] m;
    private final double[][] v;
    private long t;
    private Gradients pendingDiagonal;

    /**
     * AdaHessian with zero moments at step 0.
     *
     * @param params   the parameters to update, in order (copied)
     * @param settings the hyper-parameters
     * @param seed     seeds the Rademacher probes of every step
     */
    public AdaHessian(List<Parameter> params, Settings settings, long seed) {
        this.params = List.copyOf(params);
        this.settings = settings;
        this.seed = seed;
        this.m = new double[this.params.size()][];
        this.v = new double[this.params.size()][];
        for (int i = 0; i < m.length; i++) {
            m[i] = new double[this.params.get(i).value().size()];
            v[i] = new double[m[i].length];
        }
    }

    /** {@return the hyper-parameters} */
    public Settings settings() {
        return settings;
    }

    /**
     * The generator of the next step's Rademacher probes: seeded by (seed, step), the same after a resume.
     *
     * @return a fresh generator for step {@link #steps()} + 1
     */
    public SplittableRandom probes() {
        return new SplittableRandom(mix(seed, t + 1));
    }

    /** A 64-bit mix of the seed and the step (SplitMix64's finaliser over seed + φ·step). */
    private static long mix(long seed, long step) {
        long z = seed + 0x9E3779B97F4A7C15L * step;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Sets the Hessian diagonal estimate D the next {@link #step} uses (keyed by the parameters' current values).
     *
     * @param diagonal one tensor per parameter, of its shape
     */
    public void curvature(Gradients diagonal) {
        this.pendingDiagonal = diagonal;
    }

    /**
     * Applies the update of the class comment with the diagonal given to {@link #curvature} since the last step.
     *
     * @param gradients the gradient of each parameter's current value
     * @throws IllegalStateException if no diagonal was given for this step
     * @throws IllegalArgumentException if a parameter has no gradient or diagonal, naming it
     */
    @Override
    public void step(Gradients gradients) {
        if (pendingDiagonal == null) {
            throw new IllegalStateException("AdaHessian.step: no Hessian diagonal for this step; call"
                    + " curvature(Hutchinson.estimate(...).diagonal()) first");
        }
        double[][] g = new double[params.size()][];
        double[][] d = new double[params.size()][];
        for (int i = 0; i < params.size(); i++) { // all found before any update
            g[i] = Optimizer.gradientOf("AdaHessian", params.get(i), gradients).toDoubleArray();
            d[i] = Optimizer.gradientOf("AdaHessian (diagonal)", params.get(i), pendingDiagonal).toDoubleArray();
        }
        pendingDiagonal = null;
        t++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        double correction1 = 1 - StrictMath.pow(b1, t);
        double sqrtCorrection2 = StrictMath.sqrt(1 - StrictMath.pow(b2, t));
        double k = settings.hessianPower();
        for (int i = 0; i < params.size(); i++) {
            Parameter p = params.get(i);
            double[] theta = p.value().toDoubleArray();
            for (int e = 0; e < theta.length; e++) {
                m[i][e] = b1 * m[i][e] + (1 - b1) * g[i][e];
                v[i][e] = b2 * v[i][e] + (1 - b2) * d[i][e] * d[i][e];
                double scaled = StrictMath.sqrt(v[i][e]) / sqrtCorrection2;
                double denominator = (k == 1 ? scaled : StrictMath.pow(scaled, k)) + settings.eps();
                theta[e] -= settings.lr() * (m[i][e] / correction1 / denominator + settings.weightDecay() * theta[e]);
            }
            p.set(Tensor.of(p.dtype(), p.shape(), theta));
        }
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
        s.put("adahessian.t", OptimizerState.scalar(t));
        OptimizerState.put(s, "adahessian.m", params, copy(m));
        OptimizerState.put(s, "adahessian.v", params, copy(v));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor steps = OptimizerState.require(state, "adahessian.t", Shape.scalar());
        OptimizerState.get(state, "adahessian.m", params, m);
        OptimizerState.get(state, "adahessian.v", params, v);
        t = (long) steps.item();
        pendingDiagonal = null;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
