package io.sipflow.physics.cli;

import io.sipflow.autodiff.backend.Backends;
import io.sipflow.autodiff.backend.Parallel;
import picocli.CommandLine.Option;

/** Options every subcommand takes: which backend computes, and on how many threads. */
public final class CommonOptions {
    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "compute backend: cpu (default) or opencl (from module sipflow-gpu)")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads for the CPU kernels (default: all cores)")
    Integer threads;

    /** Selects the backend and thread count; an unknown backend name fails with the list of known ones. */
    void apply() {
        Backends.use(Backends.named(backend));
        if (threads != null) {
            Parallel.setThreads(threads);
        }
    }

    int effectiveThreads() {
        return Parallel.threads();
    }
}
