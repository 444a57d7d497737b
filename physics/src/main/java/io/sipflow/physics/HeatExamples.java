package io.sipflow.physics;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

import java.util.SplittableRandom;

/**
 * Random initial heat distributions: the seed's {@code generate_heat_example}, a sum of soft-edged boxes.
 *
 * <p>For a grid of L_y × L_x cells (cell size 1, bounds [0, L]), each example gets
 * <pre>
 *   count    = floor(4 + 7u)                                     4 … 10 active boxes
 *   for each of 10 candidate boxes i:
 *     centre   c_a = (u − 0.5)·L_a·0.8 + L_a/2                   per axis a ∈ (y, x)
 *     half     h_a = 10u                                          per axis
 *     strength s   = u if i &lt; count, else 0
 *     c_a ← clip(c_a, h_a, L_a − h_a)                              the box stays inside the domain
 *   field(p) = Σ_i s_i · clip(0.5 − d_i(p)/√0.5, 0, 1),  d_i(p) = max_a(|p_a − c_a| − h_a)
 * </pre>
 * where p runs over cell centres (i + 0.5) and d is the signed L∞ distance to the box surface; √0.5 is the
 * bounding radius of a unit cell, as in PhiFlow's {@code SoftGeometryMask}. No periodic wrap: boxes lie inside.
 *
 * <p>Draw order (ours; the seed's statistics, not its random stream): examples one after another; per example
 * {@code count}'s u first, then for i = 0 … 9 the five uniforms c_y, c_x, h_y, h_x, s. Every u is
 * {@link SplittableRandom#nextDouble()}, so one seed gives one batch on every machine and thread count.
 */
public final class HeatExamples {
    private static final double CELL_RADIUS = Math.sqrt(0.5);
    /** Boxes drawn per example; the first {@code count} (4 … 10) of them get a nonzero strength. */
    public static final int CANDIDATE_BOXES = 10;

    private HeatExamples() {
    }

    /**
     * A (batch, ny, nx) FLOAT64 tensor of heat examples drawn from {@code rng}, as in the class comment.
     *
     * @param batch number of examples, ≥ 1
     * @param ny grid rows, ≥ 1
     * @param nx grid columns, ≥ 1
     * @param rng advanced by 1 + 50 draws per example
     * @return the fields, values ≥ 0
     * @throws IllegalArgumentException if a size is below 1
     */
    public static Tensor generate(int batch, int ny, int nx, SplittableRandom rng) {
        if (batch < 1 || ny < 1 || nx < 1) {
            throw new IllegalArgumentException("HeatExamples.generate: batch, ny and nx must be positive, got batch="
                    + batch + " ny=" + ny + " nx=" + nx);
        }
        double[] data = new double[batch * ny * nx];
        for (int b = 0; b < batch; b++) {
            int count = (int) Math.floor(4 + 7 * rng.nextDouble());
            for (int i = 0; i < CANDIDATE_BOXES; i++) {
                double cy = (rng.nextDouble() - 0.5) * ny * 0.8 + ny * 0.5;
                double cx = (rng.nextDouble() - 0.5) * nx * 0.8 + nx * 0.5;
                double hy = 10 * rng.nextDouble();
                double hx = 10 * rng.nextDouble();
                double strength = rng.nextDouble() * (i < count ? 1 : 0);
                cy = clip(cy, hy, ny - hy);
                cx = clip(cx, hx, nx - hx);
                addSoftBox(data, b * ny * nx, ny, nx, cy, cx, hy, hx, strength);
            }
        }
        return Tensor.wrap(Shape.of(batch, ny, nx), data);
    }

    /** Adds strength · clip(0.5 − d/√0.5, 0, 1) for one box to the field at {@code offset}. */
    static void addSoftBox(double[] field, int offset, int ny, int nx, double cy, double cx,
                                   double hy, double hx, double strength) {
        if (strength == 0) {
            return;
        }
        for (int i = 0; i < ny; i++) {
            double dy = Math.abs(i + 0.5 - cy) - hy;
            for (int j = 0; j < nx; j++) {
                double d = Math.max(dy, Math.abs(j + 0.5 - cx) - hx);
                double mask = clip(0.5 - d / CELL_RADIUS, 0, 1);
                field[offset + i * nx + j] += mask * strength;
            }
        }
    }

    /** PhiFlow's clip(v, lo, hi) = min(max(v, lo), hi): when lo &gt; hi (a box wider than the domain) hi wins. */
    private static double clip(double v, double lo, double hi) {
        return Math.min(Math.max(v, lo), hi);
    }
}
