package io.sipflow.autodiff.backend;

import io.sipflow.autodiff.Padding;

/**
 * The FLOAT32 convolution, matmul and relu kernels {@link CpuBackend} runs: through the JDK Vector API when module
 * {@code jdk.incubator.vector} is present, else their plain-Java twins (see {@link FastPath}). Each output is summed
 * in one order fixed by the shapes alone, whatever the vector width, thread count or implementation, so both give
 * the same bits on every x86 and JVM. Same contracts as {@link ReferenceConv} and the reference matmul loop, which
 * stay the executable spec (in double); results agree with them within floating-point accumulation error.
 */
public interface FastKernels {
    /**
     * FLOAT32 conv2d forward; arguments as {@link ReferenceConv#forward}.
     *
     * @param x the image, n·c·h·wd values (NCHW)
     * @param w the kernels, o·c·k·k values (OIkk)
     * @param bias o values, or null for none
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding ZERO or CIRCULAR
     * @return y, n·o·h·wd values (a fresh array)
     */
    float[] convForward(float[] x, float[] w, float[] bias, int n, int c, int h, int wd, int o, int k,
                        Padding padding);

    /**
     * FLOAT32 {@code into + conv(x, w)} without bias, each output's float accumulation continued from into's value
     * in the tap order of {@link #convForward}: convolving channels [0, Ca) (with the bias) and then accumulating
     * channels [Ca, C) gives one convolution over all C channels bit for bit. Writes the result into {@code into}
     * and returns it.
     *
     * @param into a partial result, n·o·h·wd values, overwritten
     * @param x the next channels, n·c·h·wd values
     * @param w their kernels, o·c·k·k values
     * @param n batch size
     * @param c channels of this part
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding ZERO or CIRCULAR
     * @return {@code into}
     */
    float[] convForwardAccumulate(float[] into, float[] x, float[] w, int n, int c, int h, int wd, int o, int k,
                                  Padding padding);

    /**
     * FLOAT32 gradient of conv2d w.r.t. its input; arguments as {@link ReferenceConv#backwardData}.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param w the kernels, o·c·k·k values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return gx, n·c·h·wd values (a fresh array)
     */
    float[] convBackwardData(float[] gy, float[] w, int n, int c, int h, int wd, int o, int k, Padding padding);

