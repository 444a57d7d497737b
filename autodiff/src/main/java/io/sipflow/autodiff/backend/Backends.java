package io.sipflow.autodiff.backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Which backend computes ops. The default is the pure-Java {@link CpuBackend}; another is chosen explicitly with
 * {@link #use(Backend)} (e.g. the OpenCL backend of module {@code gpu}) and never silently.
 */
public final class Backends {
    private static volatile Backend current = CpuBackend.instance();

    private Backends() {
    }

    /** {@return the backend every op uses now (initially {@link CpuBackend#instance()})} */
    public static Backend current() {
        return current;
    }

    /**
     * Makes {@code backend} the one every op uses from now on, on all threads.
     *
     * @param backend the new backend
     * @return the previous one, to restore afterwards
     * @throws NullPointerException if {@code backend} is null
     */
    public static Backend use(Backend backend) {
        Backend previous = current;
        current = Objects.requireNonNull(backend, "backend");
        return previous;
    }

    /**
     * The backend called {@code name}: "cpu", or one contributed through {@link BackendProvider}.
     *
     * @param name the backend's name, e.g. "cpu" or "opencl"
     * @return a backend (a fresh one for providers)
     * @throws IllegalArgumentException for an unknown name, listing the available ones
     */
    public static Backend named(String name) {
        if ("cpu".equals(name)) {
            return CpuBackend.instance();
        }
        List<String> known = new ArrayList<>(List.of("cpu"));
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p.name().equals(name)) {
                return p.create();
            }
            known.add(p.name());
        }
        throw new IllegalArgumentException("unknown backend '" + name + "'; available: " + String.join(", ", known)
                + (name.equals("opencl") ? " (the opencl backend lives in module sipflow-gpu: put it on the class path)" : ""));
    }
}
