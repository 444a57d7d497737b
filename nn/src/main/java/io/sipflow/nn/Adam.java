package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba), with PyTorch's update rule and bias correction. At step t, for each parameter θ with
 * gradient g:
 * <pre>
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε)
 * </pre>
 * Defaults β₁ = 0.9, β₂ = 0.999 and ε = 1e-7, PhiFlow's default (PyTorch's is 1e-8). Moments are kept in double
 * and each new θ is rounded once to the parameter's type.
 */
public final class Adam implements Optimizer {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-7;

    private final List<Parameter> params;
    private final double lr;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double[][] m;
    private final double[][] v;
    private long t;

    public Adam(List<Parameter> params, double lr) {
        this(params, lr, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

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
        this.m = new double[this.params.size()][];
        this.v = new double[this.params.size()][];
        for (int i = 0; i < this.params.size(); i++) {
            m[i] = new double[this.params.get(i).value().size()];
            v[i] = new double[m[i].length];
        }
    }

    @Override
    public void step(Gradients gradients) {
        Tensor[] grads = new Tensor[params.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = Optimizer.gradientOf("Adam", params.get(i), gradients); // all found before any update
        }
        t++;
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < grads.length; i++) {
            Parameter p = params.get(i);
            double[] g = grads[i].toDoubleArray();
            double[] theta = p.value().toDoubleArray();
            double[] mi = m[i];
            double[] vi = v[i];
            for (int e = 0; e < theta.length; e++) {
                mi[e] = beta1 * mi[e] + (1 - beta1) * g[e];
                vi[e] = beta2 * vi[e] + (1 - beta2) * g[e] * g[e];
                theta[e] -= lr * (mi[e] / correction1) / (Math.sqrt(vi[e] / correction2) + eps);
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
        s.put("adam.t", OptimizerState.scalar(t));
        OptimizerState.put(s, "adam.m", params, m);
        OptimizerState.put(s, "adam.v", params, v);
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor steps = OptimizerState.require(state, "adam.t", io.sipflow.autodiff.Shape.scalar());
        OptimizerState.get(state, "adam.m", params, m);
        OptimizerState.get(state, "adam.v", params, v);
        t = (long) steps.item();
    }
}
