package io.sipflow.autodiff.ops;

import io.sipflow.autodiff.DType;
import io.sipflow.autodiff.Graph;
import io.sipflow.autodiff.Shape;
import io.sipflow.autodiff.Tensor;

/** Matrix products. */
public final class LinalgOps {
    private LinalgOps() {
    }

    /**
     * Batched matrix product (…, m, k) × (…, k, n) → (…, m, n); leading batch axes broadcast (NumPy matmul).
     * Both inputs need rank ≥ 2. Hand-written VJP (matmul is a primitive): (g·bᵀ, aᵀ·g), each summed back over
     * broadcast batch axes.
     *
     * @param a the left factor (…, m, k)
     * @param b the right factor (…, k, n)
     * @return the product (batch, m, n) with the broadcast batch shape, in the inputs' result type
     * @throws IllegalArgumentException if a rank is below 2, the inner dimensions differ, the batch axes do not
     *         broadcast, or an input is null
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        OpSupport.requireNonNull("matmul", a, b);
        if (a.rank() < 2 || b.rank() < 2) {
            throw new IllegalArgumentException("matmul: both inputs need rank >= 2, got " + a.shape() + " and "
                    + b.shape());
        }
        if (a.dim(-1) != b.dim(-2)) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + a.shape() + " x " + b.shape()
                    + " (" + a.dim(-1) + " vs " + b.dim(-2) + ")");
        }
        DType d = OpSupport.resultType(a, b);
        Tensor x = OpSupport.as(a, d);
        Tensor y = OpSupport.as(b, d);
        Shape batch = Shape.broadcast("matmul", batchShape(x), batchShape(y));
        int m = x.dim(-2);
        int k = x.dim(-1);
        int n = y.dim(-1);
        Tensor x3 = flatten(x, batch, m, k);
        Tensor y3 = flatten(y, batch, k, n);
        Tensor z = OpSupport.backend().matmul(x3, y3);
        Tensor value = ShapeOps.reshape(z, append(batch, m, n));
        return Graph.record("matmul", value, new Tensor[] {x, y}, g -> new Tensor[] {
            Broadcast.sumTo(matmul(g, ShapeOps.transpose(y)), x.shape()),
            Broadcast.sumTo(matmul(ShapeOps.transpose(x), g), y.shape())});
    }

    private static Shape batchShape(Tensor t) {
        int[] d = t.shape().dims();
        return Shape.of(java.util.Arrays.copyOf(d, d.length - 2));
    }

    private static Shape append(Shape batch, int r, int c) {
        int[] d = java.util.Arrays.copyOf(batch.dims(), batch.rank() + 2);
        d[batch.rank()] = r;
        d[batch.rank() + 1] = c;
        return Shape.of(d);
    }

    /** t broadcast to batch + (r, c) and viewed as (B, r, c), untracked (the VJP handles broadcasting). */
    private static Tensor flatten(Tensor t, Shape batch, int r, int c) {
        Tensor v = t.constant();
        Shape full = append(batch, r, c);
        if (!v.shape().equals(full)) {
            v = OpSupport.backend().broadcastTo(v, full);
        }
        return ShapeOps.reshape(v, Shape.of(batch.size(), r, c));
    }
}
