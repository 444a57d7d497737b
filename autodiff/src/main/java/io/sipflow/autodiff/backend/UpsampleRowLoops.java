package io.sipflow.autodiff.backend;

/**
 * The row loops of {@link ImageKernels}' bilinear ×2 upsampling and its adjoint behind one interface, so the Vector
 * API versions ({@code fast.VectorUpsampleLoops}) can stand in for the plain-Java ones in {@link UpsampleLoops}
 * without touching a Vector API class when module {@code jdk.incubator.vector} is missing. Every implementation
 * gives the plain loops' results bit for bit: each element is the same double expression (products and sums rounded
 * one at a time, no fused multiply-add), evaluated in the same order, and rounded to float once where it is stored
 * as float.
 */
public interface UpsampleRowLoops {
    /**
     * One output row of the upsampling from two interpolated input rows:
     * {@code y[yr + j] = (float) (a0·r[r0 + j] + a1·r[r1 + j])} for j &lt; n.
     *
     * @param r the interpolated input rows, in double
     * @param r0 index of the upper row's first element in r
     * @param r1 index of the lower row's first element in r
     * @param a0 the upper row's weight
     * @param a1 the lower row's weight
     * @param y receives the output row
     * @param yr index of the output row's first element in y
     * @param n the row length
     */
    void blendRows(double[] r, int r0, int r1, double a0, double a1, float[] y, int yr, int n);

    /**
     * Splits one gradient row of 2w values into its even and odd columns: {@code even[m] = gy[at + 2m]},
     * {@code odd[m] = gy[at + 2m + 1]} for m &lt; w (exact: float to double).
     *
     * @param gy the output gradient
     * @param at index of the row's first element in gy
     * @param even receives the even columns (length at least w)
     * @param odd receives the odd columns (length at least w)
     * @param w half the row length
     */
    void splitColumns(float[] gy, int at, double[] even, double[] odd, int w);

    /**
     * The interior of the adjoint's row gather: for 2 ≤ m ≤ w − 2, in this order,
     * <pre>
     * v = acc[row + m];  v += q·odd[m − 1];  v += t·even[m];  v += t·odd[m];  v += q·even[m + 1];  acc[row + m] = v
     * </pre>
     * with q = a·¼ and t = a·¾ (the terms (a·b)·g of the output columns 2m − 1 … 2m + 2 that land on input column m).
     *
     * @param even the gradient row's even columns
     * @param odd the gradient row's odd columns
     * @param acc the input plane's double accumulator
     * @param row index of the input row's first element in acc
     * @param quarter q = a·¼
     * @param threeQuarters t = a·¾
     * @param w the input row length
     */
    void gatherInterior(double[] even, double[] odd, double[] acc, int row, double quarter, double threeQuarters,
                        int w);
}
