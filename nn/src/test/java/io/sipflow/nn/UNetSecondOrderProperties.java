package io.sipflow.nn;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.GradCheck;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Second order through a whole (small) U-Net: every layer's VJP differentiated in turn (conv and its fused
 * concat-upsample, batch norm with the fused ReLU, max-pool, upsampling).
 */
class UNetSecondOrderProperties {
    /**
     * The Hessian of ½‖net(x) − y‖² with respect to all parameters is symmetric: ⟨u, H·v⟩ = ⟨v, H·u⟩ for random u, v.
     * Two Hessian-vector products through different directions agree only if every VJP's own VJP is right.
     */
    @Property(tries = 8)
    void parameterHessianIsSymmetric(@ForAll Padding padding, @ForAll Norm norm, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        UNet net = new UNet(new UNet.Config(1, 1, 2, 3, norm, Activation.RELU, padding), seed);
        Tensor x = Tensor.randn(rng, 2, 1, 4, 4);
        Tensor y = Tensor.randn(rng, 2, 1, 4, 4);
        List<Tensor> params = net.parameterValues();
        List<Tensor> u = new ArrayList<>();
        List<Tensor> v = new ArrayList<>();
        for (Tensor p : params) {
            u.add(Tensor.randn(rng, p.shape().dims()));
            v.add(Tensor.randn(rng, p.shape().dims()));
        }
        List<Tensor> hv = Autodiff.hvp(net.forward(x).sub(y).square().sum().mul(0.5), params, v);
        List<Tensor> hu = Autodiff.hvp(net.forward(x).sub(y).square().sum().mul(0.5), params, u);
        double uHv = 0;
        double vHu = 0;
        for (int i = 0; i < params.size(); i++) {
            uHv += u.get(i).mul(hv.get(i)).sum().item();
            vHu += v.get(i).mul(hu.get(i)).sum().item();
        }
        assertEquals(uHv, vHu, 1e-9 * (1 + Math.abs(uHv)), "⟨u, Hv⟩ = ⟨v, Hu⟩, seed " + seed);
    }

    /**
     * The input gradient's gradient against differences of the first-order input gradient. A difference that crosses
     * a ReLU kink jumps by (jump)/ε: at ε = 1e-5, 7 of 400 seeded cases did (2%, central differences); at ε = 1e-7
     * none of 600 did (fourth-order differences, as GradCheck.checkSecondOrder takes them), while a batch-norm channel
     * with nearly equal values (see UNetProperties) once missed rtol 1e-5 by 20%: hence ε = 1e-7 and rtol 1e-4 here,
     * far below the O(1) error of a wrong VJP.
     */
    @Property(tries = 10)
    void inputSecondOrderMatchesFiniteDifferences(@ForAll Padding padding, @ForAll Norm norm, @ForAll long seed) {
        UNet net = new UNet(new UNet.Config(1, 1, 2, 2, norm, Activation.RELU, padding), seed);
        Tensor x = Tensor.randn(new SplittableRandom(seed), 2, 1, 4, 4);
        GradCheck.checkSecondOrder("unet", in -> net.forward(in[0]), GradCheck.Options.secondOrder().withSeed(seed)
                .withEpsilon(1e-7).withMaxElementwise(0).withDirections(4)
                .withTolerance(new GradCheck.Tolerance(1e-4, 1e-6)), x).assertPassed();
    }
}