    /**
     * FLOAT32 gradient of conv2d w.r.t. its weights; arguments as {@link ReferenceConv#backwardWeight}.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param x the forward's input, n·c·h·wd values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return gw, o·c·k·k values (a fresh array)
     */
    float[] convBackwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k, Padding padding);

    /**
     * {@link #convBackwardWeight}, and the bias gradient gb[oc] = Σ_(n, i, j) gy[n, oc, i, j] into {@code gb}, with
     * the bits of {@link CpuBackend#reduce} summing gy over (0, 2, 3) ({@link StridedSum}'s order). This default
     * computes them one after the other.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param x the forward's input, n·c·h·wd values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @param gb receives the o bias gradients
     * @return gw, o·c·k·k values (a fresh array)
     */
    default float[] convBackwardWeightAndBias(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                              Padding padding, float[] gb) {
        float[] gw = convBackwardWeight(gy, x, n, c, h, wd, o, k, padding);
        StridedSum.channelSums(gy, n, o, h * wd, gb);
        return gw;
    }

    /**
     * Both gradients of conv2d at once: {gx, gw} as {@link #convBackwardData} and {@link #convBackwardWeight} give
     * them, and with {@code gb} non-null the bias gradient into it as {@link #convBackwardWeightAndBias} gives it, bit
     * for bit. A kernel may compute them in one pass over gy; this default computes them one after the other.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param w the kernels, o·c·k·k values
     * @param x the forward's input, n·c·h·wd values
     * @param n batch size
     * @param c input channels
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @param gb receives the o bias gradients, or null for none
     * @return {gx (n·c·h·wd values), gw (o·c·k·k values)}, fresh arrays
     */
    default float[][] convBackward(float[] gy, float[] w, float[] x, int n, int c, int h, int wd, int o, int k,
                                   Padding padding, float[] gb) {
        float[] gx = convBackwardData(gy, w, n, c, h, wd, o, k, padding);
        float[] gw = gb == null ? convBackwardWeight(gy, x, n, c, h, wd, o, k, padding)
                : convBackwardWeightAndBias(gy, x, n, c, h, wd, o, k, padding, gb);
        return new float[][] {gx, gw};
    }

    /**
     * {@link #convBackward} for the channel concatenation [a, extra] of {@link #convForwardConcat}, the gradient of
     * extra's channels handed to {@code rest} as in {@link #convBackwardDataConcat}: {ga, gw}, bit for bit those of
     * {@link #convBackwardDataConcat} and {@link #convBackwardWeightConcat} (or {@link #convBackwardWeightConcatAndBias}
     * with gb non-null). This default computes them one after the other.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param w the kernels, o·(ca + extra.channels())·k·k values
     * @param a the forward's first input channels, n·ca·h·wd values
     * @param ca a's channels
     * @param extra the forward's channels after a's, computed per image
     * @param rest takes the gradient of extra's channels, image by image (extra.channels() of them)
     * @param n batch size
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @param gb receives the o bias gradients, or null for none
     * @return {ga (n·ca·h·wd values), gw}, fresh arrays
     */
    default float[][] convBackwardConcat(float[] gy, float[] w, float[] a, int ca, ImageChannels extra,
                                         ChannelSink rest, int n, int h, int wd, int o, int k, Padding padding,
                                         float[] gb) {
        float[] ga = convBackwardDataConcat(gy, w, rest, n, ca + extra.channels(), h, wd, o, k, padding);
        float[] gw = gb == null ? convBackwardWeightConcat(gy, a, ca, extra, n, h, wd, o, k, padding)
                : convBackwardWeightConcatAndBias(gy, a, ca, extra, n, h, wd, o, k, padding, gb);
        return new float[][] {ga, gw};
    }

    /**
     * {@link #convBackwardData} whose last {@code rest.channels()} input channels' gradients go to {@code rest}, one
     * image at a time while they are in cache, instead of into the result (the U-Net's up blocks: rest is the
     * upsampling's adjoint). The same bits as those channels of {@link #convBackwardData}.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param w the kernels, o·c·k·k values
     * @param rest takes input channels [c − rest.channels(), c) of each image
     * @param n batch size
     * @param c input channels, all of them
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return the gradient of input channels [0, c − rest.channels()), n·(c − rest.channels())·h·wd values
     */
    float[] convBackwardDataConcat(float[] gy, float[] w, ChannelSink rest, int n, int c, int h, int wd, int o, int k,
                                   Padding padding);

    /**
     * FLOAT32 conv2d of the channel concatenation [a, extra]: {@link #convForward} of the concatenated array, bit for
     * bit, without that array. extra's channels are computed one image at a time as the kernel pads its input, so
     * they never go through memory as a tensor (the U-Net's up blocks: extra is the upsampled coarser level).
     *
     * @param a the first channels, n·ca·h·wd values (NCHW)
     * @param ca a's channels
     * @param extra the channels after a's, computed per image
     * @param w the kernels, o·(ca + extra.channels())·k·k values (OIkk)
     * @param bias o values, or null for none
     * @param n batch size
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding ZERO or CIRCULAR
     * @return y, n·o·h·wd values (a fresh array)
     */
    float[] convForwardConcat(float[] a, int ca, ImageChannels extra, float[] w, float[] bias, int n, int h, int wd,
                              int o, int k, Padding padding);

    /**
     * {@link #convBackwardWeight} with x the channel concatenation [a, extra] (see {@link #convForwardConcat}), bit
     * for bit, without that array.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param a the forward's first input channels, n·ca·h·wd values
     * @param ca a's channels
     * @param extra the forward's channels after a's, computed per image
     * @param n batch size
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @return gw, o·(ca + extra.channels())·k·k values (a fresh array)
     */
    float[] convBackwardWeightConcat(float[] gy, float[] a, int ca, ImageChannels extra, int n, int h, int wd, int o,
                                     int k, Padding padding);

    /**
     * {@link #convBackwardWeightConcat} and the bias gradient into {@code gb}, as {@link #convBackwardWeightAndBias}
     * gives both for the concatenated array. This default computes them one after the other.
     *
     * @param gy the output gradient, n·o·h·wd values
     * @param a the forward's first input channels, n·ca·h·wd values
     * @param ca a's channels
     * @param extra the forward's channels after a's, computed per image
     * @param n batch size
     * @param h image height
     * @param wd image width
     * @param o output channels
     * @param k kernel side, odd
     * @param padding the forward's padding
     * @param gb receives the o bias gradients
     * @return gw, o·(ca + extra.channels())·k·k values (a fresh array)
     */
    default float[] convBackwardWeightConcatAndBias(float[] gy, float[] a, int ca, ImageChannels extra, int n, int h,
                                                    int wd, int o, int k, Padding padding, float[] gb) {
        float[] gw = convBackwardWeightConcat(gy, a, ca, extra, n, h, wd, o, k, padding);
        StridedSum.channelSums(gy, n, o, h * wd, gb);
        return gw;
    }

    /**
     * y[lo..hi) = op(x[lo..hi)) for the ops it has a kernel for (RELU, STEP).
     *
     * @param op the op
     * @param x the input
     * @param y receives the output
     * @param lo first index
     * @param hi one past the last index
     * @return true if it computed the range; false, writing nothing, for an op without a kernel here
     */
    boolean unary(io.sipflow.autodiff.backend.UnaryOp op, float[] x, float[] y, int lo, int hi);

    /**
     * Writes a prefix of one output row of 2×2 max pooling (stride 2): y[o + m] = the maximum of the window whose
     * top-left is x[top + 2m] (rows top and top + w), the row-major scan's first maximum with NaN winning, as
     * {@code ImageKernels} defines it (a selection: the same bits however computed).
     *
     * @param x the input planes
     * @param top index of the window row's first element in x
     * @param w the input row length (even)
     * @param y receives the outputs
     * @param o index of the output row's first element in y
     * @return how many of the row's w/2 outputs were written (from the start of the row; 0 where there is no kernel)
     */
    int maxPool2x2Row(float[] x, int top, int w, float[] y, int o);

    /**
     * {@link #maxPool2x2Row}, and each window's argmax code 2u + v (its element's row u and column v in the window),
     * the element the row-major scan selects, as a float in codes[m] for the m-th output of the row.
     *
     * @param x the input planes
     * @param top index of the window row's first element in x
     * @param w the input row length (even)
     * @param y receives the outputs
     * @param o index of the output row's first element in y
     * @param codes receives the codes of the outputs written, from index 0
     * @return how many of the row's w/2 outputs were written (from the start of the row; 0 where there is no kernel)
     */
    int maxPool2x2RowKeepingArgmax(float[] x, int top, int w, float[] y, int o, float[] codes);

    /**
     * Writes a prefix of the VJP of {@link #maxPool2x2Row} for one output row: for each of the first m windows done,
     * its four input cells in gx get gy[o + window] at the argmax and +0 elsewhere.
     *
     * @param gy the output gradient
     * @param x the forward's input
     * @param top index of the window row's first element in x (and gx)
     * @param w the input row length (even)
     * @param gx receives the input gradient of the windows done
     * @param o index of the output row's first element in gy
     * @return how many windows (from the start of the row) were written; 0 where there is no kernel
     */
    int maxPool2x2BackwardRow(float[] gy, float[] x, int top, int w, float[] gx, int o);

    /**
     * This machine's FLOAT32 FMA peak in GFLOP/s at {@link Parallel#threads()} threads, measured by a short probe
     * (about a tenth of a second): the ceiling the convolutions' GFLOP/s are to be read against.
     *
     * @return the measured peak in GFLOP/s
     */
    double fmaPeakGflops();

    /**
     * Batched row-major FLOAT32 product (batch, m, k) × (batch, k, n) → (batch, m, n).
     *
     * @param a batch·m·k values
     * @param b batch·k·n values
     * @param batch number of products
     * @param m rows of each left factor
     * @param k inner dimension
     * @param n columns of each right factor
     * @return batch·m·n values (a fresh array)
     */
    float[] matmul(float[] a, float[] b, int batch, int m, int k, int n);

    /**
     * Batched row-major FLOAT64 product (batch, m, k) × (batch, k, n) → (batch, m, n).
     *
     * @param a batch·m·k values
     * @param b batch·k·n values
     * @param batch number of products
     * @param m rows of each left factor
     * @param k inner dimension
     * @param n columns of each right factor
     * @return batch·m·n values (a fresh array)
     */
    double[] matmul(double[] a, double[] b, int batch, int m, int k, int n);

    /** {@return whether these are the Vector API kernels (false: their plain-Java twins, the same bits)} */
    boolean usesVectorApi();
}
