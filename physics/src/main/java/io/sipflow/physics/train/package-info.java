/**
 * The training loop for any {@link io.sipflow.physics.problem.Problem}: a network learns to invert the physics
 * through scale-invariant physics (SIP) updates, or by gradient descent (GD with Adam, SGD) through the
 * differentiable physics.
 *
 * <pre>
 *   batch ──problem.predict──► pred ──┬─ SIP:     ½‖pred − problem.sipTarget(x, P(x), y*)‖²,  x = stop(pred)
 *                                     └─ GD, SGD: ½‖P(pred) − y*‖²
 *        ──► nn.Training.updateWeights: gradients, non-finite checks, optimizer (all or nothing)
 * </pre>
 * {@link io.sipflow.physics.train.TrainConfig} holds a run's settings (built by name, defaults in one place),
 * {@link io.sipflow.physics.train.TrainingStep} the one step, {@link io.sipflow.physics.train.Trainer} the loop
 * (data, tests, divergence), {@link io.sipflow.physics.train.TrainerState} its checkpoints,
 * {@link io.sipflow.physics.train.Problems} the problems a run can name. This package uses {@code problem}; the
 * problems know nothing of training.
 */
package io.sipflow.physics.train;
