package io.sipflow.autodiff.backend.fast;

/**
 * Per-thread work buffers reused across kernel calls, so the kernels allocate nothing per image. Worker threads
 * of {@link io.sipflow.autodiff.backend.Parallel} live as long as its pool, so buffers grow once and stay.
 */
final class Scratch {
    static final int PADDED_INPUT = 0;
    static final int OUTPUT_ROWS = 1;
    static final int PADDED_GRADIENT = 2;
    static final int LANE_SUMS = 3;
    private static final ThreadLocal<float[][]> LOCAL = ThreadLocal.withInitial(() -> new float[4][0]);

    private Scratch() {
    }

    /** This thread's buffer in {@code slot}, at least {@code length} long; contents are left from earlier use. */
    static float[] floats(int slot, int length) {
        float[][] slots = LOCAL.get();
        if (slots[slot].length < length) {
            slots[slot] = new float[length];
        }
        return slots[slot];
    }
}
