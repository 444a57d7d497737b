package io.sipflow.gpu;

import io.sipflow.autodiff.backend.Backend;
import io.sipflow.autodiff.backend.BackendProvider;

/**
 * Contributes "opencl" to {@code Backends.named} and {@code --backend opencl}, on the device chosen by
 * {@code -Dsipflow.opencl.device} / {@code SIPFLOW_OPENCL_DEVICE} (default: any, GPU first). Creation throws if no
 * OpenCL device matches; it never hands back a Java fallback.
 */
public final class OpenClBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public Backend create() {
        return OpenClBackend.create();
    }
}
