package io.sipflow.autodiff.backend.fast;

/**
 * The summation order of the FLOAT32 weight gradient, fixed independently of the hardware: the same for 512-bit,
 * 256-bit and 128-bit vectors and for the plain-Java kernels, so a run gives the same bits on every x86 and JVM.
 * <pre>
 * gw[o, t] = Σ_chunks ( Σ_{l &lt; LANES} ( Σ_{images of the chunk, q ≡ l (mod LANES), in image and q order} gq·xp ) )
 *            └ double, chunk order ┘ └ double, lane order ┘ └ one float FMA chain per logical lane ┘
 * </pre>
 * A vector of VL floats holds VL of the {@value #LANES} logical lanes: one vector on AVX-512, two passes of 8 on
 * AVX2 (lanes 0–7, then 8–15), a loop in the plain-Java kernels. Chunks hold about {@value #Q_PER_CHUNK} output
 * positions and depend only on the shapes ({@link io.sipflow.autodiff.backend.Parallel#forChunks}), so the thread
 * count does not change the result either. (No Vector API class here: the plain-Java kernels read these too.)
 */
final class SumOrder {
    /** Logical lanes of a weight-gradient sum: q ≡ l (mod 16) goes to lane l, whatever the vector width. */
    static final int LANES = 16;
    /** Output positions per chunk of images: about 4096, so each lane sums a few hundred terms in float. */
    static final int Q_PER_CHUNK = 4096;

    private SumOrder() {
    }

    /** Images per chunk for padded images of {@code qLen} positions. */
    static int imagesPerChunk(int qLen) {
        return Math.max(1, Q_PER_CHUNK / qLen);
    }
}
