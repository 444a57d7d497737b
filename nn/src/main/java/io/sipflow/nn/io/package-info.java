/**
 * NumPy's file formats without a Python dependency: {@link io.sipflow.nn.io.Npy} for one array ({@code .npy}),
 * {@link io.sipflow.nn.io.Npz} for a named set of them ({@code .npz}, a zip of {@code .npy} files).
 * Both are what {@code numpy.save}/{@code numpy.savez} write and {@code numpy.load} reads.
 */
package io.sipflow.nn.io;
