package io.sipflow.physics.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets SIGTERM, SIGINT (Ctrl-C) and SIGHUP end a training run at a step boundary instead of mid-step. While one
 * is installed, the JVM's shutdown (which those signals start) first sets {@link #requested()}, which the training
 * loop checks between steps, then waits until the run {@link #close closes} it: after the checkpoint of the last
 * completed step is written, or after the results, if the run was already writing them. The wait is bounded by
 * {@link #BOUND_SECONDS}, so a step that hangs cannot keep the process alive; then the last periodic checkpoint
 * is what remains.
 * <pre>
 *   try (GracefulStop stop = GracefulStop.install()) {
 *       trainer.run(listener, stop::requested);
 *       if (stop.requested()) { write the checkpoint; print a line; throw new RunStopped(); }
 *       write the results;
 *   }
 * </pre>
 * kill -9 cannot be caught; the launcher execs the JVM so that it, too, ends the run (see ./sipflow).
 */
final class GracefulStop implements AutoCloseable {
    /** Longest wait, in seconds, for the step in flight and the checkpoint after a signal. */
    static final int BOUND_SECONDS = 30;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "sipflow-graceful-stop");
    private volatile boolean requested;

    private GracefulStop() {
    }

    /** Registers the shutdown hook; {@link #close} removes it. */
    static GracefulStop install() {
        GracefulStop stop = new GracefulStop();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** True once the JVM is shutting down: stop after the step in flight. */
    boolean requested() {
        return requested;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run's files are consistent: a pending shutdown may go ahead; else the hook is removed. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running and returns now that the latch is open
        }
    }

    /**
     * A run that a signal ended between steps, after it printed its one line (the JVM exits with the signal's
     * status): the commands that called it stop too.
     */
    static final class RunStopped extends RuntimeException {
        RunStopped() {
            super("stopped by a signal", null, false, false);
        }
    }
}
