package io.sipflow.autodiff.backend.fast;

import io.sipflow.autodiff.Padding;
import io.sipflow.autodiff.backend.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FLOAT32 gradient of conv2d with respect to its weights, on {@link PaddedImage}s:
 * <pre>
 * gw[o, t] = Σ_n Σ_q gyq[n, o, q] · xpad[n, q + off[t]]        gyq = gy laid out at q = i·wp + j, 0 for j ≥ w
 * </pre>
 * Register tiles of 4 outputs × 4 taps hold one vector of partial sums each, lane l summing the q ≡ l (mod VL)
 * in q order; at the end of an image the lanes are added in lane order into double. Images are grouped into
 * chunks whose boundaries depend only on n ({@link Parallel#forChunks}); chunk sums are added in chunk order,
 * so the result is bit-identical at any thread count.
 */
final class VectorConvWeight {
    private static final VectorSpecies<Float> S = VectorConv.S;
    private static final int VL = VectorConv.VL;
    private static final int IMAGES_PER_CHUNK = 2;

    private VectorConvWeight() {
    }

    static float[] backwardWeight(float[] gy, float[] x, int n, int c, int h, int wd, int o, int k,
                                  Padding padding) {
        PaddedImage g = new PaddedImage(c, h, wd, k, VL);
        int oPad = (o + 3) / 4 * 4;
        int tPad = (g.taps + 3) / 4 * 4;
        int[] off = g.tapOffsets(tPad);
        int chunks = Parallel.chunkCount(n, IMAGES_PER_CHUNK);
        double[][] partial = new double[chunks][];
        Parallel.forChunks(n, IMAGES_PER_CHUNK, (chunk, lo, hi) -> {
            float[] xp = Scratch.floats(Scratch.PADDED_INPUT, g.length);
            float[] gq = Scratch.floats(Scratch.PADDED_GRADIENT, oPad * g.qLen);
            double[] acc = new double[oPad * tPad];
            float[] lanes = new float[VL];
            for (int img = lo; img < hi; img++) {
                g.pad(x, img * c * h * wd, padding, xp);
                layOutGradient(gy, img, o, oPad, h, wd, g, gq);
                for (int o0 = 0; o0 < oPad; o0 += 4) {
                    for (int t0 = 0; t0 < tPad; t0 += 4) {
                        tile(gq, xp, g.qLen, o0, t0, off, acc, tPad, lanes);
                    }
                }
            }
            partial[chunk] = acc;
        });
        float[] gw = new float[o * g.taps];
        for (int oc = 0; oc < o; oc++) {
            for (int t = 0; t < g.taps; t++) {
                double s = 0;
                for (double[] p : partial) {
                    s += p[oc * tPad + t];
                }
                gw[oc * g.taps + t] = (float) s;
            }
        }
        return gw;
    }

    /** gq[o, i·wp + j] = gy[img, o, i, j] for j &lt; w; zero in the thrown-away columns and rows. */
    private static void layOutGradient(float[] gy, int img, int o, int oPad, int h, int wd, PaddedImage g,
                                       float[] gq) {
        java.util.Arrays.fill(gq, 0, oPad * g.qLen, 0f);
        for (int oc = 0; oc < o; oc++) {
            for (int i = 0; i < h; i++) {
                System.arraycopy(gy, ((img * o + oc) * h + i) * wd, gq, oc * g.qLen + i * g.wp, wd);
            }
        }
    }

    /** acc[o0..o0+3, t0..t0+3] += Σ_q gq[o, q] · xp[q + off[t]], 16 vector accumulators. */
    private static void tile(float[] gq, float[] xp, int qLen, int o0, int t0, int[] off, double[] acc, int tPad,
                             float[] lanes) {
        FloatVector z = FloatVector.zero(S);
        FloatVector a00 = z, a01 = z, a02 = z, a03 = z, a10 = z, a11 = z, a12 = z, a13 = z;
        FloatVector a20 = z, a21 = z, a22 = z, a23 = z, a30 = z, a31 = z, a32 = z, a33 = z;
        int f0 = off[t0], f1 = off[t0 + 1], f2 = off[t0 + 2], f3 = off[t0 + 3];
        int g0 = o0 * qLen;
        for (int q = 0; q < qLen; q += VL) {
            FloatVector x0 = FloatVector.fromArray(S, xp, q + f0);
            FloatVector x1 = FloatVector.fromArray(S, xp, q + f1);
            FloatVector x2 = FloatVector.fromArray(S, xp, q + f2);
            FloatVector x3 = FloatVector.fromArray(S, xp, q + f3);
            FloatVector y0 = FloatVector.fromArray(S, gq, g0 + q);
            a00 = y0.fma(x0, a00);
            a01 = y0.fma(x1, a01);
            a02 = y0.fma(x2, a02);
            a03 = y0.fma(x3, a03);
            FloatVector y1 = FloatVector.fromArray(S, gq, g0 + qLen + q);
            a10 = y1.fma(x0, a10);
            a11 = y1.fma(x1, a11);
            a12 = y1.fma(x2, a12);
            a13 = y1.fma(x3, a13);
            FloatVector y2 = FloatVector.fromArray(S, gq, g0 + 2 * qLen + q);
            a20 = y2.fma(x0, a20);
            a21 = y2.fma(x1, a21);
            a22 = y2.fma(x2, a22);
            a23 = y2.fma(x3, a23);
            FloatVector y3 = FloatVector.fromArray(S, gq, g0 + 3 * qLen + q);
            a30 = y3.fma(x0, a30);
            a31 = y3.fma(x1, a31);
            a32 = y3.fma(x2, a32);
            a33 = y3.fma(x3, a33);
        }
        int r = o0 * tPad + t0;
        addLanes(acc, r, lanes, a00, a01, a02, a03);
        addLanes(acc, r + tPad, lanes, a10, a11, a12, a13);
        addLanes(acc, r + 2 * tPad, lanes, a20, a21, a22, a23);
        addLanes(acc, r + 3 * tPad, lanes, a30, a31, a32, a33);
    }

    /** acc[at + j] += the lanes of v_j added in lane order (not reduceLanes, whose order is unspecified). */
    private static void addLanes(double[] acc, int at, float[] lanes, FloatVector v0, FloatVector v1,
                                 FloatVector v2, FloatVector v3) {
        acc[at] += sum(v0, lanes);
        acc[at + 1] += sum(v1, lanes);
        acc[at + 2] += sum(v2, lanes);
        acc[at + 3] += sum(v3, lanes);
    }

    private static double sum(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        double s = 0;
        for (float l : lanes) {
            s += l;
        }
        return s;
    }
}
