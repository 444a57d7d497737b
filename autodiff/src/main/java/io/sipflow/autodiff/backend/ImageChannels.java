package io.sipflow.autodiff.backend;

/**
 * Channels of a convolution's input that are computed one image at a time instead of read from a tensor: the
 * U-Net's upsampled half of an up-block's input ({@link FastKernels#convForwardConcat}). A kernel asks for one
 * image's channels just before it pads them, so they are written into a small buffer that stays in cache, and the
 * whole tensor of them is never written to memory or read back. The simplest one reads an array:
 * <pre>{@code
 * ImageChannels fromArray = new ImageChannels() {
 *     public int channels() { return c; }
 *     public void write(int image, float[] dst, int at) {   // c planes of h × w
 *         System.arraycopy(x, image * c * h * w, dst, at, c * h * w);
 *     }
 * };
 * }</pre>
 */
public interface ImageChannels {
    /** {@return the channels each image has} */
    int channels();

    /**
     * Writes image {@code image}'s channels, {@link #channels()} planes of the convolution's h × w one after another,
     * into {@code dst} from {@code at}. Called from several threads at once, each with its own dst.
     *
     * @param image the image, 0 ≤ image &lt; n
     * @param dst receives channels()·h·w values
     * @param at where the first value goes
     */
    void write(int image, float[] dst, int at);
}
