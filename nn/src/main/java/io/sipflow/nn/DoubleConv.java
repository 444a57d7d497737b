package io.sipflow.nn;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.ops.ImageOps;

import java.util.SplittableRandom;

/**
 * [conv 3×3 → norm → activation] × 2, the U-Net's building block (PyTorch's {@code double_conv}):
 * <pre>
 * x ─ conv1 (in→mid) ─ norm1 ─ act ─ conv2 (mid→out) ─ norm2 ─ act ─▶
 * </pre>
 * Children: {@code conv1}, {@code norm1}, {@code conv2}, {@code norm2} (no norms for {@link Norm#NONE}).
 */
public final class DoubleConv extends Module {
    private final Conv2d conv1;
    private final BatchNorm2d norm1;
    private final Conv2d conv2;
    private final BatchNorm2d norm2;
    private final Activation activation;

    /**
     * A block with freshly drawn weights.
     *
     * @param in input channels
     * @param out output channels
     * @param mid channels between the two convolutions
     * @param norm BATCH for batch norm after each convolution, NONE for none
     * @param activation the nonlinearity after each (normalised) convolution
     * @param padding ZERO or CIRCULAR, for both convolutions
     * @param rng draws conv1's weights, then conv2's
     * @throws IllegalArgumentException if a channel count is below 1
     */
    public DoubleConv(int in, int out, int mid, Norm norm, Activation activation, Padding padding,
                      SplittableRandom rng) {
        this.activation = activation;
        this.conv1 = addModule("conv1", new Conv2d(in, mid, 3, padding, rng));
        this.norm1 = norm == Norm.BATCH ? addModule("norm1", new BatchNorm2d(mid)) : null;
        this.conv2 = addModule("conv2", new Conv2d(mid, out, 3, padding, rng));
        this.norm2 = norm == Norm.BATCH ? addModule("norm2", new BatchNorm2d(out)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return second(first(conv1.forward(x)));
    }

    /**
     * {@code forward(concat(1, a, upsampleBilinear2x(low)))}: the U-Net's up block given the skip and the
     * low-resolution output of the level below. Neither the concatenation nor the upsampled image is kept for the
     * backward pass (conv1 recomputes the upsampling there, see {@link Conv2d#forwardConcatUpsampled}).
     *
     * @param a the skip connection (N, Ca, H, W)
     * @param low the output of the level below (N, in − Ca, H/2, W/2)
     * @return (N, out, H, W)
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor forwardConcatUpsampled(Tensor a, Tensor low) {
        return second(first(conv1.forwardConcatUpsampled(a, low)));
    }

    /**
     * {@code forward(x)} and its 2×2 max pooling: the U-Net encoder's skip connection and the next level's input.
     * With batch norm and ReLU the last norm + activation + pooling run as one op
     * ({@link BatchNorm2d#forwardReluMaxPool}); otherwise forward, then pooling. Values and gradients are those of
     * {@code ImageOps.maxPool2d(forward(x), 2)}.
     *
     * @param x the input (N, in, H, W), H and W even
     * @return {forward(x), maxPool2d(forward(x), 2)}
     * @throws IllegalArgumentException if the shapes do not fit
     */
    public Tensor[] forwardAndPool(Tensor x) {
        if (norm2 == null || activation != Activation.RELU) {
            Tensor y = forward(x);
            return new Tensor[] {y, ImageOps.maxPool2d(y, 2)};
        }
        Tensor h = first(conv1.forward(x));
        Tensor z = conv2.forward(h);
        BufferPool.recycleInternal(h, "DoubleConv.forwardAndPool", z);
        Tensor[] yAndPooled = norm2.forwardReluMaxPool(z);
        BufferPool.recycleInternal(z, "DoubleConv.forwardAndPool", yAndPooled);
        return yAndPooled;
    }

    /** norm1 → act on conv1's output z, which goes back to the pool ({@link BufferPool#recycleInternal}). */
    private Tensor first(Tensor z) {
        Tensor h = normAndActivate(norm1, z);
        BufferPool.recycleInternal(z, "DoubleConv", h);
        return h;
    }

    /** conv2 → norm2 → act; h and conv2's output go back to the pool under noGrad. */
    private Tensor second(Tensor h) {
        Tensor z = conv2.forward(h);
        BufferPool.recycleInternal(h, "DoubleConv", z);
        Tensor y = normAndActivate(norm2, z);
        BufferPool.recycleInternal(z, "DoubleConv", y);
        return y;
    }

    /** act(norm(h)); batch norm + ReLU run as one fused op, which keeps one saved tensor fewer. */
    private Tensor normAndActivate(BatchNorm2d norm, Tensor h) {
        if (norm == null) {
            return activation.apply(h);
        }
        if (activation == Activation.RELU) {
            return norm.forwardRelu(h);
        }
        Tensor normalised = norm.forward(h);
        Tensor y = activation.apply(normalised);
        BufferPool.recycleInternal(normalised, "DoubleConv", y);
        return y;
    }
}
