package io.sipflow.autodiff.backend;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads {@link Parallel} runs chunks on: the calling thread and {@code size − 1} daemon workers. A parallel
 * loop is one {@link Job}: every participant, the caller included, claims chunk numbers from one counter until
 * none are left, so a worker the operating system has not scheduled yet costs nothing (the caller takes its chunks)
 * and nothing waits on a hand-off to start the work.
 *
 * <p>Between jobs a worker spins for {@link HandOffMonitor#SPIN_NANOS} before it parks: the ops of a training step
 * come a few microseconds apart, and waking a parked thread costs tens of microseconds (more on a busy machine), as
 * much as a small op's whole work. A caller that has run out of chunks spins the same way for the last ones, then
 * parks until the worker that finishes the job wakes it. On an oversubscribed machine (more runnable threads than
 * cores) spinning burns the time slice the awaited thread needs; a {@link HandOffMonitor} watches how long the caller
 * waits for a core and turns spinning off (everyone parks at once) while that wait is a large share of its time.
 *
 * <p>Which thread runs a chunk never changes its result: chunk boundaries come from the loop ({@link Parallel}),
 * and each chunk is run by one thread.
 */
final class WorkerPool {
    private final Worker[] workers;
    private final HandOffMonitor monitor = new HandOffMonitor();
    /** The job being run, null between jobs. */
    private volatile Job current;
    /** Held by the caller whose job runs; another caller meanwhile runs its loop on its own thread. */
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean shutdown;

    WorkerPool(int size) {
        workers = new Worker[Math.max(1, size) - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, i + 1);
            workers[i].start();
        }
    }

    /** {@return the threads a loop runs on, the caller included} */
    int size() {
        return workers.length + 1;
    }

    /** Ends the workers once they are idle. */
    void shutdown() {
        shutdown = true;
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /**
     * Runs {@code body} over the {@code chunks} chunks of [0, n) on the caller and the workers; returns when all
     * have run. From inside a job (a nested loop) or while another caller's job runs, the whole range runs on the
     * calling thread instead.
     *
     * @return false if the loop ran on the calling thread alone
     */
    boolean run(int n, int chunks, Parallel.RangeBody body) {
        if (workers.length == 0 || Thread.currentThread() instanceof Worker || !busy.compareAndSet(0, 1)) {
            body.run(0, n);
            return false;
        }
        try {
            Job job = new Job(n, chunks, body);
            current = job;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            job.work();
            job.await(monitor.spinNanos());
            current = null;
            monitor.observe(System.nanoTime());
            job.body = null;
            job.rethrow();
            return true;
        } finally {
            busy.set(0);
        }
    }

    /** {@return the monitor that decides whether idle threads spin (for tests)} */
    HandOffMonitor monitor() {
        return monitor;
    }

    /** One parallel loop: chunks claimed from {@link #next}, finished ones counted down in {@link #remaining}. */
    private static final class Job {
        private final int n;
        private final int chunks;
        /** Dropped when the job is done, so that no worker keeps the loop's arrays alive. */
        private Parallel.RangeBody body;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger remaining;
        private volatile Thread waiter;
        private volatile Throwable failure;

        Job(int n, int chunks, Parallel.RangeBody body) {
            this.n = n;
            this.chunks = chunks;
            this.body = body;
            this.remaining = new AtomicInteger(chunks);
        }

        /** Claims and runs chunks until none are left to claim. */
        void work() {
            int done = 0;
            for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
                try {
                    if (failure == null) {
                        body.run(start(c), start(c + 1));
                    }
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
                done++;
            }
            if (done > 0 && remaining.addAndGet(-done) == 0) {
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        /** Waits until every chunk has run: spins up to {@code spinNanos}, then parks until the last one is done. */
        void await(long spinNanos) {
            long spinUntil = System.nanoTime() + spinNanos;
            while (remaining.get() > 0) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    waiter = Thread.currentThread();
                    if (remaining.get() > 0) {
                        LockSupport.parkNanos(this, 1_000_000);
                    }
                }
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        private int start(int c) {
            return (int) ((long) n * c / chunks);
        }
    }

    /** A daemon thread that runs the chunks of each job it sees. */
    private static final class Worker extends Thread {
        private final WorkerPool pool;
        volatile boolean parked;

        Worker(WorkerPool pool, int index) {
            super("sipflow-worker-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            while (!pool.shutdown) {
                Job job = pool.current;
                if (job != null && job != seen) {
                    seen = job;
                    job.work();
                    continue;
                }
                idle(seen);
            }
        }

        /** Spins for the monitor's spin budget waiting for a new job, then parks until one is published. */
        private void idle(Job seen) {
            long spinUntil = System.nanoTime() + pool.monitor.spinNanos();
            while (System.nanoTime() < spinUntil) {
                Job job = pool.current;
                if ((job != null && job != seen) || pool.shutdown) {
                    return;
                }
                Thread.onSpinWait();
            }
            parked = true;
            Job job = pool.current;
            if ((job == null || job == seen) && !pool.shutdown) {
                LockSupport.park(pool);
            }
            parked = false;
        }
    }
}
