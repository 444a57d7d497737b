package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Tensor;

/** Batch norm's running-statistics update on the host: the spec of {@link Backend#batchNormRunningUpdate}. */
public final class RunningStatisticsLoop {
    private RunningStatisticsLoop() {
    }

    /** See {@link Backend#batchNormRunningUpdate}. */
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
