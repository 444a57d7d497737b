package io.sipflow.nn;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Precision;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * PyTorch's {@code nn.BatchNorm2d(C)}: affine γ (weight, init 1) and β (bias, init 0), ε = 1e-5, momentum 0.1,
 * buffers {@code running_mean} (init 0) and {@code running_var} (init 1).
 * <ul>
 * <li>training mode: normalise with the batch's mean and biased variance (see {@link BatchNormOps}), then
 *     running = (1 − momentum)·running + momentum·batch, using the unbiased variance σ²·M/(M − 1);</li>
 * <li>eval mode: normalise with the running statistics; buffers stay as they are.</li>
 * </ul>
 * Testing a model that trains with batch statistics (the seed never switches to eval) must not change it: inside
 * {@link #statisticsFrozen()} training mode still normalises with the batch's statistics but leaves the running
 * ones untouched.
 */
public final class BatchNorm2d extends Module {
    public static final double EPS = 1e-5;
    public static final double MOMENTUM = 0.1;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Buffer runningMean;
    private final Buffer runningVar;

    public BatchNorm2d(int channels) {
        DType type = Precision.defaultType();
        this.channels = channels;
        this.weight = addParameter("weight", Tensor.full(type, Shape.of(channels), 1.0));
        this.bias = addParameter("bias", Tensor.full(type, Shape.of(channels), 0.0));
        this.runningMean = addBuffer("running_mean", Tensor.full(type, Shape.of(channels), 0.0));
        this.runningVar = addBuffer("running_var", Tensor.full(type, Shape.of(channels), 1.0));
    }

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        return isTraining() ? trainingForward(x, BatchNormOps.Fused.NONE) : evalForward(x);
    }

    /**
     * {@code relu(forward(x))} as one op in training mode (see {@link BatchNormOps.Fused}): same values and
     * gradients, one saved full-size tensor fewer.
     */
    public Tensor forwardRelu(Tensor x) {
        checkInput(x);
        return isTraining() ? trainingForward(x, BatchNormOps.Fused.RELU) : evalForward(x).relu();
    }

    private void checkInput(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != channels) {
            throw new IllegalArgumentException("BatchNorm2d(" + channels + "): expects (N, " + channels
                    + ", H, W), got " + x.shape());
        }
    }

    private static final ThreadLocal<Boolean> FROZEN = ThreadLocal.withInitial(() -> Boolean.FALSE);

    /** A scope on this thread in which no batch norm updates its running statistics (tests, pictures). */
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

        @Override
        public void close() {
            FROZEN.set(previous);
        }
    }

    private Tensor trainingForward(Tensor x, BatchNormOps.Fused fused) {
        BatchNormOps.Result r = BatchNormOps.batchNorm2d(x, weight.value(), bias.value(), EPS, fused);
        if (FROZEN.get()) {
            return r.output();
        }
        int count = x.size() / channels;
        double[] mean = runningMean.value().toDoubleArray();
        double[] var = runningVar.value().toDoubleArray();
        for (int c = 0; c < channels; c++) {
            mean[c] = (1 - MOMENTUM) * mean[c] + MOMENTUM * r.mean()[c];
            var[c] = (1 - MOMENTUM) * var[c] + MOMENTUM * r.variance()[c] * count / (count - 1);
        }
        runningMean.set(Tensor.of(runningMean.dtype(), runningMean.shape(), mean));
        runningVar.set(Tensor.of(runningVar.dtype(), runningVar.shape(), var));
        return r.output();
    }

    /** y = (x − running_mean)/√(running_var + ε)·γ + β, composed from differentiable ops. */
    private Tensor evalForward(Tensor x) {
        Shape perChannel = Shape.of(1, channels, 1, 1);
        Tensor mean = runningMean.value().reshape(perChannel);
        Tensor std = runningVar.value().add(EPS).sqrt().reshape(perChannel);
        Tensor gamma = weight.value().reshape(perChannel);
        Tensor beta = bias.value().reshape(perChannel);
        return x.sub(mean).div(std).mul(gamma).add(beta);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Buffer runningMean() {
        return runningMean;
    }

    public Buffer runningVar() {
        return runningVar;
    }
}
