package io.sipflow.gpu;

import com.aparapi.Kernel;

/**
 * A kernel that leaves proof of each launch: work item 0 writes the launch's stamp into {@link #ran}, which
 * {@link Launch} reads back and compares. A launch Aparapi skipped leaves the previous stamp there.
 */
abstract class DeviceKernel extends Kernel {
    int[] ran = new int[1];
    int stamp;

    /** Call first in {@code run()}. */
    void markRan(int gid) {
        if (gid == 0) {
            ran[0] = stamp;
        }
    }
}
