package io.sipflow.physics.plot;

/**
 * Matplotlib's perceptually uniform "viridis" colour map, through Matt Zucker's degree-6 polynomial fit
 * (max error under 1/255 per channel): rgb(t) = c0 + t·(c1 + t·(c2 + … t·c6)), t ∈ [0, 1].
 */
public final class Viridis {
    private static final double[][] C = {
        {0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
        {0.1050930431085774, 1.404613529898575, 1.384590162594685},
        {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
        {-4.634230498983486, -5.799100973351585, -19.33244095627987},
        {6.228269936347081, 14.17993336680509, 56.69055260068105},
        {4.776384997670288, -13.74514537774601, -65.35303263337234},
        {-5.435455855934631, 4.645852612178535, 26.3124352495832},
    };

    private Viridis() {
    }

    /** Packed 0xRRGGBB for t (clipped to [0, 1]; NaN maps to 0). */
    public static int rgb(double t) {
        double s = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            double v = C[6][ch];
            for (int k = 5; k >= 0; k--) {
                v = C[k][ch] + s * v;
            }
            rgb = (rgb << 8) | (int) Math.round(255 * Math.max(0, Math.min(1, v)));
        }
        return rgb;
    }
}
