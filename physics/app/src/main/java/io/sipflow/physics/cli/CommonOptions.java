package io.sipflow.physics.cli;

import io.sipflow.autodiff.Threads;
import io.sipflow.autodiff.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every subcommand takes: which backend computes, and on how many threads. */
public final class CommonOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--backend", paramLabel = "NAME", defaultValue = "cpu",
            description = "compute backend: cpu (default) or opencl (from module sipflow-gpu)")
    String backend;

    @Option(names = "--threads", paramLabel = "N", description = "worker threads for the CPU kernels (default: all cores)")
    Integer threads;

    /**
     * Selects the backend and thread count. An unknown backend name or a thread count below 1 is a usage error
     * (exit 2) whose message lists the known backends.
     */
    void apply() {
        if (threads != null && threads < 1) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--threads must be at least 1, got " + threads);
        }
        if (threads != null && threads > maxThreads()) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--threads " + threads + " is more than "
                    + maxThreads() + " (8 per core on this machine's " + Runtime.getRuntime().availableProcessors()
                    + " cores, at least 64); more threads than that only wait for each other");
        }
        try {
            Backends.use(Backends.named(backend));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(mixee.commandLine(), "--backend: " + e.getMessage());
        }
        if (threads != null) {
            Threads.set(threads);
        }
    }

    /** The most worker threads sipflow accepts: 8 per core, at least 64. */
    static int maxThreads() {
        return Math.max(64, 8 * Runtime.getRuntime().availableProcessors());
    }

    int effectiveThreads() {
        return Threads.count();
    }
}
