package io.sipflow.physics.problem;

import io.sipflow.autodiff.Tensor;

import java.util.Locale;

/**
 * The network loss SIP regresses its prediction onto the (constant) SIP target with.
 * <pre>
 *   L2_SUM:   Σ_b ½‖pred_b − target_b‖²        sipflow's default, the convention of every problem's losses
 *   L1_MEAN:  (1/B)·Σ_b Σ_i |pred_bi − target_bi|   the SIP authors' sin script (PhiFlow's l1_loss, batch mean)
 * </pre>
 * Both are minimised by pred = target; they differ in how a large error pulls (L1 with a constant force per
 * component, so one far-off example weighs as much as a near one) and in scale (Adam is nearly invariant to it).
 */
public enum SipLoss {
    /** Σ_b ½‖pred − target‖²: gradient (pred − target) per example. */
    L2_SUM("l2-sum"),
    /** mean_b Σ_i |pred − target|: gradient sign(pred − target)/B per component. */
    L1_MEAN("l1-mean");

    private final String id;

    SipLoss(String id) {
        this.id = id;
    }

    /** {@return the name on the command line and in run.json: "l2-sum" or "l1-mean"} */
    public String id() {
        return id;
    }

    /**
     * The batch loss of {@code prediction} against {@code target}, differentiable with respect to the prediction.
     *
     * @param prediction the network's estimate (B, …)
     * @param target the constant SIP target, of the prediction's shape
     * @return the scalar loss
     */
    public Tensor of(Tensor prediction, Tensor target) {
        Tensor diff = prediction.sub(target);
        if (this == L2_SUM) {
            return Problem.l2(diff).sum();
        }
        int[] axes = new int[diff.rank() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return diff.abs().sum(axes, false).mean();
    }

    /**
     * The loss named {@code text}.
     *
     * @param text "l2-sum" or "l1-mean" (any case)
     * @return the loss
     * @throws IllegalArgumentException for another name, listing the known ones
     */
    public static SipLoss parse(String text) {
        for (SipLoss l : values()) {
            if (l.id.equals(text.toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown SIP loss '" + text + "'; expected l2-sum or l1-mean");
    }
}
