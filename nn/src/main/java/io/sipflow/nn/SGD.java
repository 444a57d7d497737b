package io.sipflow.nn;

import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with momentum, PyTorch's rule (no dampening): for each θ with gradient g,
 * <pre>
 * b ← momentum·b + g      (b = g at the first step)
 * θ ← θ − lr·b                      (heavy ball)
 * θ ← θ − lr·(g + momentum·b)       (Nesterov: the step looks ahead along the new b)
 * </pre>
 * With momentum 0 both are plain θ ← θ − lr·g.
 */
public final class SGD implements Optimizer {
    private final List<Parameter> params;
    private final double lr;
    private final double momentum;
    private final boolean nesterov;
    private final double[][] velocity;
    private long t;

    /**
     * An optimizer for {@code params} with zero momentum buffers.
     *
     * @param params the parameters to update, in order (copied)
     * @param lr the learning rate, &gt; 0
     * @param momentum the momentum factor, ≥ 0 (0 for plain gradient descent)
     * @throws IllegalArgumentException if lr ≤ 0 or momentum &lt; 0
     */
    public SGD(List<Parameter> params, double lr, double momentum) {
        this(params, lr, momentum, false);
    }

    /**
     * An optimizer for {@code params} with zero momentum buffers, heavy-ball or Nesterov momentum.
     *
     * @param params the parameters to update, in order (copied)
     * @param lr the learning rate, &gt; 0
     * @param momentum the momentum factor, ≥ 0 (0 for plain gradient descent)
     * @param nesterov whether the step is Nesterov's θ ← θ − lr·(g + momentum·b) instead of θ ← θ − lr·b
     * @throws IllegalArgumentException if lr ≤ 0 or momentum &lt; 0, or Nesterov is asked for with momentum 0
     */
    public SGD(List<Parameter> params, double lr, double momentum, boolean nesterov) {
        if (!(lr > 0) || !(momentum >= 0) || !Double.isFinite(momentum)) {
            throw new IllegalArgumentException("SGD: need lr > 0 and a finite momentum >= 0; got lr=" + lr
                    + " momentum=" + momentum);
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0, got 0");
        }
        this.nesterov = nesterov;
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.velocity = new double[this.params.size()][];
        for (int i = 0; i < velocity.length; i++) {
            velocity[i] = new double[this.params.get(i).value().size()];
        }
    }

    @Override
    public void step(Gradients gradients) {
        Tensor[] grads = new Tensor[params.size()];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = Optimizer.gradientOf("SGD", params.get(i), gradients);
        }
        for (int i = 0; i < grads.length; i++) {
            Parameter p = params.get(i);
            double[] g = grads[i].toDoubleArray();
            double[] theta = p.value().toDoubleArray();
            double[] b = velocity[i];
            for (int e = 0; e < theta.length; e++) {
                b[e] = t == 0 ? g[e] : momentum * b[e] + g[e];
                theta[e] -= lr * (nesterov ? g[e] + momentum * b[e] : b[e]);
            }
            p.set(Tensor.of(p.dtype(), p.shape(), theta));
        }
        t++;
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
        s.put("sgd.t", OptimizerState.scalar(t));
        OptimizerState.put(s, "sgd.momentum_buffer", params, velocity);
        return s;
    }

    @Override
    public void loadState(Map<String, Tensor> state) {
        Tensor steps = OptimizerState.require(state, "sgd.t", Shape.scalar());
        OptimizerState.get(state, "sgd.momentum_buffer", params, velocity);
        t = (long) steps.item();
    }
}
