package io.sipflow.autodiff;

/**
 * Element type of a tensor. FLOAT32 tensors store {@code float[]}, FLOAT64 tensors {@code double[]}:
 * the network runs in 32-bit (half the memory traffic), the physics in 64-bit, as in the seed.
 */
public enum DType {
    FLOAT32(4, "float32"),
    FLOAT64(8, "float64");

    private final int bytes;
    private final String numpyName;

    DType(int bytes, String numpyName) {
        this.bytes = bytes;
        this.numpyName = numpyName;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The name numpy and PyTorch use ("float32", "float64"). */
    public String numpyName() {
        return numpyName;
    }

    /** The wider of two types: mixed FLOAT32 × FLOAT64 promotes to FLOAT64 (outside a precision scope). */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
