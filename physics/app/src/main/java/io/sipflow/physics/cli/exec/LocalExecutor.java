package io.sipflow.physics.cli.exec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the tasks of a {@link TaskScript} on this machine, {@code jobs} processes at a time: task I is
 * {@code bash tasks.sh I} with its output in {@code DIR/logs/task-I.out}. A line on {@code out} says when each
 * task ends and how.
 */
public final class LocalExecutor {
    private LocalExecutor() {
    }

    /**
     * Runs every task and waits for all of them.
     *
     * @param script the written {@code tasks.sh}
     * @param folders the tasks' run folders, in task order (for the progress lines)
     * @param jobs how many tasks run at a time, at least 1
     * @param out where each task's end is reported
     * @return each task's exit code, in task order (0 done, 3 a run that diverged or ended unstable, else failed)
     * @throws IOException if a task cannot be started or its log not written
     * @throws InterruptedException if this thread is interrupted while waiting (the running tasks are stopped)
     */
    public static int[] run(Path script, List<String> folders, int jobs, PrintWriter out)
            throws IOException, InterruptedException {
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
        }
        Path logs = script.resolveSibling(TaskScript.LOGS);
        Files.createDirectories(logs);
        ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "sipflow-task");
            t.setDaemon(true);
            return t;
        });
        List<Process> running = java.util.Collections.synchronizedList(new ArrayList<>());
        // a signal that ends this JVM reaches the tasks too: each run then stops with a checkpoint
        Thread stopTasks = new Thread(() -> stopAndWait(running), "sipflow-stop-tasks");
        Runtime.getRuntime().addShutdownHook(stopTasks);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < folders.size(); i++) {
                int task = i;
                results.add(pool.submit(() -> runOne(script, task, folders.get(task), logs, running, out)));
            }
            int[] codes = new int[folders.size()];
            for (int i = 0; i < codes.length; i++) {
                try {
                    codes[i] = results.get(i).get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof IOException io ? io : new IOException("task " + i + ": " + cause, cause);
                }
            }
            return codes;
        } finally {
            pool.shutdownNow();
            stopAndWait(running); // only on an interruption or a failure to start is any task still running
            try {
                Runtime.getRuntime().removeShutdownHook(stopTasks);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running already
            }
        }
    }

    /** SIGTERM to every running task (each stops after its step in flight, with a checkpoint), then waits. */
    private static void stopAndWait(List<Process> running) {
        List<Process> copy;
        synchronized (running) {
            copy = new ArrayList<>(running);
        }
        copy.forEach(Process::destroy);
        for (Process p : copy) {
            try {
                p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int runOne(Path script, int task, String folder, Path logs, List<Process> running,
                              PrintWriter out) throws IOException, InterruptedException {
        Path log = logs.resolve("task-" + task + ".out");
        Process p = new ProcessBuilder("bash", script.toString(), String.valueOf(task))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        running.add(p);
        int code;
        try {
            code = p.waitFor();
        } finally {
            running.remove(p);
        }
        synchronized (out) {
            out.printf(Locale.ROOT, "task %d (%s): %s; log %s%n", task, folder, switch (code) {
                case 0 -> "done";
                case 3 -> "stopped on a NaN or infinity, or ended unstable (exit 3)";
                default -> "failed with exit code " + code;
            }, log);
            out.flush();
        }
        return code;
    }
}
