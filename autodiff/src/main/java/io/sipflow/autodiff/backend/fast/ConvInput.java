package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.ImageChannels;

/**
 * A convolution's input, one image at a time into the {@link PaddedImage} layout: the cx channels of an NCHW array,
 * followed by the channels {@code extra} computes per image where it is not null (the U-Net's upsampled half of an
 * up-block's input, which so never becomes a tensor).
 *
 * @param x the array, n·cx·h·w values
 * @param cx its channels
 * @param extra the computed channels after them, or null
 */
record ConvInput(float[] x, int cx, ImageChannels extra) {
    /** The array x of c channels alone. */
    static ConvInput of(float[] x, int c) {
        return new ConvInput(x, c, null);
    }

    /** {@return the channels of the whole input} */
    int channels() {
        return extra == null ? cx : cx + extra.channels();
    }

    /** Writes image img padded into dst[at .. at + g.length), as {@link PaddedImage#pad} writes an array's image. */
    void pad(PaddedImage g, int img, Padding padding, float[] dst, int at) {
        int plane = g.h * g.w;
        if (extra == null) {
            g.pad(x, img * cx * plane, padding, dst, at);
        } else {
            float[] planes = Scratch.floats(Scratch.COMPUTED_CHANNELS, extra.channels() * plane);
            g.padConcat(x, img * cx * plane, cx, extra, img, planes, padding, dst, at);
        }
    }
}
