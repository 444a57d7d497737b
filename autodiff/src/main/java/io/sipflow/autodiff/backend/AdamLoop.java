package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Tensor;

/** The Adam update on the host, one element after another: the spec of {@link Backend#adamUpdate}. */
final class AdamLoop {
    private AdamLoop() {
    }

    /** See {@link Backend#adamUpdate}: m and v are FLOAT64; θ′ has θ's type. */
    public static Backend.AdamState update(Tensor param, Tensor grad, Tensor m, Tensor v, Backend.AdamStep s) {
        double[] g = grad.toDoubleArray();
        double[] theta = param.toDoubleArray();
        double[] mi = m.toDoubleArray();
        double[] vi = v.toDoubleArray();
        for (int e = 0; e < theta.length; e++) {
            mi[e] = s.beta1() * mi[e] + (1 - s.beta1()) * g[e];
            vi[e] = s.beta2() * vi[e] + (1 - s.beta2()) * g[e] * g[e];
            theta[e] -= s.lr() * (mi[e] / s.correction1()) / (Math.sqrt(vi[e] / s.correction2()) + s.eps());
        }
        return new Backend.AdamState(Tensor.of(param.dtype(), param.shape(), theta),
                Tensor.wrap(m.shape(), mi), Tensor.wrap(v.shape(), vi));
    }
}
