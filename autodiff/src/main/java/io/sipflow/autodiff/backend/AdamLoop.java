package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Tensor;

/** The Adam update on the host, one element after another: the spec of {@link Backend#adamUpdate}. */
final class AdamLoop {
    private AdamLoop() {
    }

    /**
     * See {@link Backend#adamUpdate}: m and v are FLOAT64; θ′ has θ's type. θ, g, m and v are read where they are,
     * and only the three results are new arrays (widened copies of θ and g made two more per parameter: 0.6 MB a
     * step at 37,697 parameters); each formula in double as the spec says, θ′ rounded once.
     */
    public static Backend.AdamState update(Tensor param, Tensor grad, Tensor m, Tensor v, Backend.AdamStep s) {
        float[] thetaF = param.dtype() == DType.FLOAT32 ? param.floatData() : null;
        double[] thetaD = thetaF == null ? param.doubleData() : null;
        float[] gF = grad.dtype() == DType.FLOAT32 ? grad.floatData() : null;
        double[] gD = gF == null ? grad.doubleData() : null;
        double[] mIn = m.doubleData();
        double[] vIn = v.doubleData();
        int n = mIn.length;
        double[] mOut = new double[n];
        double[] vOut = new double[n];
        float[] nextF = thetaF != null ? new float[n] : null;
        double[] nextD = thetaF == null ? new double[n] : null;
        for (int e = 0; e < n; e++) {
            double g = gF != null ? gF[e] : gD[e];
            double theta = thetaF != null ? thetaF[e] : thetaD[e];
            double mi = s.beta1() * mIn[e] + (1 - s.beta1()) * g;
            double vi = s.beta2() * vIn[e] + (1 - s.beta2()) * g * g;
            mOut[e] = mi;
            vOut[e] = vi;
            double next = theta - s.lr() * (mi / s.correction1()) / (Math.sqrt(vi / s.correction2()) + s.eps());
            if (nextF != null) {
                nextF[e] = (float) next;
            } else {
                nextD[e] = next;
            }
        }
        Tensor nextParam = nextF != null ? Tensor.wrap(param.shape(), nextF) : Tensor.wrap(param.shape(), nextD);
        return new Backend.AdamState(nextParam, Tensor.wrap(m.shape(), mOut), Tensor.wrap(v.shape(), vOut));
    }
}
