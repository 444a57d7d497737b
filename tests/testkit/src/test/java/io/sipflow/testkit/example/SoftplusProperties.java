package io.sipflow.testkit.example;

import io.sipflow.autodiff.Autodiff;
import io.sipflow.autodiff.Tensor;
import io.sipflow.testkit.GradAssert;
import io.sipflow.testkit.TensorArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SoftplusProperties {
    /** softplus(x) = log(1 + eˣ) with a hand-written VJP: g·σ(x), σ(x) = 1 / (1 + e⁻ˣ). */
    static Tensor softplus(Tensor x) {
        return Autodiff.customVjp("softplus", in -> in[0].exp().add(1).log(),
                (in, out, g) -> new Tensor[] {g.div(in[0].neg().exp().add(1))}, x);
    }

    @Property(tries = 50)
    void softplusGradientMatchesFiniteDifferences(@ForAll("inputs") Tensor x) {
        GradAssert.assertGradients("softplus", in -> softplus(in[0]), x);
    }

    @Provide
    Arbitrary<Tensor> inputs() {
        return TensorArbitraries.tensors(TensorArbitraries.shapes(), TensorArbitraries.dtypes(), -3, 3);
    }
}
