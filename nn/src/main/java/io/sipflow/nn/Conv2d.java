package io.sipflow.nn;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ConvOps;

import java.util.SplittableRandom;

/**
 * 2-D convolution with bias, stride 1, "same" output size: {@code weight} (out, in, k, k), {@code bias} (out).
 * Initialised as PyTorch's {@code nn.Conv2d}: both U(±1/√fan_in), fan_in = in·k·k, in the current default type.
 */
public final class Conv2d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final Padding padding;

    /**
     * A layer with freshly drawn weights in the current default type.
     *
     * @param in input channels, ≥ 1
     * @param out output channels, ≥ 1
     * @param kernel the kernel side k, odd
     * @param padding ZERO or CIRCULAR
     * @param rng draws the weight, then the bias
     * @throws IllegalArgumentException if a channel count is below 1 or the kernel is even
     */
    public Conv2d(int in, int out, int kernel, Padding padding, SplittableRandom rng) {
        if (in < 1 || out < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("Conv2d: need in, out >= 1 and an odd kernel, got in=" + in
                    + " out=" + out + " kernel=" + kernel);
        }
        int fanIn = in * kernel * kernel;
        this.weight = addParameter("weight",
                Init.kaimingUniformA5(rng, Precision.defaultType(), Shape.of(out, in, kernel, kernel), fanIn));
        this.bias = addParameter("bias",
                Init.uniform(rng, Precision.defaultType(), Shape.of(out), 1.0 / Math.sqrt(fanIn)));
        this.padding = padding;
    }

    /**
     * {@inheritDoc}
     *
     * @param x the image (N, in, H, W)
     * @return (N, out, H, W)
     * @throws IllegalArgumentException if x is not NCHW with {@code in} channels
     */
    @Override
    public Tensor forward(Tensor x) {
        return ConvOps.conv2d(x, weight.value(), bias.value(), padding);
    }

    /**
     * {@code forward(concat(1, a, upsampleBilinear2x(low)))}, the upsampled image recomputed in the backward pass
     * instead of kept (see {@link ConvOps#conv2dConcatUpsampled}).
     *
     * @param a the skip connection (N, Ca, H, W)
     * @param low the coarser image (N, in − Ca, H/2, W/2)
     * @return (N, out, H, W)
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor forwardConcatUpsampled(Tensor a, Tensor low) {
        return ConvOps.conv2dConcatUpsampled(a, low, weight.value(), bias.value(), padding);
    }

    /** {@return the kernels, (out, in, k, k), named {@code weight}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return the bias, (out), named {@code bias}} */
    public Parameter bias() {
        return bias;
    }
}
