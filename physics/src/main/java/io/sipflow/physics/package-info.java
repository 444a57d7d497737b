/**
 * Heat conduction on a periodic grid, in FLOAT64: the seed's example generator, forward diffusion through the
 * FFT (differentiable) and the damped inverse diffusion that SIP updates use. And the paper's Poisson experiment:
 * {@link io.sipflow.physics.Noise} fields (PhiFlow's {@code Noise()}), the 5-point
 * {@link io.sipflow.physics.Laplace} with zero boundary and its CG solve (differentiable through
 * {@link io.sipflow.autodiff.Solve}).
 *
 * <pre>
 *   HeatExamples.generate ──► x_gt ──► Diffuse.fourier(x, 8, 1) ──► y*          (observation)
 *   residual y* − P(x) ──► InverseDiffuse.fourier(r, 8, |r|·1e−6) ──► dx         (x + dx ≈ P⁻¹(y*))
 *   Noise.sample ──► x_gt ──► Laplace.solve(x) (CG) ──► y*;    SIP target x − ∇²(y − y*)   (exact inverse)
 * </pre>
 *
 * Fields are tensors whose last two axes are (y, x) with cell size 1 and cell centres at i + 0.5; any leading
 * axes are batch axes. Heat's grid is periodic; Poisson's has zero values outside (PhiFlow's default boundary). {@link io.sipflow.physics.Fft2} holds the JTransforms plumbing shared by both operators.
 */
package io.sipflow.physics;
