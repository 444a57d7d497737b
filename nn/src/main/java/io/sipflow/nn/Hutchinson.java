package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The gradient and Hutchinson's estimate of the Hessian diagonal of a loss, from one recorded backward pass and one
 * Hessian-vector product:
 * <pre>
 * g = ∇L                              (recorded: differentiable)
 * z ~ Rademacher (each element ±1 with probability ½)
 * H·z = ∇⟨g, z⟩
 * D = z ⊙ H·z                        E[D] = diag(H), since E[zᵢ·zⱼ] = δᵢⱼ
 * </pre>
 * and AdaHessian's spatial averaging: a convolution kernel's estimate (rank 4: out × in × kh × kw) is replaced by its
 * mean over each kh × kw block, D⁽ˢ⁾[o, i, ·, ·] = mean over (a, b) of D[o, i, a, b] (the paper's block of size
 * kh·kw). Other parameters (biases, batch-norm scales, dense weights) keep their own estimates. This is the paper's
 * signed average, unbiased for diag(H); the authors' released optimizer averages |H·z| instead.
 */
public final class Hutchinson {
    private Hutchinson() {
    }

    /**
     * A loss's gradient and Hessian diagonal estimate, each keyed by the parameter values they were taken for.
     *
     * @param gradient ∇L, constants
     * @param diagonal D (spatially averaged for rank-4 parameters), constants
     */
    public record Estimate(Gradients gradient, Gradients diagonal) {
    }

    /**
     * Differentiates {@code loss} once with a recorded backward pass, then the product ⟨g, z⟩ for a Rademacher
     * probe z; frees both graphs as the second pass goes. A parameter the loss does not reach gets zeros.
     *
     * @param loss   a one-element tensor with a recorded graph
     * @param params the tensors to differentiate with respect to (a network's parameter values)
     * @param probes draws the probe z
     * @return g and D
     * @throws UnsupportedOperationException if an op on the way has no second derivative, naming it
     */
    public static Estimate estimate(Tensor loss, List<Tensor> params, SplittableRandom probes) {
        List<Tensor> g = Autodiff.grad(loss, params, Autodiff.Differentiable.YES).asList();
        List<Tensor> gradient = new ArrayList<>(params.size());
        List<Tensor> z = new ArrayList<>(params.size());
        Tensor gz = null;
        for (int i = 0; i < params.size(); i++) {
            z.add(rademacher(params.get(i), probes));
            gradient.add(g.get(i).constant());
        }
        // summed from the last parameter to the first, as Autodiff.hvp does: the second pass then consumes each
        // layer's adjoints soon after making them
        for (int i = params.size() - 1; i >= 0; i--) {
            if (g.get(i).requiresGrad()) {
                Tensor term = g.get(i).mul(z.get(i)).sum();
                gz = gz == null ? term : gz.add(term);
            }
        }
        g = null; // the recorded gradients live on in gz's graph only, which the second pass frees
        List<Tensor> hz = gz == null ? zeros(params)
                : Autodiff.grad(gz, params, Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.FREE_GRAPH).asList();
        List<Tensor> diagonal = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor zi = z.get(i);
            Tensor hzi = hz.get(i);
            diagonal.add(spatialAverage(Autodiff.noGrad(() -> zi.mul(hzi))));
        }
        return new Estimate(Gradients.of(params, gradient), Gradients.of(params, diagonal));
    }

    /**
     * A Rademacher tensor of {@code like}'s shape and type: each element −1 or +1 with probability ½.
     *
     * @param like   gives the shape and type
     * @param random the generator
     * @return a constant tensor of ±1
     */
    public static Tensor rademacher(Tensor like, SplittableRandom random) {
        double[] values = new double[like.size()];
        for (int e = 0; e < values.length; e++) {
            values[e] = random.nextBoolean() ? 1 : -1;
        }
        return Tensor.of(like.dtype(), like.shape(), values);
    }

    /**
     * AdaHessian's spatial averaging: a rank-4 (convolution kernel) estimate averaged over its last two axes and
     * broadcast back; any other rank is returned as it is.
     *
     * @param d a diagonal estimate
     * @return D⁽ˢ⁾, of d's shape
     */
    public static Tensor spatialAverage(Tensor d) {
        if (d.rank() != 4) {
            return d;
        }
        return Autodiff.noGrad(() -> d.mean(new int[] {2, 3}, true).broadcastTo(d.shape()));
    }

    private static List<Tensor> zeros(List<Tensor> params) {
        List<Tensor> out = new ArrayList<>(params.size());
        for (Tensor p : params) {
            out.add(Tensor.full(p.dtype(), p.shape(), 0.0));
        }
        return out;
    }
}
