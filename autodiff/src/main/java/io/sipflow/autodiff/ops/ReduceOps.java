package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;
import io.sipflow.autodiff.backend.ReduceOp;

import java.util.Arrays;

/** Reductions over chosen axes (or all), with or without keeping the reduced axes as size 1. */
public final class ReduceOps {
    private ReduceOps() {
    }

    /**
     * Sum of all elements, rank 0.
     *
     * @param a the input
     * @return Σ a, shape ()
     */
    public static Tensor sum(Tensor a) {
        return sum(a, allAxes(a), false);
    }

    /**
     * Σ over {@code axes}. VJP: g broadcast back over the reduced axes.
     *
     * @param a the input
     * @param axes distinct axes in {@code [-rank, rank)}, any order
     * @param keepDims keep each reduced axis with length 1
     * @return the sums
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public static Tensor sum(Tensor a, int[] axes, boolean keepDims) {
        Tensor x = OpSupport.asResult(a);
        int[] ax = normalize("sum", x.shape(), axes);
        return sumComputed(x, ax, keepDims, OpSupport.backend().reduce(ReduceOp.SUM, x, ax));
    }

    /**
     * {@code kept}, already computed as the backend's reduce(SUM, x, ax) (reduced axes kept with length 1), recorded
     * as {@link #sum}(x, ax, keepDims): a fused kernel that summed x on its way can hand over its sums. x is of the
     * result type already; ax sorted and distinct.
     */
    static Tensor sumComputed(Tensor x, int[] ax, boolean keepDims, Tensor kept) {
        Tensor value = keepDims ? kept : ShapeOps.reshape(kept, dropAxes(x.shape(), ax));
        Shape keptShape = kept.shape();
        return Graph.record("sum", value, x, g -> new Tensor[] {
            ShapeOps.broadcastTo(ShapeOps.reshape(g, keptShape), x.shape())});
    }

    /**
     * Mean of all elements.
     *
     * @param a the input
     * @return Σ a / a.size(), shape () (NaN for an empty tensor)
     */
    public static Tensor mean(Tensor a) {
        return mean(a, allAxes(a), false);
    }

    /**
     * Σ over {@code axes} divided by the number of reduced elements (composite: no VJP of its own).
     *
     * @param a the input
     * @param axes distinct axes in {@code [-rank, rank)}
     * @param keepDims keep each reduced axis with length 1
     * @return the means
     * @throws IllegalArgumentException if an axis is out of range or repeated
     */
    public static Tensor mean(Tensor a, int[] axes, boolean keepDims) {
        int[] ax = normalize("mean", a.shape(), axes);
        int count = 1;
        for (int axis : ax) {
            count *= a.shape().dim(axis);
        }
        Tensor s = sum(a, ax, keepDims);
        return BinaryOps.div(s, Tensor.full(s.dtype(), Shape.scalar(), count));
    }

    /**
     * Largest element.
     *
     * @param a the input, non-empty
     * @return max a, shape ()
     * @throws IllegalArgumentException if {@code a} is empty
     */
    public static Tensor max(Tensor a) {
        return max(a, allAxes(a), false);
    }

    /**
     * Max over {@code axes}. VJP: g to the elements equal to the max, shared equally among ties.
     *
     * @param a the input, non-empty
     * @param axes distinct axes in {@code [-rank, rank)}
     * @param keepDims keep each reduced axis with length 1
     * @return the maxima
     * @throws IllegalArgumentException if an axis is out of range or repeated, or {@code a} is empty
     */
    public static Tensor max(Tensor a, int[] axes, boolean keepDims) {
        Tensor x = OpSupport.asResult(a);
        int[] ax = normalize("max", x.shape(), axes);
        if (x.size() == 0) {
            throw new IllegalArgumentException("max: empty tensor " + x.shape() + " has no maximum");
        }
        Tensor kept = OpSupport.backend().reduce(ReduceOp.MAX, x, ax);
        Tensor value = keepDims ? kept : ShapeOps.reshape(kept, dropAxes(x.shape(), ax));
        return Graph.record("max", value, x, g -> {
            Tensor isMax = CompareOps.equal(x, kept);
            Tensor ties = OpSupport.backend().reduce(ReduceOp.SUM, isMax, ax);
            Tensor share = BinaryOps.div(ShapeOps.reshape(g, kept.shape()), ties);
            return new Tensor[] {BinaryOps.mul(isMax, share)};
        });
    }

    static int[] allAxes(Tensor a) {
        int[] ax = new int[a.rank()];
        for (int i = 0; i < ax.length; i++) {
            ax[i] = i;
        }
        return ax;
    }

    /** Sorted, distinct, non-negative axes; throws naming the op and shape for bad or repeated axes. */
    static int[] normalize(String op, Shape s, int[] axes) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            try {
                out[i] = s.normalizeAxis(axes[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(op + ": " + e.getMessage(), e);
            }
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException(op + ": axis " + out[i] + " repeated in " + Arrays.toString(axes));
            }
        }
        return out;
    }

    private static Shape dropAxes(Shape s, int[] sortedAxes) {
        int[] d = new int[s.rank() - sortedAxes.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (j < sortedAxes.length && sortedAxes[j] == i) {
                j++;
            } else {
                d[k++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }
}
