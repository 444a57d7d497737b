package io.sipflow.autodiff.backend;

/** Reductions over axes. */
public enum ReduceOp {
    SUM,
    MAX
}
