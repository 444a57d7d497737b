package io.sipflow.physics.cli.exec;

import java.util.List;

/**
 * One run of a comparison or sweep as a task: {@code sipflow train SETTINGS RUNTIME --out DIR/FOLDER}, or
 * {@code sipflow train --resume DIR/FOLDER RUNTIME} once the folder holds a checkpoint.
 *
 * @param folder the run folder relative to the comparison's or sweep's folder, e.g. {@code xi_10/sip/seed_3}
 * @param jvmOptions the JVM options of the task's {@code train} process (its planned heap)
 * @param settings the {@code train} options that fix the run (method, seed, problem, steps …): they make the
 *                 same configuration as the comparison's own for this run
 * @param runtime the options that do not change the run's results and may be given on resume too (threads,
 *                backend)
 */
public record RunTask(String folder, List<String> jvmOptions, List<String> settings, List<String> runtime) {
    /**
     * Copies the lists and checks the folder.
     *
     * @throws IllegalArgumentException if the folder is empty, absolute or leaves the comparison's folder
     */
    public RunTask {
        if (folder.isEmpty() || folder.startsWith("/") || List.of(folder.split("/")).contains("..")) {
            throw new IllegalArgumentException("a task's folder must be a path inside the output folder, got '"
                    + folder + "'");
        }
        jvmOptions = List.copyOf(jvmOptions);
        settings = List.copyOf(settings);
        runtime = List.copyOf(runtime);
    }
}
