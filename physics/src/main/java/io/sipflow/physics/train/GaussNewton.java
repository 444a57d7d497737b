package io.sipflow.physics.train;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Gradients;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Gauss–Newton-vector products of a least-squares loss L = ½‖r(θ)‖² from one recorded forward pass:
 * <pre>
 * g   = Jᵀ·r                     a first-order VJP with seed r
 * G·v = Jᵀ·(J·v)                 J = ∂r/∂θ
 * J·v = ∂/∂u ⟨Jᵀ·u, v⟩            the double-VJP trick: u ↦ Jᵀu is linear, recorded once with u a variable
 * </pre>
 * Each product is one backward pass through the recorded Jᵀu (giving J·v) and one through the forward graph
 * (giving Jᵀ·(J·v)); no forward pass is repeated. Both graphs stay alive until this object is dropped.
 */
final class GaussNewton {
    private final Tensor residual;
    private final List<Tensor> params;
    private final Tensor u;
    private final List<Tensor> jtu;

    /**
     * Records Jᵀu for the residual.
     *
     * @param residual r(θ), recorded from the parameters
     * @param params   the parameter values θ
     */
    GaussNewton(Tensor residual, List<Tensor> params) {
        this.residual = residual;
        this.params = List.copyOf(params);
        this.u = Tensor.full(residual.dtype(), residual.shape(), 0.0).variable(); // any u: Jᵀu is linear in it
        this.jtu = Autodiff.vjp(residual, u, this.params, Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.KEEP_GRAPH, Autodiff.Differentiable.YES).asList();
    }

    /** {@return g = Jᵀr, the gradient of ½‖r‖², keyed by the parameter values} */
    Gradients gradient() {
        return Autodiff.vjp(residual, residual.constant(), params, Autodiff.Disconnected.ZERO,
                Autodiff.AfterBackward.KEEP_GRAPH);
    }

    /**
     * G·v = Jᵀ(J·v).
     *
     * @param v one tensor per parameter, of its shape
     * @return G·v, one constant per parameter in its type
     */
    List<Tensor> product(List<Tensor> v) {
        Tensor inner = null;
        // summed from the last parameter to the first, as Autodiff.hvp does: the pass through the recorded Jᵀu then
        // consumes each layer's adjoints soon after making them
        for (int i = params.size() - 1; i >= 0; i--) {
            if (jtu.get(i).requiresGrad()) {
                Tensor term = jtu.get(i).mul(v.get(i).constant().to(jtu.get(i).dtype())).sum();
                inner = inner == null ? term : inner.add(term);
            }
        }
        if (inner == null) { // r does not depend on θ: G = 0
            List<Tensor> zeros = new ArrayList<>(params.size());
            for (Tensor p : params) {
                zeros.add(Tensor.full(p.dtype(), p.shape(), 0.0));
            }
            return zeros;
        }
        // J·v as the VJP of the scalar ⟨Jᵀu, v⟩ with seed 1 (physics takes no training gradients of its own: the
        // architecture rule keeps Autodiff.grad to the one step in nn.Training)
        Tensor jv = Autodiff.vjp(inner, Tensor.full(inner.dtype(), inner.shape(), 1.0), List.of(u),
                Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.KEEP_GRAPH).get(0);
        return Autodiff.vjp(residual, jv, params, Autodiff.Disconnected.ZERO, Autodiff.AfterBackward.KEEP_GRAPH)
                .asList();
    }
}
