package io.sipflow.gpu;

import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelDeviceProfile;
import com.aparapi.internal.kernel.KernelManager;
import com.aparapi.internal.kernel.KernelProfile;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts a kernel on one OpenCL device and proves afterwards that it ran there. Aparapi 3.0.2 does not throw
 * when OpenCL fails: it falls back to Java threads, or (for a kernel pinned to a device) returns without running,
 * and {@code Kernel.getTargetDevice()} only reports the class's preferred device, not where a launch ran. So
 * after every launch three facts are checked, and any failing one throws (as does an exception or assertion
 * error from inside Aparapi, e.g. when a kernel cannot be translated to OpenCL):
 * <ol>
 *   <li>the kernel's stamp for this launch came back from the device ({@link DeviceKernel}): it ran at all;</li>
 *   <li>Aparapi's profile for the kernel class says its last launch was on this device: not a Java fallback;</li>
 *   <li>Aparapi has not marked this device failed for the kernel class.</li>
 * </ol>
 */
final class Launch {
    /** Work-group size: a multiple of the warp/wavefront width, small enough for every device we target. */
    private static final int GROUP = 64;
    private static final AtomicInteger STAMPS = new AtomicInteger();

    private Launch() {
    }

    /**
     * Runs {@code kernel} over {@code total} work items (rounded up to whole work groups; kernels ignore ids
     * {@code >= total}) on {@code device}, then verifies that it ran there.
     */
    static void run(DeviceKernel kernel, OpenCLDevice device, int total, String what) {
        int local = Math.max(1, Math.min(GROUP, device.getMaxWorkGroupSize()));
        int global = (total + local - 1) / local * local;
        int stamp = STAMPS.incrementAndGet();
        kernel.stamp = stamp;
        try {
            kernel.execute(Range.create(device, global, local));
            kernel.get(kernel.ran);
        } catch (RuntimeException | AssertionError e) {
            // Aparapi's fallback path throws AssertionError ("user supplied Device incompatible ...") when a
            // kernel pinned to a device cannot be translated or compiled: report it as this backend's failure.
            throw new IllegalStateException("opencl backend: kernel " + what + " (" + kernel.getClass().getSimpleName()
                    + ") did not run on OpenCL device " + OpenClDevices.describe(device) + ": Aparapi failed with "
                    + e, e);
        }
        verify(kernel, device, stamp, what);
    }

    /** Throws unless {@code kernel}'s last launch, stamped {@code stamp}, ran as OpenCL on {@code device}. */
    static void verify(DeviceKernel kernel, OpenCLDevice device, int stamp, String what) {
        KernelProfile profile = KernelManager.instance().getProfile(kernel.getClass());
        KernelDeviceProfile last = profile.getLastDeviceProfile();
        boolean lastOnDevice = last != null && last == profile.getDeviceProfile(device);
        boolean stamped = kernel.ran[0] == stamp;
        boolean failed = KernelManager.instance().getPreferences(kernel).getFailedDevices().contains(device);
        if (!stamped || !lastOnDevice || failed) {
            throw new IllegalStateException("opencl backend: kernel " + what + " (" + kernel.getClass().getSimpleName()
                    + ") did not run on OpenCL device " + OpenClDevices.describe(device) + ": "
                    + (stamped ? "" : "the launch left no trace on the device (skipped); ")
                    + (lastOnDevice ? "" : "Aparapi last ran this kernel on "
                            + (last == null ? "no device" : String.valueOf(last)) + "; ")
                    + (failed ? "Aparapi marked the device failed for this kernel; " : "")
                    + "run with -Dcom.aparapi.logLevel=WARNING to see Aparapi's reason (e.g. an OpenCL compile error,"
                    + " or no fp64 support for a FLOAT64 kernel).");
        }
    }
}
