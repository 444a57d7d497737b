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
    /** One output's gradient plane in q order, on its way to the weight gradient's grouped layout. */
    static final int GRADIENT_PLANE = 4;
    /** One image's computed input channels ({@link ConvInput}), on their way to the padded layout. */
    static final int COMPUTED_CHANNELS = 5;
    /** One image's outputs, when some of them go to a {@link io.sipflow.autodiff.backend.ChannelSink}. */
    static final int IMAGE_OUTPUT = 6;
    /** One padded image of gy, for a data gradient run inside a weight gradient's loop. */
    static final int PADDED_DATA_GRADIENT = 7;
    /** Double slot: the per-chunk partial sums of a weight gradient, written by the chunks, added by the caller. */
    static final int CHUNK_SUMS = 0;
    /** Longer double buffers than this are not kept: a huge batch would otherwise pin its partial sums for good. */
    static final int MAX_KEPT_DOUBLES = 1 << 20;
    private static final ThreadLocal<float[][]> LOCAL = ThreadLocal.withInitial(() -> new float[8][0]);
    private static final ThreadLocal<double[][]> LOCAL_DOUBLES = ThreadLocal.withInitial(() -> new double[1][0]);

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

    /**
     * This thread's double buffer in {@code slot}, at least {@code length} long, contents left from earlier use; a
     * new array (not kept) when {@code length} exceeds {@link #MAX_KEPT_DOUBLES}.
     */
    static double[] doubles(int slot, int length) {
        if (length > MAX_KEPT_DOUBLES) {
            return new double[length];
        }
        double[][] slots = LOCAL_DOUBLES.get();
        if (slots[slot].length < length) {
            slots[slot] = new double[length];
        }
        return slots[slot];
    }
}
