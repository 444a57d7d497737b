/**
 * The tensor and reverse-mode differentiation.
 *
 * <pre>
 *   Tensor ──op──▶ Tensor (+ Node: op name, inputs, VJP)      forward: ops in io.sipflow.autodiff.ops
 *     ▲                                                     │
 *     └──── Autodiff.grad walks Nodes in reverse ◀──────────┘  backward: each VJP maps ∂L/∂out to ∂L/∂in
 * </pre>
 * {@link io.sipflow.autodiff.Tensor} is an immutable value; {@link io.sipflow.autodiff.Graph#record} attaches a
 * node when an input requires a gradient; {@link io.sipflow.autodiff.Autodiff#grad} returns gradients rather than
 * storing them; {@link io.sipflow.autodiff.Precision} scopes the computation type like PhiFlow's
 * {@code math.precision}; {@link io.sipflow.autodiff.GradCheck} is the finite-difference checker the library's own
 * tests use; {@link io.sipflow.autodiff.Threads} is the kernels' thread pool and the deterministic parallel-for
 * that code beside the ops (the FFT physics) shares.
 */
package io.sipflow.autodiff;
