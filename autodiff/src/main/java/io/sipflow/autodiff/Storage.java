package io.sipflow.autodiff;

/**
 * Where a tensor's values live: a host array, a {@link DeviceValues} copy on a device, or both. Shared by the
 * tensors that are views of the same values ({@link Tensor#variable()}, {@link Tensor#constant()}, reshapes).
 *
 * <p>The values never change; only their copies are added: the host array when the host first reads a
 * device-resident tensor (materialisation), and a device mirror when a backend uploads a host tensor (so the same
 * host tensor is sent once, not once per op). Both fields are volatile so a copy made by one thread is seen
 * complete by the others; the CPU path pays one field read per {@code floatData()} call, not per element.
 */
final class Storage {
    private volatile float[] floats;
    private volatile double[] doubles;
    private volatile DeviceValues device;

    Storage(float[] floats, double[] doubles, DeviceValues device) {
        this.floats = floats;
        this.doubles = doubles;
        this.device = device;
    }

    /** The host floats, read back from the device on first use; null for FLOAT64 values. */
    float[] floats() {
        float[] f = floats;
        if (f == null && doubles == null && device != null && device.dtype() == DType.FLOAT32) {
            synchronized (this) {
                if (floats == null) {
                    floats = device.readFloats();
                }
                f = floats;
            }
        }
        return f;
    }

    /** The host doubles, read back from the device on first use; null for FLOAT32 values. */
    double[] doubles() {
        double[] d = doubles;
        if (d == null && floats == null && device != null && device.dtype() == DType.FLOAT64) {
            synchronized (this) {
                if (doubles == null) {
                    doubles = device.readDoubles();
                }
                d = doubles;
            }
        }
        return d;
    }

    /** True when the host holds the values (always, for tensors made on the host). */
    boolean onHost() {
        return floats != null || doubles != null;
    }

    DeviceValues device() {
        return device;
    }

    /** Records a device copy of host values; values on a device already keep their first holder. */
    void mirror(DeviceValues copy) {
        if (onHost()) {
            device = copy;
        }
    }
}
