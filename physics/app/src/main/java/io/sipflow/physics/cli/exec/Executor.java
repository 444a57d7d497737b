package io.sipflow.physics.cli.exec;

/** Where the runs of a comparison or sweep train. */
public enum Executor {
    /** On this machine: in this process, or with {@code --jobs N} as N {@code train} processes at a time. */
    LOCAL,
    /** On a Slurm cluster: one {@code sbatch --array} job, a task per run, and a job that collects the results. */
    SLURM
}
