package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/**
 * Undoing broadcasting, in exactly one place. If an input of shape {@code s} was broadcast to the output's shape,
 * its gradient is the output gradient summed over the broadcast axes and reshaped back to {@code s}.
 */
public final class Broadcast {
    private Broadcast() {
    }

    /**
     * Sums {@code g} down to {@code target}: over the leading axes {@code target} lacks and over the axes where it
     * has length 1 and g does not. A (4, 2, 3) gradient summed to (2, 1) sums axis 0 and axis 2.
     *
     * @param g the gradient of the broadcast result
     * @param target the input's shape, which must broadcast to g's shape
     * @return the gradient of shape {@code target} (g itself if the shapes are equal)
     * @throws IllegalArgumentException if {@code target} does not broadcast to g's shape
     */
    public static Tensor sumTo(Tensor g, Shape target) {
        Shape gs = g.shape();
        if (gs.equals(target)) {
            return g;
        }
        int lead = gs.rank() - target.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: gradient shape " + gs + " has lower rank than " + target);
        }
        int count = 0;
        int[] axes = new int[gs.rank()];
        for (int i = 0; i < gs.rank(); i++) {
            boolean leading = i < lead;
            if (leading || (target.dim(i - lead) == 1 && gs.dim(i) != 1)) {
                axes[count++] = i;
            } else if (target.dim(i - lead) != gs.dim(i)) {
                throw new IllegalArgumentException("sumTo: " + target + " does not broadcast to " + gs);
            }
        }
        Tensor summed = count == 0 ? g : ReduceOps.sum(g, java.util.Arrays.copyOf(axes, count), true);
        return ShapeOps.reshape(summed, target);
    }
}
