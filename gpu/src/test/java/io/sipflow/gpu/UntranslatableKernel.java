package io.sipflow.gpu;

/** Calls into {@code java.lang.Integer}, which Aparapi cannot translate to OpenCL, so it falls back to Java. */
final class UntranslatableKernel extends DeviceKernel {
    float[] out = new float[4];

    @Override
    public void run() {
        int gid = getGlobalId();
        markRan(gid);
        if (gid < out.length) {
            out[gid] = Integer.toString(gid).length();
        }
    }
}
