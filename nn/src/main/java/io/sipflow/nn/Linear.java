package io.sipflow.nn;

import io.sipflow.autodiff.BufferPool;
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

    /**
     * A layer with freshly drawn weights in the current default type.
     *
     * @param in input width, ≥ 1
     * @param out output width, ≥ 1
     * @param rng draws the weight, then the bias
     * @throws IllegalArgumentException if a width is below 1
     */
    public Linear(int in, int out, SplittableRandom rng) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear: need in, out >= 1, got in=" + in + " out=" + out);
        }
        this.weight = addParameter("weight",
                Init.kaimingUniformA5(rng, Precision.defaultType(), Shape.of(out, in), in));
        this.bias = addParameter("bias", Init.uniform(rng, Precision.defaultType(), Shape.of(out), 1.0 / Math.sqrt(in)));
    }

    /**
     * {@inheritDoc}
     *
     * @param x the batch (B, in)
     * @return x·Wᵀ + b, (B, out)
     * @throws IllegalArgumentException if x is not (B, in)
     */
    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != weight.shape().dim(1)) {
            throw new IllegalArgumentException("Linear: expected input (B, " + weight.shape().dim(1) + "), got "
                    + x.shape());
        }
        return apply(x, weight.value(), bias.value());
    }

    /**
     * x·Wᵀ + b for x (B, in), W (out, in), b (out): the layer's maths on given tensors (for gradient checks).
     *
     * @param x the batch (B, in)
     * @param weight W (out, in)
     * @param bias b (out)
     * @return (B, out)
     * @throws IllegalArgumentException if the shapes do not fit (from matmul or add)
     */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias) {
        Tensor transposed = weight.transpose();
        Tensor product = x.matmul(transposed);
        Tensor y = product.add(bias);
        // under noGrad both go back to the buffer pool; a transpose that shares W's array is left alone
        BufferPool.recycleInternal(transposed, "Linear", weight, product);
        BufferPool.recycleInternal(product, "Linear", y);
        return y;
    }

    /** {@return the weight W, (out, in), named {@code weight}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return the bias b, (out), named {@code bias}} */
    public Parameter bias() {
        return bias;
    }
}
