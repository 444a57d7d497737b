package io.sipflow.autodiff.backend;

/**
 * Host↔device copies counted by a backend itself ({@link Backend#transfers()}; always zero on the CPU). The OpenCL
 * backend counts one per explicit Aparapi {@code put} (host to device)
 * or {@code get} (device to host) of a buffer, with the buffer's length in bytes. Launch arguments (scalars) are
 * not counted: they are part of the launch, not a buffer copy. The kernel launches are counted alongside (each has a
 * fixed cost on a device, so a step's count is worth watching).
 *
 * @param h2d copies from the host to the device
 * @param d2h copies from the device to the host
 * @param bytes bytes moved in both directions together
 * @param launches kernel launches on the device (0 where nothing launches)
 */
public record Transfers(long h2d, long d2h, long bytes, long launches) {
    /** No copies: the CPU backend's count. */
    public static final Transfers NONE = new Transfers(0, 0, 0);

    /**
     * Copies without a launch count (a count of copies alone).
     *
     * @param h2d copies from the host to the device
     * @param d2h copies from the device to the host
     * @param bytes bytes moved in both directions together
     */
    public Transfers(long h2d, long d2h, long bytes) {
        this(h2d, d2h, bytes, 0);
    }

    /**
     * What happened between {@code earlier} and this count, field by field.
     *
     * @param earlier a count taken before this one from the same backend
     * @return this count minus {@code earlier}
     */
    public Transfers since(Transfers earlier) {
        return new Transfers(h2d - earlier.h2d, d2h - earlier.d2h, bytes - earlier.bytes, launches - earlier.launches);
    }

    /**
     * Both counts together, field by field.
     *
     * @param other another count
     * @return the sum
     */
    public Transfers plus(Transfers other) {
        return new Transfers(h2d + other.h2d, d2h + other.d2h, bytes + other.bytes, launches + other.launches);
    }

    /** The bench line: {@code h2d=<count> d2h=<count> bytes=<total>}, then {@code launches=<count>} unless 0. */
    @Override
    public String toString() {
        return "h2d=" + h2d + " d2h=" + d2h + " bytes=" + bytes + (launches == 0 ? "" : " launches=" + launches);
    }
}
