package io.sipflow.gpu;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The selection rule on a machine like the GPU box (PoCL's CPU device listed before an NVIDIA GPU), with device
 * descriptions only: nothing here touches OpenCL, so it runs everywhere.
 */
class OpenClDevicesTest {
    private final OpenCLDevice pocl =
            device("Portable Computing Language", "pthread-skylake-avx512", Device.TYPE.CPU, 1);
    private final OpenCLDevice h200 = device("NVIDIA CUDA", "NVIDIA H200", Device.TYPE.GPU, 2);
    private final List<OpenCLDevice> both = List.of(pocl, h200);

    @Test
    void anyPrefersTheGpuOverAnEarlierCpuDevice() {
        assertSame(h200, OpenClDevices.select("any", both));
        assertSame(pocl, OpenClDevices.select("any", List.of(pocl)));
    }

    @Test
    void typeAndNameFiltersPickTheirDevice() {
        assertSame(pocl, OpenClDevices.select("cpu", both));
        assertSame(h200, OpenClDevices.select("GPU", both));
        assertSame(h200, OpenClDevices.select("h200", both));
        assertSame(pocl, OpenClDevices.select("pthread", both));
    }

    @Test
    void noMatchListsTheDevicesThatExist() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> OpenClDevices.select("gpu", List.of(pocl)));
        assertTrue(e.getMessage().contains("no OpenCL device matching 'gpu'"), e.getMessage());
        assertTrue(e.getMessage().contains("Devices found: [pthread-skylake-avx512 (CPU, platform Portable"),
                e.getMessage());
    }

    private static OpenCLDevice device(String platform, String name, Device.TYPE type, long id) {
        // OpenCLPlatform's arguments are (id, version, vendor, name)
        OpenCLPlatform p = new OpenCLPlatform(0, "OpenCL 3.0", "vendor", platform);
        OpenCLDevice d = new OpenCLDevice(p, id, type);
        d.setName(name);
        return d;
    }
}
