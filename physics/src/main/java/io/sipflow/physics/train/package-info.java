/**
 * The seed notebook's training loop: a U-Net learns to invert heat diffusion, either through scale-invariant
 * physics (SIP) updates or by plain gradient descent (GD) through the differentiable physics.
 *
 * <pre>
 *   x_gt ──D──► y* ──(FLOAT32 U-Net, mean shift)──► pred ──┬─ SIP: ½‖pred − (x + P⁻¹(y* − D(x)))‖²,  x = stop(pred)
 *                                                          └─ GD:  ½‖D(pred) − y*‖²
 * </pre>
 * {@link io.sipflow.physics.train.HeatTraining} holds the losses (the maths), {@link io.sipflow.physics.train.Trainer}
 * the loop (data, optimiser, metrics).
 */
package io.sipflow.physics.train;
