package io.sipflow.nn;

import io.sipflow.autodiff.BufferPool;
import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The U-Net of PhiFlow's {@code u_net} and of the seed notebook (see also {@code bench/torch_sip_step.py}):
 * <pre>
 * x ─ inc ──────────────────────────────────────────────── concat ─ up3 ─ outc ─▶
 *      └ pool ─ down1 ───────────────────────── concat ─ up2 ─ upsample ┘
 *                └ pool ─ down2 ─────── concat ─ up1 ─ upsample ┘
 *                          └ pool ─ down3 ─ upsample ┘
 * </pre>
 * {@code inc} = DoubleConv(in→f); {@code down_i} = 2×2 max pool then DoubleConv(f→f); {@code up_i} = bilinear ×2
 * upsample, concat [skip, upsampled] on channels, DoubleConv(2f→f, mid f) (the concatenation is never built: the
 * first convolution takes the two parts, and recomputes the upsampling for its backward pass rather than keep it);
 * {@code outc} = 1×1 conv (f→out) with bias and no activation. For Config(1, 1, 4, 16, BATCH, RELU, CIRCULAR): 37,697 parameters
 * (inc 2,544; each down 4,704; each up 7,008; outc 17).
 */
public final class UNet extends Module {
    /**
     * The network's layout: PhiFlow's {@code u_net} arguments (in, out, levels, filters, batch norm, activation)
     * plus the padding.
     *
     * @param in         input channels
     * @param out        output channels
     * @param levels     resolution levels (levels − 1 poolings); spatial sizes must be divisible by 2^(levels−1)
     * @param filters    channels of every hidden layer
     * @param norm       normalisation after each 3×3 convolution
     * @param activation nonlinearity after each normalisation
     * @param padding    padding of the 3×3 convolutions (the seed uses CIRCULAR: periodic boundaries)
     */
    public record Config(int in, int out, int levels, int filters, Norm norm, Activation activation,
                         Padding padding) {
        /**
         * Checks the layout.
         *
         * @param in input channels, ≥ 1
         * @param out output channels, ≥ 1
         * @param levels resolution levels, ≥ 1
         * @param filters channels of every hidden layer, ≥ 1
         * @param norm normalisation, not null
         * @param activation nonlinearity, not null
         * @param padding padding, not null
         * @throws IllegalArgumentException if a count is below 1 or a choice is null
         */
        public Config {
            if (in < 1 || out < 1 || levels < 1 || filters < 1 || norm == null || activation == null
                    || padding == null) {
                throw new IllegalArgumentException("UNet.Config: need in, out, levels, filters >= 1 and non-null"
                        + " norm, activation, padding; got " + this);
            }
        }
    }

    private final Config config;
    private final DoubleConv inc;
    private final List<DoubleConv> down = new ArrayList<>();
    private final List<DoubleConv> up = new ArrayList<>();
    private final Conv2d outc;

    /**
     * A freshly initialised network (PyTorch's default initialisation, drawn in construction order from
     * {@code seed}); parameters have the current default type, so construct it inside
     * {@code Precision.use(FLOAT32)} for 32-bit weights.
     *
     * @param config the layout
     * @param seed seeds every weight
     */
    public UNet(Config config, long seed) {
        this.config = config;
        SplittableRandom rng = new SplittableRandom(seed);
        int f = config.filters();
        this.inc = addModule("inc", block(config.in(), f, f, rng));
        for (int i = 1; i < config.levels(); i++) {
            down.add(addModule("down" + i, block(f, f, f, rng)));
        }
        for (int i = 1; i < config.levels(); i++) {
            up.add(addModule("up" + i, block(2 * f, f, f, rng)));
        }
        this.outc = addModule("outc", new Conv2d(f, config.out(), 1, config.padding(), rng));
    }

    private DoubleConv block(int in, int out, int mid, SplittableRandom rng) {
        return new DoubleConv(in, out, mid, config.norm(), config.activation(), config.padding(), rng);
    }

    /** {@return the layout this network was built with} */
    public Config config() {
        return config;
    }

    /** x (N, in, H, W) → (N, out, H, W). */
    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        List<Tensor> skips = new ArrayList<>();
        Tensor h = x;
        // Each activation goes back to the buffer pool once nothing can read it (BufferPool.recycleInternal: under
        // noGrad once its last reader has run, after a freeing backward pass otherwise); x is the caller's and stays.
        for (int level = 0; level < config.levels(); level++) {
            DoubleConv block = level == 0 ? inc : down.get(level - 1);
            Tensor in = h;
            if (level == config.levels() - 1) { // the deepest block: nothing below to pool for
                h = block.forward(h);
                skips.add(h);
            } else { // = block.forward(h) and its max pooling, fused where the block can (DoubleConv#forwardAndPool)
                Tensor[] skipAndPooled = block.forwardAndPool(h);
                skips.add(skipAndPooled[0]);
                h = skipAndPooled[1];
            }
            if (level > 0) {
                BufferPool.recycleInternal(in, "UNet.forward", skips.get(level), h);
            }
        }
        // up1 joins the second-deepest skip (down2 for 4 levels), ..., the last up joins inc.
        for (int i = 0; i < up.size(); i++) {
            Tensor skip = skips.get(skips.size() - 2 - i);
            Tensor low = h;
            // = up.forward(concat(1, skip, upsample(h))), without keeping the concatenation or the upsampled h
            // alive for the backward pass (DoubleConv#forwardConcatUpsampled)
            h = up.get(i).forwardConcatUpsampled(skip, h);
            BufferPool.recycleInternal(skip, "UNet.forward", h);
            BufferPool.recycleInternal(low, "UNet.forward", h);
        }
        Tensor y = outc.forward(h);
        BufferPool.recycleInternal(h, "UNet.forward", y);
        return y;
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != config.in()) {
            throw new IllegalArgumentException("UNet: expects input (N, " + config.in() + ", H, W), got "
                    + x.shape());
        }
        int factor = 1 << (config.levels() - 1);
        for (int axis = 2; axis < 4; axis++) {
            if (x.dim(axis) % factor != 0) {
                throw new IllegalArgumentException("UNet: spatial size " + x.dim(axis) + " (input " + x.shape()
                        + ") is not divisible by 2^" + (config.levels() - 1) + " = " + factor + " for a "
                        + config.levels() + "-level U-Net; pad or crop the input to a multiple of " + factor);
            }
        }
    }
}
