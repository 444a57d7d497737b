package io.sipflow.autodiff.backend.fast;

/**
 * The weights whose convolution is the gradient of a convolution with respect to its input:
 * gx = conv(gy, w'), w'[c, o, u, v] = w[o, c, k−1−u, k−1−v] (the adjoint of a circular convolution is the circular
 * correlation, that of a zero-padded one the zero-padded correlation). Shared by both kernel sets, so their
 * backward-data sums run the same taps in the same order.
 */
final class AdjointWeights {
    private AdjointWeights() {
    }

    /** w' of {@code w} (o×c×k×k) as a c×o×k×k array. */
    static float[] of(float[] w, int o, int c, int k) {
        int kk = k * k;
        float[] flipped = new float[w.length];
        for (int oc = 0; oc < o; oc++) {
            for (int ci = 0; ci < c; ci++) {
                for (int t = 0; t < kk; t++) {
                    flipped[(ci * o + oc) * kk + t] = w[(oc * c + ci) * kk + (kk - 1 - t)];
                }
            }
        }
        return flipped;
    }
}
