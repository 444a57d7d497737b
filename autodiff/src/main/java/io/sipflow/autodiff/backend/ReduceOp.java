package io.sipflow.autodiff.backend;

/** Reductions over axes. */
public enum ReduceOp {
    /** Σ of the reduced elements (0 for none). */
    SUM,
    /** Largest of the reduced elements. */
    MAX
}
