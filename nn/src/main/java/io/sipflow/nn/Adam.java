package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba), with PyTorch's update rule and bias correction.
 * <pre>{@code
 * Linear layer = new Linear(1, 1, new SplittableRandom(0));     // y = w·x + b
 * Adam adam = new Adam(layer.parameters(), 0.05);
 * Tensor x = Tensor.matrix(new double[] {1}, new double[] {2}, new double[] {3});
 * Tensor target = x.mul(2).add(1);                              // fit y = 2x + 1
 * for (int step = 0; step < 1000; step++) {
 *     Tensor loss = layer.forward(x).sub(target).square().mean();
 *     adam.step(Autodiff.grad(loss, layer.parameterValues()));
 * }
 * double w = Math.round(layer.weight().value().item() * 1e4) / 1e4;   // → 2.0
 * double b = Math.round(layer.bias().value().item() * 1e4) / 1e4;     // → 1.0
 * long steps = adam.steps();                                    // → 1000
 * }</pre>
 * At step t, for each parameter θ with gradient g:
 * <pre>
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * Defaults β₁ = 0.9, β₂ = 0.999 and ε = 1e-7, PhiFlow's default (PyTorch's is 1e-8). Moments are kept in double
 * and each new θ is rounded once to the parameter's type. The update runs where the parameter lives: each step is
 * one {@link Backend#adamUpdate} per parameter on the current backend, and the moments are FLOAT64 tensors that
 * stay there too (on the OpenCL device, nothing crosses to the host).
 */
public final class Adam implements Optimizer {
    /** β₁ = 0.9, the decay of the first moment. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** β₂ = 0.999, the decay of the second moment. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** ε = 1e-7, PhiFlow's default, added to √v̂. */
    public static final double DEFAULT_EPS = 1e-7;

    private final List<Parameter> params;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final Tensor[] m; // FLOAT64, each of its parameter's shape
    private final Tensor[] v;
    private long t;

    /**
     * Adam with the default β₁, β₂ and ε.
     *
     * @param params the parameters to update, in order (copied)
     * @param lr the learning rate, &gt; 0
     * @throws IllegalArgumentException if lr ≤ 0
     */
    public Adam(List<Parameter> params, double lr) {
        this(params, lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    /**
     * Adam with zero moments and step count 0.
     *
     * @param params the parameters to update, in order (copied)
     * @param lr the learning rate, &gt; 0
     * @param beta1 β₁ in [0, 1)
     * @param beta2 β₂ in [0, 1)
     * @param eps ε &gt; 0
     * @throws IllegalArgumentException if a setting is out of range, naming all of them
     */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps) {
        if (!(lr > 0) || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || !(eps > 0)) {
            throw new IllegalArgumentException("Adam: need lr > 0, 0 <= beta1, beta2 < 1 and eps > 0; got lr=" + lr
                    + " beta1=" + beta1 + " beta2=" + beta2 + " eps=" + eps);
        }
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.m = new Tensor[this.params.size()];
        this.v = new Tensor[this.params.size()];
        for (int i = 0; i < this.params.size(); i++) {
            m[i] = Tensor.full(DType.FLOAT64, this.params.get(i).shape(), 0.0); // moments in double
            v[i] = m[i];
        }
    }

    @Override
    public void step(Gradients gradients) {
        Tensor[] grads = new Tensor[params.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = Optimizer.gradientOf("Adam", params.get(i), gradients); // all found before any update
        }
        t++;
        Backend.AdamStep settings = new Backend.AdamStep(lr, beta1, beta2, eps, 1 - StrictMath.pow(beta1, t),
                1 - StrictMath.pow(beta2, t));
        Backend backend = Backends.current();
        for (int i = 0; i < grads.length; i++) {
            Parameter p = params.get(i);
            Backend.AdamState next = backend.adamUpdate(p.value(), grads[i].constant(), m[i], v[i], settings);
            m[i] = next.m();
            v[i] = next.v();
            p.set(next.param());
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
        s.put("adam.t", OptimizerState.scalar(t));
        OptimizerState.put(s, "adam.m", params, hostCopy(m));
        OptimizerState.put(s, "adam.v", params, hostCopy(v));
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor steps = OptimizerState.require(state, "adam.t", io.sipflow.autodiff.Shape.scalar());
        double[][] mm = new double[params.size()][];
        double[][] vv = new double[params.size()][];
        OptimizerState.get(state, "adam.m", params, mm);
        OptimizerState.get(state, "adam.v", params, vv);
        for (int i = 0; i < params.size(); i++) {
            m[i] = Tensor.wrap(params.get(i).shape(), mm[i]);
            v[i] = Tensor.wrap(params.get(i).shape(), vv[i]);
        }
        t = (long) steps.item();
    }

    /** The moments are immutable tensors: keeping the references is a snapshot (nothing is copied or moved). */
    @Override
    public Runnable rollbackPoint() {
        Tensor[] mBefore = m.clone();
        Tensor[] vBefore = v.clone();
        long tBefore = t;
        return () -> {
            System.arraycopy(mBefore, 0, m, 0, m.length);
            System.arraycopy(vBefore, 0, v, 0, v.length);
            t = tBefore;
        };
    }

    private static double[][] hostCopy(Tensor[] moments) {
        double[][] copy = new double[moments.length][];
        for (int i = 0; i < moments.length; i++) {
            copy[i] = moments[i].toDoubleArray();
        }
        return copy;
    }
}
