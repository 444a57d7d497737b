/**
 * Heat conduction on a periodic grid, in FLOAT64: the seed's example generator, forward diffusion through the
 * FFT (differentiable) and the damped inverse diffusion that SIP updates use.
 *
 * <pre>
 *   HeatExamples.generate ──► x_gt ──► Diffuse.fourier(x, 8, 1) ──► y*          (observation)
 *   residual y* − P(x) ──► InverseDiffuse.fourier(r, 8, |r|·1e−6) ──► dx         (x + dx ≈ P⁻¹(y*))
 * </pre>
 *
 * Fields are tensors whose last two axes are (y, x) with cell size 1 and cell centres at i + 0.5; any leading
 * axes are batch axes. {@link io.sipflow.physics.Fft2} holds the JTransforms plumbing shared by both operators.
 */
package io.sipflow.physics;
