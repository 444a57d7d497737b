package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.ops.ImageOps;
import io.sipflow.autodiff.ops.NormOps;

/**
 * PyTorch's {@code nn.BatchNorm2d(C)}: affine γ (weight, init 1) and β (bias, init 0), ε = 1e-5, momentum 0.1,
 * buffers {@code running_mean} (init 0) and {@code running_var} (init 1).
 * <ul>
 * <li>training mode: normalise with the batch's mean and biased variance (see {@link NormOps#batchNorm2d}), then
 *     running = (1 − momentum)·running + momentum·batch, using the unbiased variance σ²·M/(M − 1);</li>
 * <li>eval mode: normalise with the running statistics; buffers stay as they are.</li>
 * </ul>
 * Testing a model that trains with batch statistics (the seed never switches to eval) must not change it: inside
 * {@link #statisticsFrozen()} training mode still normalises with the batch's statistics but leaves the running
 * ones untouched.
 */
public final class BatchNorm2d extends Module {
    /** ε = 1e-5, added to the variance before the square root (PyTorch's default). */
    public static final double EPS = 1e-5;
    /** The weight 0.1 of each new batch in the running statistics (PyTorch's default). */
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Buffer runningMean;
    private final Buffer runningVar;

    /**
     * A batch norm over {@code channels} channels with γ = 1, β = 0, running mean 0 and running variance 1, in the
     * current default type.
     *
     * @param channels C, the channel count of the images it normalises
     */
    public BatchNorm2d(int channels) {
        DType type = Precision.defaultType();
        this.channels = channels;
        this.weight = addParameter("weight", Tensor.full(type, Shape.of(channels), 1.0));
        this.bias = addParameter("bias", Tensor.full(type, Shape.of(channels), 0.0));
        this.runningMean = addBuffer("running_mean", Tensor.full(type, Shape.of(channels), 0.0));
        this.runningVar = addBuffer("running_var", Tensor.full(type, Shape.of(channels), 1.0));
    }

    /**
     * {@inheritDoc}
     *
     * @param x the batch (N, C, H, W); in training mode N·H·W ≥ 2
     * @return the normalised batch, of x's shape
     * @throws IllegalArgumentException if x is not (N, C, H, W) with this layer's C
     */
    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return isTraining() ? trainingForward(x, NormOps.Fused.NONE) : evalForward(x, NormOps.Fused.NONE);
    }

    /**
     * {@code relu(forward(x))} as one op (see {@link NormOps.Fused}): same values and gradients, one saved
     * full-size tensor fewer.
     *
     * @param x the batch (N, C, H, W)
     * @return max(forward(x), 0)
     * @throws IllegalArgumentException if x is not (N, C, H, W) with this layer's C
     */
    public Tensor forwardRelu(Tensor x) {
        checkInput(x);
        return isTraining() ? trainingForward(x, NormOps.Fused.RELU) : evalForward(x, NormOps.Fused.RELU);
    }

    /**
     * {@code forwardRelu(x)} and its 2×2 max pooling (stride 2), the U-Net encoder's skip connection and the next
     * level's input. In training mode one op ({@link NormOps#batchNorm2dReluMaxPool}) computes both in one pass and
     * keeps the pooling's argmax; in eval mode the two ops run one after the other. Values and gradients are those
     * of {@code ImageOps.maxPool2d(forwardRelu(x), 2)}.
     *
     * @param x the batch (N, C, H, W), H and W even
     * @return {y, maxPool2d(y, 2)} with y = forwardRelu(x)
     * @throws IllegalArgumentException if x is not (N, C, H, W) with this layer's C, or H or W is odd
     */
    public Tensor[] forwardReluMaxPool(Tensor x) {
        checkInput(x);
        if (!isTraining()) {
            Tensor y = evalForward(x, NormOps.Fused.RELU);
            return new Tensor[] {y, ImageOps.maxPool2d(y, 2)};
        }
        NormOps.BatchNormPoolResult r = NormOps.batchNorm2dReluMaxPool(x, weight.value(), bias.value(), EPS);
        updateRunningStatistics(r.mean(), r.variance(), x);
        return new Tensor[] {r.output(), r.pooled()};
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + "): expects (N, " + channels
                    + ", H, W), got " + x.shape());
        }
    }

    private static final ThreadLocal<Boolean> FROZEN = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /**
     * A scope on this thread in which no batch norm updates its running statistics (tests, pictures).
     *
     * @return the scope; close it (try-with-resources) to restore the previous setting
     */
    public static StatisticsFrozen statisticsFrozen() {
        return new StatisticsFrozen(FROZEN.get());
    }

    /** Restores the previous setting when closed. */
    public static final class StatisticsFrozen implements AutoCloseable {
        private final boolean previous;

        private StatisticsFrozen(boolean previous) {
            this.previous = previous;
            FROZEN.set(Boolean.TRUE);
        }

        /** Restores the setting from before the scope opened. */
        @Override
        public void close() {
            FROZEN.set(previous);
        }
    }

    private Tensor trainingForward(Tensor x, NormOps.Fused fused) {
        NormOps.BatchNormResult r = NormOps.batchNorm2d(x, weight.value(), bias.value(), EPS, fused);
        updateRunningStatistics(r.mean(), r.variance(), x);
        return r.output();
    }

    /** Folds one batch's statistics into the running ones, unless {@link #statisticsFrozen()} is in force. */
    private void updateRunningStatistics(Tensor mean, Tensor variance, Tensor x) {
        if (FROZEN.get()) {
            return;
        }
        Backend.RunningStatistics running = Backends.current().batchNormRunningUpdate(runningMean.value(),
                runningVar.value(), mean, variance, MOMENTUM, x.size() / channels);
        runningMean.set(running.mean());
        runningVar.set(running.variance());
    }

    /** y = (x − running_mean)·γ/√(running_var + ε) + β, then {@code fused}. */
    private Tensor evalForward(Tensor x, NormOps.Fused fused) {
        return NormOps.batchNorm2dInference(x, weight.value(), bias.value(), runningMean.value(), runningVar.value(),
                EPS, fused);
    }

    /** {@return γ, (C), named {@code weight}} */
    public Parameter weight() {
        return weight;
    }

    /** {@return β, (C), named {@code bias}} */
    public Parameter bias() {
        return bias;
    }

    /** {@return the running mean, (C), named {@code running_mean}} */
    public Buffer runningMean() {
        return runningMean;
    }

    /** {@return the running (unbiased) variance, (C), named {@code running_var}} */
    public Buffer runningVar() {
        return runningVar;
    }
}
