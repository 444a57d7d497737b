package io.sipflow.nn;

import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.SplittableRandom;

/**
 * A dense layer y = x·Wᵀ + b on (B, in) → (B, out): {@code weight} (out, in), {@code bias} (out), as PyTorch's
 * {@code nn.Linear}. Initialised as PyTorch does by default: weight and bias both U(±1/√in) (the weight's
 * {@code kaiming_uniform_(a=√5)} reduces to that bound), in the current default type.
 */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int in, int out, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: need in, out >= 1, got in=" + in + " out=" + out);
        }
        this.weight = addParameter("weight",
                Init.kaimingUniformA5(rng, Precision.defaultType(), Shape.of(out, in), in));
        this.bias = addParameter("bias", Init.uniform(rng, Precision.defaultType(), Shape.of(out), 1.0 / Math.sqrt(in)));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != weight.shape().dim(1)) {
            throw new IllegalArgumentException("Linear: expected input (B, " + weight.shape().dim(1) + "), got "
                    + x.shape());
        }
        return apply(x, weight.value(), bias.value());
    }

    /** x·Wᵀ + b for x (B, in), W (out, in), b (out): the layer's maths on given tensors (for gradient checks). */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        return x.matmul(weight.transpose()).add(bias);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
