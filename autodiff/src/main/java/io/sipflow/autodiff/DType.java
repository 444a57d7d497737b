package io.sipflow.autodiff;

/**
 * Element type of a tensor. FLOAT32 tensors store {@code float[]}, FLOAT64 tensors {@code double[]}:
 * the network runs in 32-bit (half the memory traffic), the physics in 64-bit, as in the seed.
 */
public enum DType {
    /** 32-bit IEEE floats, stored as {@code float[]}. */
    FLOAT32(4, "float32"),
    /** 64-bit IEEE doubles, stored as {@code double[]}. */
    FLOAT64(8, "float64");

    private final int bytes;
    private final String numpyName;

    DType(int bytes, String numpyName) {
        this.bytes = bytes;
        this.numpyName = numpyName;
    }

    /** {@return the size of one element in bytes (4 or 8)} */
    public int bytes() {
        return bytes;
    }

    /** {@return the name numpy and PyTorch use ("float32", "float64")} */
    public String numpyName() {
        return numpyName;
    }

    /**
     * The wider of two types: mixed FLOAT32 × FLOAT64 promotes to FLOAT64 (outside a precision scope).
     *
     * @param a one type
     * @param b another
     * @return FLOAT64 if either is FLOAT64, else FLOAT32
     */
    public static DType promote(DType a, DType b) {
        return a == FLOAT64 || b == FLOAT64 ? FLOAT64 : FLOAT32;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
