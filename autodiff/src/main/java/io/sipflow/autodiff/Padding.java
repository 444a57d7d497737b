package io.sipflow.autodiff;

/** How a convolution sees beyond the border of an image. */
public enum Padding {
    /** Zeros outside the image (PyTorch's padding_mode='zeros'). */
    ZERO,
    /** The image repeats periodically (PyTorch's padding_mode='circular'); the seed's grids are periodic. */
    CIRCULAR
}
