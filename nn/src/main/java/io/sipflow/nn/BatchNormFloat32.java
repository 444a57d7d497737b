package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.BatchNormKernels;

/**
 * The FLOAT32 path of {@link BatchNormOps}: the same formulas, run by {@link BatchNormKernels} on the raw float
 * arrays. It skips the whole-tensor float→double copies of the double path (x, y, g and gx: about a third of the
 * batch-norm time in the profile of BENCHMARKS.md). Statistics and sums still accumulate in double; each element
 * is rounded to float once. The kernels' loops are plain Java by default (Vector API ones, same bits, with
 * -Dsipflow.bn.vector=true).
 */
final class BatchNormFloat32 {
    private BatchNormFloat32() {
    }

    /**
     * x (N, C, H, W), γ and β (C), all FLOAT32 and already checked by {@link BatchNormOps#batchNorm2d}; with
     * {@code fused} = RELU the output is max(y, 0), clamped by the kernel as it writes y.
     */
    static BatchNormOps.Result batchNorm2d(Tensor x, Tensor gamma, Tensor beta, double eps, BatchNormOps.Fused fused) {
        int[] d = x.shape().dims();
        int n = d[0];
        int c = d[1];
        int hw = d[2] * d[3];
        float[] xv = x.floatData();
        double[] g = gamma.toDoubleArray();
        boolean relu = fused == BatchNormOps.Fused.RELU;
        // with ReLU fused, the kernel clamps y > 0 ? y : 0 in its normalising loop: no second pass over y
        BatchNormKernels.Forward f = BatchNormKernels.forward(xv, n, c, hw, g, beta.toDoubleArray(), eps, relu);
        double[] mean = f.mean();
        double[] invStd = f.invStd();
        float[] y = f.y();
        Tensor value = Tensor.wrap(x.shape(), y);
        // VJP: with ReLU fused, g ← g·[out > 0] first (out > 0 exactly where y > 0); then
        // gβ = Σ g, gγ = Σ g·x̂, gx = γ/√(σ² + ε)·(g − gβ/M − x̂·gγ/M), with the forward's μ, 1/√(σ² + ε)
        Tensor out = Graph.record(relu ? "batchNorm2dRelu" : "batchNorm2d", value, new Tensor[] {x, gamma, beta}, gy -> {
            float[] gv = gy.dtype() == DType.FLOAT32 ? gy.floatData() : gy.toFloatArray();
            // the kernel applies ReLU's mask g·[y > 0] element by element: no masked copy of g
            BatchNormKernels.Backward b = BatchNormKernels.backward(gv, relu ? y : null, xv, n, c, hw, mean, invStd, g);
            return new Tensor[] {Tensor.wrap(x.shape(), b.gx()), Tensor.of(DType.FLOAT32, gamma.shape(), b.gGamma()),
                Tensor.of(DType.FLOAT32, beta.shape(), b.gBeta())};
        });
        return new BatchNormOps.Result(out, mean, f.variance());
    }
}
