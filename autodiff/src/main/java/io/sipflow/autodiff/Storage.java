package io.sipflow.autodiff;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a tensor's values live: a host array, a {@link DeviceValues} copy on a device, or both. Shared by the
 * tensors that are views of the same values ({@link Tensor#variable()}, {@link Tensor#constant()}, reshapes).
 *
 * <p>The values never change; only their copies are added: the host array when the host first reads a
 * device-resident tensor (materialisation), and a device mirror when a backend uploads a host tensor (so the same
 * host tensor is sent once, not once per op). Both fields are volatile so a copy made by one thread is seen
 * complete by the others; the CPU path pays one field read per {@code floatData()} call, not per element.
 *
 * <p>One exception: a backward pass may {@linkplain #recycle recycle} the host array of a gradient it has finished
 * with ({@link BufferPool}). The storage then holds nothing and every read throws, naming the gradient, so no
 * tensor ever shows changed values.
 */
final class Storage {
    private static final AtomicLong SERIALS = new AtomicLong();

    private final long serial = SERIALS.incrementAndGet(); // creation order: which backward pass made it
    private volatile float[] floats;
    private volatile double[] doubles;
    private volatile DeviceValues device;
    private volatile String recycled; // what the values were, once recycled; null while they live

    Storage(float[] floats, double[] doubles, DeviceValues device) {
        this.floats = floats;
        this.doubles = doubles;
        this.device = device;
    }

    /** {@return a number above every existing storage's serial and at most every later one's} */
    static long nextSerial() {
        return SERIALS.get() + 1;
    }

    long serial() {
        return serial;
    }

    /** The host array (floats or doubles) without reading a device copy back; null when none is on the host. */
    Object hostArray() {
        float[] f = floats;
        return f != null ? f : doubles;
    }

    /**
     * Gives the host array to {@link BufferPool} when the pool issued it and has not had it back; from then on every
     * read throws an {@link IllegalStateException} with {@code what} in its message. Storage with a device copy is
     * left alone (a backend may still use the copy). Returns whether the array was recycled.
     */
    synchronized boolean recycle(String what) {
        Object array = hostArray();
        if (array == null || device != null || !BufferPool.claim(array)) {
            return false;
        }
        recycled = what;
        floats = null;
        doubles = null;
        BufferPool.offer(array);
        return true;
    }

    /**
     * Marks the values dead without giving the array back: for a storage that wraps an array another storage has
     * already {@linkplain #recycle recycled} (the array is in the pool now, so this holder must not read it).
     */
    synchronized void retire(String what) {
        recycled = what;
        floats = null;
        doubles = null;
    }

    private void requireLive() {
        String what = recycled;
        if (what != null) {
            throw new IllegalStateException("read of " + what);
        }
    }

    /** The host floats, read back from the device on first use; null for FLOAT64 values. */
    float[] floats() {
        float[] f = floats;
        if (f == null) {
            requireLive();
        }
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
        if (d == null) {
            requireLive();
        }
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
        requireLive();
        return floats != null || doubles != null;
    }

    DeviceValues device() {
        requireLive();
        return device;
    }

    /** Records a device copy of host values; values on a device already keep their first holder. */
    void mirror(DeviceValues copy) {
        if (onHost()) {
            device = copy;
        }
    }
}
