package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Tensor;

/** Batch norm's running-statistics update on the host: the spec of {@link Backend#batchNormRunningUpdate}. */
public final class RunningStatisticsLoop {
    private RunningStatisticsLoop() {
    }

    /**
     * The host implementation of {@link Backend#batchNormRunningUpdate}, per channel c:
     * mean′ = (1 − m)·mean + m·μ, var′ = (1 − m)·var + m·σ²·M/(M − 1).
     *
     * @param runningMean the running mean (C)
     * @param runningVar the running variance (C)
     * @param batchMean the batch mean μ, FLOAT64 (C)
     * @param batchVariance the biased batch variance σ², FLOAT64 (C)
     * @param momentum m
     * @param count M, the values per channel (≥ 2)
     * @return the new running statistics in the running buffers' types
     */
    public static Backend.RunningStatistics update(Tensor runningMean, Tensor runningVar, Tensor batchMean,
                                                   Tensor batchVariance, double momentum, int count) {
        double[] mean = runningMean.toDoubleArray();
        double[] var = runningVar.toDoubleArray();
        double[] mu = batchMean.toDoubleArray();
        double[] sigma2 = batchVariance.toDoubleArray();
        for (int c = 0; c < mean.length; c++) {
            mean[c] = (1 - momentum) * mean[c] + momentum * mu[c];
            var[c] = (1 - momentum) * var[c] + momentum * sigma2[c] * count / (count - 1);
        }
        return new Backend.RunningStatistics(Tensor.of(runningMean.dtype(), runningMean.shape(), mean),
                Tensor.of(runningVar.dtype(), runningVar.shape(), var));
    }
}
