package io.sipflow.autodiff.backend;

/**
 * Takes a convolution's last output channels one image at a time, while they are still in cache, instead of
 * receiving them as a tensor: the U-Net's up blocks hand the data gradient of their upsampled half straight to the
 * upsampling's adjoint ({@link FastKernels#convBackwardDataConcat}). The counterpart of {@link ImageChannels}. The
 * simplest one copies into an array:
 * <pre>{@code
 * ChannelSink intoArray = new ChannelSink() {
 *     public int channels() { return c; }
 *     public void accept(int image, float[] src, int at) {   // c planes of h × w
 *         System.arraycopy(src, at, gx, image * c * h * w, c * h * w);
 *     }
 * };
 * }</pre>
 */
public interface ChannelSink {
    /** {@return the channels it takes per image} */
    int channels();

    /**
     * Takes image {@code image}'s channels, {@link #channels()} planes of the convolution's h × w one after another,
     * from {@code src} at {@code at}. Called from several threads at once, for different images.
     *
     * @param image the image, 0 ≤ image &lt; n
     * @param src holds channels()·h·w values
     * @param at where the first value is
     */
    void accept(int image, float[] src, int at);
}
