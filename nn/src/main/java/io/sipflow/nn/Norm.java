package io.sipflow.nn;

/** Normalisation after each convolution of a {@link DoubleConv} (PhiFlow's {@code batch_norm} flag). */
public enum Norm {
    /** {@link BatchNorm2d} after each convolution. */
    BATCH,
    /** No normalisation. */
    NONE
}
