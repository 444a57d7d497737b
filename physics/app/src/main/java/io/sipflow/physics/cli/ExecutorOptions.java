package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.Executor;
import io.sipflow.physics.cli.exec.SlurmExecutor;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the runs of {@code compare} and {@code sweep} train: {@code --executor local|slurm} and {@code --jobs N}.
 * Neither changes a run's settings or results (they are not recorded in run.json), only where and how many at a
 * time.
 */
public final class ExecutorOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--executor", paramLabel = "local|slurm", defaultValue = "local",
            description = "where the runs train: local (this machine, default) or slurm (one sbatch --array job, a task"
                    + " per run, then a job that collects the results; docs/cluster.md)")
    Executor executor;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "1",
            description = "local: train N runs at a time, each a train process of its own (default 1: one after"
                    + " another in this process)")
    int jobs;

    /** Whether the runs train in this process, one after another (the default). */
    boolean inProcess() {
        return executor == Executor.LOCAL && jobs == 1;
    }

    /**
     * Refuses --jobs below 1, or with slurm (where the scheduler decides); with slurm, a missing {@code sbatch}
     * (exit 1), before the output folder is touched.
     */
    void check() throws java.io.IOException {
        CommandLine cl = mixee.commandLine();
        if (jobs < 1) {
            throw new CommandLine.ParameterException(cl, "--jobs must be at least 1, got " + jobs);
        }
        if (executor == Executor.SLURM && jobs != 1) {
            throw new CommandLine.ParameterException(cl, "--jobs " + jobs + " is for --executor local; under Slurm"
                    + " every run is a task of its own and the scheduler decides how many run at a time");
        }
        if (executor == Executor.SLURM) {
            SlurmExecutor.requireSbatch();
        }
    }

    /**
     * Each task's worker threads: --threads if given, else the machine's cores shared among the local jobs, or 1
     * CPU per Slurm task.
     */
    int threadsPerTask(CommonOptions common) {
        if (common.threads != null) {
            return common.threads;
        }
        return executor == Executor.SLURM ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / jobs);
    }
}
