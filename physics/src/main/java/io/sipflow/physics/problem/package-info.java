/**
 * Inverse problems the trainer knows, behind one interface, {@link io.sipflow.physics.problem.Problem}: data, forward
 * physics, the SIP inverse, the default network and metrics. {@link io.sipflow.physics.train.Problems} maps each
 * {@code --problem} name to its factory; {@link io.sipflow.physics.problem.HeatProblem} is the seed notebook's heat
 * conduction,
 * {@link io.sipflow.physics.problem.PoissonProblem} the paper's Poisson experiment (y = (∇²)⁻¹x by CG),
 * and {@link io.sipflow.physics.problem.SinProblem} the SIP paper's 2-D characterization problem (Fig. 5), whose SIP
 * target is a limited Newton step ({@link io.sipflow.physics.problem.NewtonStep}).
 */
package io.sipflow.physics.problem;
