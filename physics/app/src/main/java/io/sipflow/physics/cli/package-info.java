/**
 * The command-line program behind {@code ./sipflow}: {@code train}, {@code compare}, {@code evaluate},
 * {@code generate} and {@code physics diffuse|inverse}, built with picocli.
 *
 * <pre>
 *   SipflowCli ──► TrainCommand / CompareCommand ──► TrainingRun (Trainer + ProgressReporter) ──► RunOutputs
 *              ──► EvaluateCommand, GenerateCommand, PhysicsCommand ──► NpyFields
 * </pre>
 * Exit codes: 0 success, 1 a failure with a one-line reason (missing file, wrong shape, …), 2 a usage error.
 * Every file is written through {@link io.sipflow.physics.cli.AtomicFiles}. A run's folder is checked
 * ({@code OutputFolder}: nothing foreign, nothing lost), locked ({@code RunLock}: one run at a time) and marked
 * complete by a manifest ({@code RunFiles}) written last; a resume checks the checkpoint's run
 * ({@code ResumeCheck}).
 */
package io.sipflow.physics.cli;
