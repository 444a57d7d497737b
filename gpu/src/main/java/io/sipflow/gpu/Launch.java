package io.sipflow.gpu;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;

/**
 * Starts a kernel on one OpenCL device and checks afterwards that it really ran there. Aparapi 3.0.2 does not
 * throw when OpenCL fails: it falls back to Java threads, or (for a kernel pinned to a device) returns without
 * running at all, leaving {@code getTargetDevice()} null. Both would be silent wrong answers here, so both throw.
 */
final class Launch {
    /** Work-group size: a multiple of the warp/wavefront width, small enough for every device we target. */
    private static final int GROUP = 64;

    private Launch() {
    }

    /**
     * Runs {@code kernel} over {@code total} work items (rounded up to whole work groups; kernels ignore ids
     * {@code >= total}) on {@code device}, then verifies the device.
     */
    static void run(Kernel kernel, OpenCLDevice device, int total, String what) {
        int local = Math.max(1, Math.min(GROUP, device.getMaxWorkGroupSize()));
        int global = (total + local - 1) / local * local;
        kernel.execute(Range.create(device, global, local));
        verify(kernel, device, what);
    }

    /** Throws unless {@code kernel}'s last launch ran as OpenCL on {@code device}. */
    static void verify(Kernel kernel, OpenCLDevice device, String what) {
        Device target = kernel.getTargetDevice();
        boolean onDevice = target instanceof OpenCLDevice && target.getDeviceId() == device.getDeviceId();
        if (!onDevice || !kernel.isRunningCL()) {
            throw new IllegalStateException("opencl backend: kernel " + what + " (" + kernel.getClass().getSimpleName()
                    + ") did not run on OpenCL device " + OpenClDevices.describe(device) + "; Aparapi reports target "
                    + (target == null ? "none (the launch was skipped)" : target.getShortDescription())
                    + ", execution mode " + kernel.getExecutionMode() + ", running as OpenCL: " + kernel.isRunningCL()
                    + ". Run with -Dcom.aparapi.logLevel=WARNING (or FINE) to see Aparapi's reason "
                    + "(e.g. no fp64 support for a FLOAT64 kernel, an OpenCL compile error).");
        }
    }
}
