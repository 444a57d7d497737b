package io.sipflow.physics.cli.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code DIR/tasks.sh}: the runs of a comparison or sweep as numbered tasks. {@code bash tasks.sh I} runs task I
 * (what the local executor does); under Slurm, {@code sbatch --array=0-(N-1) tasks.sh} runs task
 * {@code $SLURM_ARRAY_TASK_ID} (its {@code #SBATCH} lines are comments to bash). Each task, by what its run folder
 * holds:
 * <ul>
 *   <li>a manifest ({@value #MANIFEST}): the run finished earlier, nothing to do (a resubmitted array skips it);</li>
 *   <li>a checkpoint ({@value #CHECKPOINT}): {@code train --resume FOLDER}, so a task the scheduler killed
 *       continues from its last checkpoint;</li>
 *   <li>otherwise: {@code train SETTINGS --out FOLDER --overwrite} (a folder without a checkpoint holds only the
 *       start of a run that kept nothing; {@code --overwrite} replaces only files sipflow writes).</li>
 * </ul>
 * The task becomes the JVM ({@code exec}), so the scheduler's SIGTERM reaches the run, which stops after the step
 * in flight with a checkpoint. {@code SIPFLOW_JAVA_OPTS} in the task's environment adds JVM options, as for the
 * launcher.
 */
public final class TaskScript {
    /** The script's name in the comparison's or sweep's folder. */
    public static final String NAME = "tasks.sh";
    /** The folder of the tasks' logs, inside the comparison's or sweep's folder. */
    public static final String LOGS = "logs";
    /** A finished run's manifest (the run folder's mark that its results are complete). */
    public static final String MANIFEST = "sipflow-manifest.txt";
    /** An interrupted run's checkpoint. */
    public static final String CHECKPOINT = "checkpoint.npz";

    private TaskScript() {
    }

    /**
     * The script's text.
     *
     * @param dir the comparison's or sweep's folder, absolute
     * @param launch the JVM and class path the tasks run
     * @param tasks the tasks, numbered from 0 in this order
     * @param jobName the Slurm job's name
     * @param cpusPerTask the CPUs each task asks Slurm for (its {@code --threads})
     * @param memoryMb the memory each task asks Slurm for, in MiB (its heap and the JVM's own), 0 for the
     *                 cluster's default
     * @param command the command that collects the results, "compare" or "sweep"
     * @return the text of {@code tasks.sh}
     */
    public static String text(Path dir, JavaLaunch launch, List<RunTask> tasks, String jobName, int cpusPerTask,
                              long memoryMb, String command) {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/usr/bin/env bash\n");
        sb.append("# sipflow's runs in ").append(dir).append(" as ").append(tasks.size()).append(" tasks; written by sipflow.\n");
        sb.append("#   one task here:          bash ").append(dir.resolve(NAME)).append(" I   (I = 0 .. ")
                .append(tasks.size() - 1).append(")\n");
        sb.append("#   all of them on Slurm:   sbatch --array=0-").append(tasks.size() - 1).append(' ')
                .append(dir.resolve(NAME)).append('\n');
        sb.append("# A finished run is skipped, an interrupted one resumes from its checkpoint. Then collect the results:\n");
        sb.append("#   sipflow ").append(command).append(" --collect ").append(dir).append('\n');
        sb.append("#SBATCH --job-name=").append(jobName).append('\n');
        sb.append("#SBATCH --output=").append(dir.resolve(LOGS)).append("/slurm-%A_%a.out\n");
        sb.append(String.format(Locale.ROOT, "#SBATCH --cpus-per-task=%d%n", cpusPerTask));
        if (memoryMb > 0) {
            sb.append(String.format(Locale.ROOT, "#SBATCH --mem=%dM%n", memoryMb));
        }
        sb.append("#SBATCH --ntasks=1\n");
        sb.append("set -euo pipefail\n");
        sb.append("TASK=\"${1:-${SLURM_ARRAY_TASK_ID:-}}\"\n");
        sb.append("JAVA=(").append(words(List.of(launch.java()))).append(' ').append(words(JavaLaunch.LAUNCHER_OPTIONS))
                .append(")\n");
        sb.append("CLASSPATH_ARG=").append(quote(launch.classpathArgument())).append('\n');
        sb.append("MAIN=").append(quote(launch.mainClass())).append('\n');
        sb.append("case \"$TASK\" in\n");
        for (int i = 0; i < tasks.size(); i++) {
            RunTask t = tasks.get(i);
            sb.append("    ").append(i).append(")\n");
            sb.append("        RUN=").append(quote(dir.resolve(t.folder()).toString())).append('\n');
            sb.append("        JVM=(").append(words(t.jvmOptions())).append(")\n");
            sb.append("        SETTINGS=(").append(words(t.settings())).append(")\n");
            sb.append("        RUNTIME=(").append(words(t.runtime())).append(") ;;\n");
        }
        sb.append("    *)\n");
        sb.append("        echo \"tasks.sh: no task '$TASK' here; give 0 to ").append(tasks.size() - 1)
                .append(" (or run under sbatch --array)\" >&2\n");
        sb.append("        exit 2 ;;\n");
        sb.append("esac\n");
        sb.append("if [ -f \"$RUN/").append(MANIFEST).append("\" ]; then\n");
        sb.append("    echo \"task $TASK: $RUN holds a finished run; nothing to do\"\n");
        sb.append("    exit 0\n");
        sb.append("fi\n");
        sb.append("if [ -f \"$RUN/").append(CHECKPOINT).append("\" ]; then\n");
        sb.append("    echo \"task $TASK: resuming $RUN from its checkpoint\"\n");
        sb.append("    exec \"${JAVA[@]}\" \"${JVM[@]}\" ${SIPFLOW_JAVA_OPTS:-} -cp \"$CLASSPATH_ARG\" \"$MAIN\" train"
                + " --resume \"$RUN\" \"${RUNTIME[@]}\"\n");
        sb.append("fi\n");
        sb.append("echo \"task $TASK: training into $RUN\"\n");
        sb.append("exec \"${JAVA[@]}\" \"${JVM[@]}\" ${SIPFLOW_JAVA_OPTS:-} -cp \"$CLASSPATH_ARG\" \"$MAIN\" train"
                + " \"${SETTINGS[@]}\" \"${RUNTIME[@]}\" --out \"$RUN\" --overwrite\n");
        return sb.toString();
    }

    /** Words for a bash array, each single-quoted. */
    static String words(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (!sb.isEmpty()) {
                sb.append(' ');
            }
            sb.append(quote(w));
        }
        return sb.toString();
    }

    /** {@code s} as one bash word: in single quotes, each ' written as '\''. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
