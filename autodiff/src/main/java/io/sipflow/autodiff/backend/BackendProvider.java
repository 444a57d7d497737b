package io.sipflow.autodiff.backend;

/**
 * A backend another module contributes (e.g. "opencl" from module {@code gpu}), found through
 * {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.sipflow.autodiff.backend.BackendProvider}.
 */
public interface BackendProvider {
    /** {@return the name users select it by ({@code --backend NAME}, {@link Backends#named})} */
    String name();

    /**
     * Creates the backend, or throws an exception whose message says what was looked for and not found
     * (a provider never falls back to another backend while claiming to be itself).
     *
     * @return a working backend
     */
    Backend create();
}
