package io.sipflow.autodiff.backend;

import java.util.Objects;

/**
 * Which backend computes ops. The default is the pure-Java {@link CpuBackend}; another is chosen explicitly with
 * {@link #use(Backend)} (e.g. the OpenCL backend of module {@code gpu}) and never silently.
 */
public final class Backends {
    private static volatile Backend current = CpuBackend.instance();

    private Backends() {
    }

    public static Backend current() {
        return current;
    }

    /** Makes {@code backend} the one every op uses from now on, on all threads; returns the previous one. */
    public static Backend use(Backend backend) {
        Backend previous = current;
        current = Objects.requireNonNull(backend, "backend");
        return previous;
    }
}
