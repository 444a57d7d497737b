/**
 * Kernels behind the ops. An op validates and casts, then calls the current
 * {@link io.sipflow.autodiff.backend.Backend}; the default {@link io.sipflow.autodiff.backend.CpuBackend} is pure
 * Java and splits work with {@link io.sipflow.autodiff.backend.Parallel} in chunks that do not depend on the
 * thread count, so results are the same at any thread count. {@link io.sipflow.autodiff.backend.ReferenceConv} is
 * the executable specification of convolution that faster kernels are tested against.
 * <pre>
 *   CpuBackend ──FLOAT32 conv, matmul, relu/step──▶ FastKernels (package fast: Vector API)   if FastPath found
 *       │                                                                                    jdk.incubator.vector
 *       └──────otherwise, and CpuBackend.scalar()──▶ ReferenceConv, plain loops (the spec)
 *   BatchNormKernels ──per-block loops──▶ ScalarBatchNormLoops (the spec; Vector API ones, bit-identical,
 *                                         only with -Dsipflow.bn.vector=true: see fast.VectorKernels)
 * </pre>
 * {@link io.sipflow.autodiff.backend.FastPath} makes that choice once, logging one line when it falls back;
 * {@link io.sipflow.autodiff.backend.KernelBench} times fast against reference kernels.
 */
package io.sipflow.autodiff.backend;
