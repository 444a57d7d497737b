package io.sipflow.gpu;

import com.aparapi.Kernel;
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
        int stamp = STAMPS.incrementAndGet();
        kernel.stamp = stamp;
        kernel.launches++;
        execute(kernel, device, total, what);
        try {
            kernel.get(kernel.ran);
        } catch (RuntimeException e) {
            throw notOnDevice(kernel, device, what, "Aparapi failed with " + e + "; ");
        }
        verify(kernel, device, stamp, what);
    }

    /**
     * Runs {@code kernel} over {@code total} work items on {@code device} and checks Aparapi's records (not the
     * device: that would cost a transfer) that it ran there; {@link DeviceArena} checks its launch count on each
     * read-back instead.
     */
    static void execute(Kernel kernel, OpenCLDevice device, int total, String what) {
        int local = Math.max(1, Math.min(GROUP, device.getMaxWorkGroupSize()));
        int global = Math.max(1, (total + local - 1) / local) * local;
        execute(kernel, device, Range.create(device, global, local), what);
    }

    /**
     * Runs {@code kernel} over an explicit {@code range} (global and work-group sizes, 1D or 2D) on {@code device}
     * and checks Aparapi's records as {@link #execute(Kernel, OpenCLDevice, int, String)} does.
     */
    static void execute(Kernel kernel, OpenCLDevice device, Range range, String what) {
        try {
            kernel.execute(range);
        } catch (RuntimeException | AssertionError e) {
            // Aparapi's fallback path throws AssertionError ("user supplied Device incompatible ...") when a
            // kernel pinned to a device cannot be translated or compiled: report it as this backend's failure.
            IllegalStateException failure = notOnDevice(kernel, device, what, "Aparapi failed with " + e + "; ");
            failure.initCause(e);
            throw failure;
        }
        String problem = profileProblem(kernel, device);
        if (problem != null) {
            throw notOnDevice(kernel, device, what, problem);
        }
    }

    /** Throws unless {@code kernel}'s last launch, stamped {@code stamp}, ran as OpenCL on {@code device}. */
    static void verify(DeviceKernel kernel, OpenCLDevice device, int stamp, String what) {
        boolean stamped = kernel.ran[0] == stamp;
        String profile = stamped ? profileProblem(kernel, device) : null;
        if (!stamped || profile != null) {
            throw notOnDevice(kernel, device, what, (stamped ? "" : "the launch left no trace on the device (skipped); ")
                    + (profile == null ? "" : profile));
        }
    }

    /**
     * Why Aparapi's records say {@code kernel}'s last launch did not run as OpenCL on {@code device}, or null if they
     * say it did: its profile names another device (a Java fallback) or it marked the device failed for the class.
     */
    static String profileProblem(Kernel kernel, OpenCLDevice device) {
        KernelProfile profile = KernelManager.instance().getProfile(kernel.getClass());
        if (profile == null) {
            return "Aparapi has no record of running this kernel class; ";
        }
        KernelDeviceProfile last;
        try {
            last = profile.getLastDeviceProfile();
        } catch (NullPointerException e) { // Aparapi 3.0.2 before the class's first launch on this thread
            return "Aparapi has no record of running this kernel class; ";
        }
        boolean lastOnDevice = last != null && last == profile.getDeviceProfile(device);
        boolean failed = KernelManager.instance().getPreferences(kernel).getFailedDevices().contains(device);
        if (lastOnDevice && !failed) {
            return null;
        }
        return (lastOnDevice ? "" : "Aparapi last ran this kernel on " + (last == null ? "no device" : String.valueOf(last))
                + "; ") + (failed ? "Aparapi marked the device failed for this kernel; " : "");
    }

    /** The exception for a launch that did not run on the device, with how to find Aparapi's reason. */
    static IllegalStateException notOnDevice(Kernel kernel, OpenCLDevice device, String what, String why) {
        return new IllegalStateException("opencl backend: kernel " + what + " (" + kernel.getClass().getSimpleName()
                + ") did not run on OpenCL device " + OpenClDevices.describe(device) + ": " + why
                + "run with -Dcom.aparapi.logLevel=WARNING to see Aparapi's reason (e.g. an OpenCL compile error,"
                + " or no fp64 support for a FLOAT64 kernel).");
    }
}
