package io.sipflow.autodiff.backend.fast;

/**
 * Copies one short run of floats between two different arrays: an image row into its padded plane and back. The
 * convolutions make one such copy per row and channel (a 64² image of 16 channels: about a thousand copies of 64
 * values), so what a copy costs besides moving its bytes counts. {@link #ARRAYCOPY} serves the plain-Java kernels,
 * {@link VectorRowCopy} the Vector API ones. A copy moves values: both give the same bits.
 */
@FunctionalInterface
interface RowCopy {
    /** {@code System.arraycopy}, for JVMs without the Vector API. */
    RowCopy ARRAYCOPY = System::arraycopy;

    /**
     * dst[to .. to + length) = src[from .. from + length).
     *
     * @param src the source, a different array from dst
     * @param from first index read
     * @param dst the destination
     * @param to first index written
     * @param length values copied
     */
    void copy(float[] src, int from, float[] dst, int to, int length);
}
