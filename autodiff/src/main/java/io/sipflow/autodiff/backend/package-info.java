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
 * split with {@link io.sipflow.autodiff.backend.Parallel} in chunks that do not depend on the thread count.
 * FLOAT32 and FLOAT64 take the same route; only kernels are twinned:
 * <pre>
 *   CpuBackend ─FLOAT32 conv, matmul, relu─▶ FastKernels: fast.VectorKernels if FastPath found the Vector API,
 *       │                                     else fast.ScalarKernels (plain Java, the same operations in order)
 *       ├──────FLOAT32 batch norm──────────▶ BatchNormKernels + BatchNormLoops (float arrays, double sums)
 *       ├──────FLOAT32 pool, upsample──────▶ ImageKernels (float arrays, bit-identical to the reference)
 *       ├──────layout copies───────────────▶ Layout, BlockCopy (one implementation: values move, none computed)
 *       └──────FLOAT64 conv, and scalar()──▶ ReferenceConv, ReferenceBatchNorm, ReferenceImage, plain loops
 * </pre>
 * <b>The same bits everywhere.</b> Every sum runs in an order fixed by the shapes alone: not by the thread count
 * (chunks), not by the vector width (the weight gradient's 16 logical lanes, {@code fast.SumOrder}; the other
 * kernels sum each output in one FMA chain), not by whether the Vector API is present (the plain-Java twins);
 * transcendentals use {@link java.lang.StrictMath}. So a run writes the same weights on AVX-512, AVX2 and without
 * the Vector API, on JDK 17 and 25, at any thread count (the golden-digest tests of the command-line program).
 * {@link io.sipflow.autodiff.backend.KernelCounts} records which kernels ran.
 * The Reference* classes are the executable specification that the fast kernels are tested against
 * ({@link io.sipflow.autodiff.backend.CpuBackend#scalar()} runs only them). {@link io.sipflow.autodiff.backend.FastPath}
 * makes the Vector API choice once, logging one line when it falls back; {@link io.sipflow.autodiff.backend.KernelBench}
 * times fast against reference kernels.
 */
package io.sipflow.autodiff.backend;
