package io.sipflow.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sipflow.autodiff.backend.Backends;
import org.junit.jupiter.api.Test;

/**
 * Selecting the backend when no device matches: the error names the filter and the way out, whether or not this
 * machine has OpenCL at all (so these run everywhere, device or not).
 */
class OpenClSelectionTest {
    private static final String IMPOSSIBLE = "no-such-device-7f3a";

    @Test
    void createWithUnmatchedFilterSaysWhatWasLookedFor() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> OpenClBackend.create(IMPOSSIBLE));
        String m = e.getMessage();
        assertTrue(m.contains("no OpenCL device matching '" + IMPOSSIBLE + "'"), m);
        assertTrue(m.contains(OpenClDevices.FILTER_PROPERTY), m);
        assertTrue(m.contains("never falls back to Java threads"), m);
        // either the devices that do exist, or how to install a driver
        assertTrue(m.contains("Devices found:") || m.contains("pocl-opencl-icd"), m);
    }

    @Test
    void providerIsRegisteredAndHonoursTheFilterProperty() {
        String before = System.getProperty(OpenClDevices.FILTER_PROPERTY);
        System.setProperty(OpenClDevices.FILTER_PROPERTY, IMPOSSIBLE);
        try {
            // an IllegalArgumentException ("unknown backend") would mean the service file does not list the provider
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.named("opencl"));
            assertTrue(e.getMessage().contains(IMPOSSIBLE), e.getMessage());
            assertEquals("cpu", Backends.current().name(), "a failed selection must not change the current backend");
        } finally {
            if (before == null) {
                System.clearProperty(OpenClDevices.FILTER_PROPERTY);
            } else {
                System.setProperty(OpenClDevices.FILTER_PROPERTY, before);
            }
        }
    }
}
