package io.sipflow.physics.cli.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Submits the tasks of a {@link TaskScript} to Slurm as one array job ({@code sbatch --array=0-(N-1) tasks.sh}),
 * then a job that collects the results once every task has ended, whether it finished, failed or was cancelled
 * ({@code --dependency=afterany}). The submission returns at once; the scheduler runs the tasks. Cluster-wide
 * settings (partition, account, time limit) come from Slurm's own {@code SBATCH_*} environment variables
 * ({@code SBATCH_PARTITION}, {@code SBATCH_ACCOUNT}, {@code SBATCH_TIMELIMIT}), which {@code sbatch} reads.
 */
public final class SlurmExecutor {
    /** The program that submits jobs; {@code SIPFLOW_SBATCH} names another (a wrapper, a full path). */
    static String sbatch() {
        String s = System.getenv("SIPFLOW_SBATCH");
        return s != null && !s.isBlank() ? s : "sbatch";
    }

    private SlurmExecutor() {
    }

    /**
     * Refuses at once when {@code sbatch} cannot be found, so a submission that cannot happen leaves the output
     * folder untouched.
     *
     * @throws IOException naming the program and where it was looked for
     */
    public static void requireSbatch() throws IOException {
        String program = sbatch();
        if (!findProgram(program, System.getenv("PATH"))) {
            throw new IOException("cannot find " + program + " on the PATH (--executor slurm submits with Slurm's"
                    + " sbatch, found on a cluster's login node; set SIPFLOW_SBATCH to its path if it is elsewhere)");
        }
    }

    /** Whether {@code program} (a name looked up in {@code path}, or a path) is an executable file. */
    static boolean findProgram(String program, String path) {
        if (program.contains("/")) {
            return Files.isRegularFile(Path.of(program)) && Files.isExecutable(Path.of(program));
        }
        if (path == null) {
            return false;
        }
        for (String folder : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The array job and the collecting job.
     *
     * @param arrayJob the array job's id
     * @param collectJob the collecting job's id
     */
    public record Submission(String arrayJob, String collectJob) {
    }

    /**
     * Submits the array and the collecting job.
     *
     * @param script the written {@code tasks.sh}
     * @param tasks the number of tasks in it
     * @param collect the command that collects the results (the JVM, its options and arguments)
     * @param jobName the jobs' name
     * @return the two job ids
     * @throws IOException if {@code sbatch} is missing or refuses a job; the message holds its output
     * @throws InterruptedException if interrupted while {@code sbatch} runs
     */
    public static Submission submit(Path script, int tasks, List<String> collect, String jobName)
            throws IOException, InterruptedException {
        Path logs = script.resolveSibling(TaskScript.LOGS);
        Files.createDirectories(logs);
        String array = run(List.of(sbatch(), "--parsable", "--array=0-" + (tasks - 1), script.toString()));
        List<String> collectJob = new ArrayList<>(List.of(sbatch(), "--parsable", "--job-name=" + jobName + "-collect",
                "--dependency=afterany:" + array, "--kill-on-invalid-dep=no", "--ntasks=1", "--cpus-per-task=1",
                "--output=" + logs.resolve("collect-%j.out"), "--wrap", wrap(collect)));
        String collector = run(collectJob);
        return new Submission(array, collector);
    }

    /** A command line as one shell line for {@code sbatch --wrap}. */
    static String wrap(List<String> command) {
        return TaskScript.words(command);
    }

    /** Runs {@code command}; returns the job id sbatch --parsable printed ("123" or "123;cluster"). */
    static String run(List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command.get(0) + " (--executor slurm submits with Slurm's sbatch,"
                    + " found on a cluster's login node; set SIPFLOW_SBATCH to its path if it is not on the PATH): "
                    + e.getMessage(), e);
        }
        byte[] output = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command.get(0) + " did not answer within 120 s");
        }
        String text = new String(output, StandardCharsets.UTF_8).strip();
        if (p.exitValue() != 0) {
            throw new IOException(command.get(0) + " refused the job (exit " + p.exitValue() + "): " + text);
        }
        String last = text.lines().reduce((a, b) -> b).orElse("");
        String id = last.split(";")[0].strip();
        if (!id.matches("[0-9]+")) {
            throw new IOException(command.get(0) + " printed no job id: " + text);
        }
        return id;
    }
}
