package io.sipflow.gpu;

import io.sipflow.autodiff.backend.Transfers;
import com.aparapi.Kernel;

/**
 * A kernel that leaves proof of each launch: work item 0 writes the launch's stamp into {@link #ran}, which
 * {@link Launch} reads back and compares. A launch Aparapi skipped leaves the previous stamp there.
 */
abstract class DeviceKernel extends Kernel {
    int[] ran = new int[1];
    int stamp;

    private long puts;
    private long gets;
    private long bytes;
    /** Launches of this kernel ({@link Launch#run}). */
    long launches;

    /** {@code put}, counted (the stamp read-back of {@link Launch#run} is not: it is part of every launch). */
    void putCounted(float[] a) {
        put(a);
        puts++;
        bytes += 4L * a.length;
    }

    void putCounted(double[] a) {
        put(a);
        puts++;
        bytes += 8L * a.length;
    }

    void getCounted(float[] a) {
        get(a);
        gets++;
        bytes += 4L * a.length;
    }

    void getCounted(double[] a) {
        get(a);
        gets++;
        bytes += 8L * a.length;
    }

    /** The copies this kernel made through the counted methods. */
    synchronized Transfers transfers() {
        return new Transfers(puts, gets, bytes, launches);
    }

    /** Call first in {@code run()}. */
    void markRan(int gid) {
        if (gid == 0) {
            ran[0] = stamp;
        }
    }
}
