package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.Executor;
import io.sipflow.physics.cli.exec.JavaLaunch;
import io.sipflow.physics.cli.exec.LocalExecutor;
import io.sipflow.physics.cli.exec.RunTask;
import io.sipflow.physics.cli.exec.SlurmExecutor;
import io.sipflow.physics.cli.exec.TaskScript;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The runs of a comparison or sweep, one resumable run folder each, trained where {@link ExecutorOptions} says:
 * in this process one after another, as {@code --jobs} {@code train} processes at a time, or as the tasks of one
 * Slurm array job. The plan ({@value RunCollection#RUNS}) is written first; the results are collected from the
 * run folders at the end ({@link RunCollection}), by this process or, on Slurm, by a job that waits for the array.
 */
final class RunSplit {
    private RunSplit() {
    }

    /** Trains the runs in this process (the command's own loop). */
    @FunctionalInterface
    interface InProcess {
        void run() throws IOException;
    }

    /**
     * Runs {@code specs} in {@code dir} (checked, locked and prepared by the caller) and collects them.
     *
     * @return the collection's exit code, or 0 once the Slurm jobs are submitted
     */
    static int run(CommandLine cl, RunCollection.Kind kind, Path dir, List<CompareCommand.RunSpec> specs, int seeds,
                   String runId, ExecutorOptions exec, CommonOptions common, boolean detectAnomaly,
                   InProcess inProcess) throws IOException, InterruptedException {
        List<String> folders = specs.stream().map(CompareCommand.RunSpec::folder).toList();
        RunCollection.writePlan(dir, folders);
        PrintWriter out = cl.getOut();
        if (exec.inProcess()) {
            inProcess.run();
            return RunCollection.collect(dir, kind, folders, seeds, runId, out, cl.getErr());
        }
        int threads = exec.threadsPerTask(common);
        List<RunTask> tasks = RunTasks.of(specs, common, threads, detectAnomaly);
        JavaLaunch launch = RunTasks.launch();
        Path script = dir.resolve(TaskScript.NAME);
        String job = "sipflow-" + kind.command();
        AtomicFiles.writeString(script, TaskScript.text(dir, launch, tasks, job, threads,
                RunTasks.memoryMb(tasks), kind.command()));
        if (exec.executor == Executor.LOCAL) {
            out.printf(Locale.ROOT, "%d runs as train processes, %d at a time with %d threads each (tasks in %s,"
                    + " logs in %s)%n", tasks.size(), exec.jobs, threads, script, dir.resolve(TaskScript.LOGS));
            out.flush();
            LocalExecutor.run(script, folders, exec.jobs, out);
            return RunCollection.collect(dir, kind, folders, seeds, runId, out, cl.getErr());
        }
        List<String> collect = new ArrayList<>(List.of(launch.java()));
        collect.addAll(JavaLaunch.LAUNCHER_OPTIONS);
        collect.addAll(List.of("-cp", launch.classpathArgument(), launch.mainClass(), kind.command(), "--collect",
                dir.toString()));
        SlurmExecutor.Submission s = SlurmExecutor.submit(script, tasks.size(), collect, job);
        out.printf(Locale.ROOT, "submitted %d runs as Slurm array job %s (tasks 0-%d, one per run folder; list in %s)"
                        + " and job %s, which collects them into %s once every task has ended.%n"
                        + "Follow them with: squeue -j %s,%s   (logs in %s)%n"
                        + "A task that was stopped (scancel, a time limit, a failed node) resumes from its checkpoint"
                        + " when resubmitted: sbatch --array=I %s; then: sipflow %s --collect %s%n",
                tasks.size(), s.arrayJob(), tasks.size() - 1, dir.resolve(RunCollection.RUNS), s.collectJob(),
                dir.resolve(kind.csv), s.arrayJob(), s.collectJob(), dir.resolve(TaskScript.LOGS), script,
                kind.command(), dir);
        out.flush();
        return 0;
    }
}
