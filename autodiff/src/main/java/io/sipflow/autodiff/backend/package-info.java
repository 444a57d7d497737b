/**
 * Kernels behind the ops. The pattern, for every op:
 * <pre>
 *   ops.NormOps.batchNorm2d(x, γ, β)          check shapes, cast to one dtype        (package ops)
 *     └─▶ Backend.batchNormTraining(...)       exactly one Backend method, untracked values
 *   Graph.record("batchNorm2d", y, VJP)        the VJP calls Backend.batchNormBackward
 * </pre>
 * {@link io.sipflow.autodiff.backend.Backend} is the whole contract: elementwise, reductions, matmul, convolution,
 * batch norm, max pooling, bilinear upsampling and the layout copies (permute, broadcast, slice, concat, pad), each
 * with the backward the op's VJP needs. {@link io.sipflow.autodiff.backend.CpuBackend} is the default: pure Java,
 * split with {@link io.sipflow.autodiff.backend.Parallel} in chunks that do not depend on the thread count, so
 * results are the same at any thread count. FLOAT32 and FLOAT64 take the same route; only kernels are twinned:
 * <pre>
 *   CpuBackend ─FLOAT32 conv, matmul, relu─▶ FastKernels (package fast: Vector API)    if FastPath found the module
 *       ├──────FLOAT32 batch norm──────────▶ BatchNormKernels + BatchNormLoops (float arrays, double sums)
 *       ├──────FLOAT32 pool, upsample──────▶ ImageKernels (float arrays, bit-identical to the reference)
 *       ├──────layout copies───────────────▶ Layout, BlockCopy (one implementation: values move, none computed)
 *       └──────FLOAT64, and scalar()───────▶ ReferenceConv, ReferenceBatchNorm, ReferenceImage, plain loops
 * </pre>
 * The Reference* classes are the executable specification that the fast kernels are tested against
 * ({@link io.sipflow.autodiff.backend.CpuBackend#scalar()} runs only them). {@link io.sipflow.autodiff.backend.FastPath}
 * makes the Vector API choice once, logging one line when it falls back; {@link io.sipflow.autodiff.backend.KernelBench}
 * times fast against reference kernels.
 */
package io.sipflow.autodiff.backend;
