package io.sipflow.gpu;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.opencl.OpenCLLoader;
import com.aparapi.internal.opencl.OpenCLPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Finds the OpenCL device the backend runs on. Only real OpenCL devices are considered: Aparapi's Java thread
 * pool and sequential "devices" are never candidates, so a machine without an OpenCL driver gets an exception,
 * not a silent fallback.
 *
 * <p>A filter selects the device: {@code "any"} (a GPU if there is one, else an accelerator, else a CPU device
 * such as PoCL), {@code "gpu"}, {@code "cpu"}, {@code "accelerator"}, or any other text, matched
 * case-insensitively against the device name (e.g. {@code "h200"}, {@code "pthread"}).
 */
public final class OpenClDevices {
    /** System property (or, upper-cased with dots as underscores, environment variable) holding the filter. */
    public static final String FILTER_PROPERTY = "sipflow.opencl.device";

    private OpenClDevices() {
    }

    /** {@return the filter from {@value #FILTER_PROPERTY} / {@code SIPFLOW_OPENCL_DEVICE}, or {@code "any"}} */
    public static String configuredFilter() {
        String p = System.getProperty(FILTER_PROPERTY);
        if (p == null || p.isBlank()) {
            p = System.getenv("SIPFLOW_OPENCL_DEVICE");
        }
        return p == null || p.isBlank() ? "any" : p.trim();
    }

    /** {@return every OpenCL device of every platform the OpenCL loader reports; empty if OpenCL is unavailable} */
    public static List<OpenCLDevice> all() {
        List<OpenCLDevice> devices = new ArrayList<>();
        if (!OpenCLLoader.isOpenCLAvailable()) {
            return devices;
        }
        for (OpenCLPlatform platform : OpenCLPlatform.getUncachedOpenCLPlatforms()) {
            devices.addAll(platform.getOpenCLDevices());
        }
        return devices;
    }

    /**
     * The device matching {@code filter} (see the class comment); among several matches a GPU comes before an
     * accelerator before a CPU device, then platform order.
     *
     * @param filter the filter, any case
     * @return the best matching device
     * @throws IllegalStateException naming the filter, what was looked for and the devices that were found
     */
    public static OpenCLDevice select(String filter) {
        return select(filter, all());
    }

    /** {@link #select(String)} among {@code devices}. */
    static OpenCLDevice select(String filter, List<OpenCLDevice> devices) {
        String f = filter.toLowerCase(Locale.ROOT);
        OpenCLDevice best = null;
        for (OpenCLDevice d : devices) {
            if (matches(d, f) && (best == null || rank(d.getType()) < rank(best.getType()))) {
                best = d;
            }
        }
        if (best == null) {
            throw new IllegalStateException(noDeviceMessage(filter, devices));
        }
        return best;
    }

    /**
     * A one-line description of a device, e.g. "NVIDIA H200 (GPU, platform NVIDIA CUDA, OpenCL 3.0 CUDA 12.4, …)".
     *
     * @param d the device
     * @return its name, type, platform, OpenCL version, compute units and memory in MiB
     */
    public static String describe(OpenCLDevice d) {
        OpenCLPlatform p = d.getOpenCLPlatform();
        return d.getName() + " (" + d.getType() + ", platform " + p.getName() + ", " + p.getVersion()
                + ", " + d.getMaxComputeUnits() + " compute units, "
                + (d.getGlobalMemSize() >> 20) + " MiB)";
    }

    private static boolean matches(OpenCLDevice d, String f) {
        switch (f) {
            case "any":
                return true;
            case "gpu":
                return d.getType() == Device.TYPE.GPU;
            case "cpu":
                return d.getType() == Device.TYPE.CPU;
            case "accelerator":
            case "acc":
                return d.getType() == Device.TYPE.ACC;
            default:
                return d.getName() != null && d.getName().toLowerCase(Locale.ROOT).contains(f);
        }
    }

    private static int rank(Device.TYPE t) {
        return t == Device.TYPE.GPU ? 0 : t == Device.TYPE.ACC ? 1 : 2;
    }

    private static String noDeviceMessage(String filter, List<OpenCLDevice> found) {
        StringBuilder m = new StringBuilder("opencl backend: no OpenCL device matching '").append(filter)
                .append("' (set by -D").append(FILTER_PROPERTY).append(" or SIPFLOW_OPENCL_DEVICE; accepted: any, gpu,"
                        + " cpu, accelerator or part of a device name). ");
        if (!OpenCLLoader.isOpenCLAvailable()) {
            m.append("Aparapi could not load an OpenCL library (libOpenCL.so.1): install an OpenCL loader and "
                    + "driver, e.g. on Debian `apt-get install pocl-opencl-icd ocl-icd-libopencl1 clinfo` "
                    + "(a CPU device) or the GPU vendor's driver; `clinfo -l` must list a device.");
        } else if (found.isEmpty()) {
            m.append("The OpenCL loader is present but lists no platform with a device (no ICD driver "
                    + "installed?): install e.g. pocl-opencl-icd or the GPU vendor's OpenCL driver; "
                    + "`clinfo -l` must list a device.");
        } else {
            m.append("Devices found:");
            for (OpenCLDevice d : found) {
                m.append(" [").append(describe(d)).append(']');
            }
        }
        return m.append(" The opencl backend never falls back to Java threads.").toString();
    }
}
