package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;

/**
 * Batch norm's (training mode) backward pass as recorded ops: the fused kernel computes the values, and each of its
 * three results is a node of (g, x, γ) with the VJP below, so a recorded backward pass can be differentiated.
 * Per channel, over M = N·H·W values, with g masked by [y &gt; 0] first when ReLU is fused (a constant mask):
 * <pre>
 * s = 1/√(σ² + ε),  x̂ = (x − μ)·s,  gβ = Σ g,  gγ = Σ g·x̂,  gx = γ·s·(g − Σg/M − x̂·Σ(g·x̂)/M)
 * </pre>
 * VJP for cotangents a (of gx), b (of gγ), c (of gβ), with A = Σa, P = Σa·x̂, Q = Σa·g, Γ = Σg·x̂, Ḡ = Σg/M:
 * <pre>
 * ḡ  = γ·s·(a − A/M − x̂·P/M) + b·x̂ + c                              (then masked)
 * γ̄  = Σ a·s·(g − Ḡ − x̂·Γ/M)
 * x̄  = s·(L − mean(L) − x̂·mean(L·x̂)) − S·s²·x̂/M,   L = b·g − γ·s·(g·P + Γ·a)/M,   S = γ·(Q − Ḡ·A − Γ·P/M)
 * </pre>
 * (L is the derivative in x̂ and S the one in s; ∂x̂/∂x = s·(1 − 1/M − x̂x̂ᵀ/M), ∂s/∂x = −s²·x̂/M.) The VJP
 * recomputes μ, σ², s and x̂ from x as recorded ops, so it can be differentiated in turn.
 */
final class BatchNormBackward {
    private static final int[] PER_CHANNEL = {0, 2, 3};

    private BatchNormBackward() {
    }

    /**
     * gx, gγ, gβ for output gradient g (already of x's type), recorded as functions of (g, x, γ); β (the forward's)
     * lets the backend recompute the ReLU mask instead of reading reluOutput; with {@code overwriteG} (nothing reads
     * g afterwards, and no pass records this one) gx may be written over g's array.
     */
    static Tensor[] gradients(Backend backend, Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, Tensor beta,
                              Backend.BatchNormForward forward, double eps, boolean overwriteG) {
        Backend.BatchNormGradients b = backend.batchNormBackward(g.constant(), reluOutput, x.constant(),
                gamma.constant(), beta.constant(), forward.mean(), forward.variance(), eps, overwriteG);
        Tensor[] in = {g, x, gamma};
        return new Tensor[] {
            Graph.record("batchNormBackward(gx)", b.gx(), in, a -> vjp(g, reluOutput, x, gamma, eps, a, null, null)),
            Graph.record("batchNormBackward(gGamma)", b.gGamma(), in,
                    bg -> vjp(g, reluOutput, x, gamma, eps, null, bg, null)),
            Graph.record("batchNormBackward(gBeta)", b.gBeta(), in,
                    cb -> vjp(g, reluOutput, x, gamma, eps, null, null, cb))};
    }

    /**
     * The VJP in the class comment; null cotangents count as zero. A network's second backward pass runs this at
     * every layer's full size, so each full-size temporary is dropped right after its last use and the results are
     * built one at a time: ḡ's masked cotangent of gβ alone reads neither x nor γ.
     */
    private static Tensor[] vjp(Tensor g, Tensor reluOutput, Tensor x, Tensor gamma, double eps, Tensor a,
                                Tensor bg, Tensor cb) {
        Shape perChannel = Shape.of(1, x.dim(1), 1, 1);
        if (a == null && bg == null) { // of gβ = Σ g only: ḡ = c (masked)
            Tensor c = cb.reshape(perChannel);
            return new Tensor[] {reluOutput == null ? c.broadcastTo(x.shape()) : reluMask(reluOutput, x).mul(c),
                null, null};
        }
        double m = x.size() / (double) x.dim(1);
        Tensor gm = reluOutput == null ? g : g.mul(reluMask(reluOutput, x));
        Tensor[] standardised = standardise(x, eps);
        Tensor s = standardised[0];
        Tensor xhat = standardised[1];
        Tensor gam = gamma.reshape(perChannel);
        Tensor gBar = cb == null ? null : cb.reshape(perChannel);
        Tensor dxhat = null;
        Tensor dGamma = null;
        Tensor sPart = null;
        Tensor sumA = null;
        Tensor p = null;
        if (bg != null) {
            Tensor b = bg.reshape(perChannel);
            gBar = plus(gBar, b.mul(xhat));
            dxhat = b.mul(gm);
        }
        if (a != null) {
            sumA = sum(a);
            p = sum(a.mul(xhat));
            Tensor q = sum(a.mul(gm));
            Tensor meanG = sum(gm).div(m);
            Tensor gammaHat = sum(gm.mul(xhat));
            dGamma = sum(a.mul(s).mul(gm.sub(meanG).sub(xhat.mul(gammaHat).div(m)))).reshape(gamma.shape());
            Tensor fromA = gam.mul(s).div(m).mul(gm.mul(p).add(a.mul(gammaHat))).neg();
            dxhat = dxhat == null ? fromA : dxhat.add(fromA);
            Tensor ds = gam.mul(q.sub(meanG.mul(sumA)).sub(gammaHat.mul(p).div(m)));
            sPart = ds.mul(s.square()).mul(xhat).div(m).neg();
        }
        gm = null; // nothing below reads the masked cotangent: let it go before dx is built
        Tensor dx = s.mul(dxhat.sub(sum(dxhat).div(m)).sub(xhat.mul(sum(dxhat.mul(xhat)).div(m))));
        dxhat = null;
        if (sPart != null) {
            dx = dx.add(sPart);
            sPart = null;
        }
        if (a != null) {
            gBar = plus(gBar, gam.mul(s).mul(a.sub(sumA.div(m)).sub(xhat.mul(p).div(m))));
        }
        return new Tensor[] {reluOutput == null ? gBar : gBar.mul(reluMask(reluOutput, x)), dx, dGamma};
    }

    /** [y &gt; 0]: the constant mask of a fused ReLU, in x's type. */
    private static Tensor reluMask(Tensor reluOutput, Tensor x) {
        return CompareOps.greater(reluOutput, Tensor.full(x.dtype(), Shape.scalar(), 0));
    }

    /** {s, x̂}: s = 1/√(σ² + ε) per channel and x̂ = (x − μ)·s, recorded from x (x − μ is dropped here). */
    private static Tensor[] standardise(Tensor x, double eps) {
        Tensor d = x.sub(x.mean(PER_CHANNEL, true));
        Tensor s = d.square().mean(PER_CHANNEL, true).add(eps).pow(-0.5);
        return new Tensor[] {s, d.mul(s)};
    }

    /** a + b, where a null a counts as zero. */
    private static Tensor plus(Tensor a, Tensor b) {
        return a == null ? b : a.add(b);
    }

    private static Tensor sum(Tensor t) {
        return t.sum(PER_CHANNEL, true);
    }
}
