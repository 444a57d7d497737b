/**
 * Kernels behind the ops. An op validates and casts, then calls the current
 * {@link io.sipflow.autodiff.backend.Backend}; the default {@link io.sipflow.autodiff.backend.CpuBackend} is pure
 * Java and splits work with {@link io.sipflow.autodiff.backend.Parallel} in chunks that do not depend on the
 * thread count, so results are the same at any thread count. {@link io.sipflow.autodiff.backend.ReferenceConv} is
 * the executable specification of convolution that faster kernels are tested against.
 */
package io.sipflow.autodiff.backend;
