/**
 * Running the runs of a {@code compare} or {@code sweep} outside the command's own process: each run is one task,
 * an ordinary {@code sipflow train} into its own run folder (or {@code train --resume} when the folder holds a
 * checkpoint), written once into the folder's {@code tasks.sh} by {@link io.sipflow.physics.cli.exec.TaskScript}.
 * <pre>
 *   TaskScript ──► DIR/tasks.sh ──► LocalExecutor   (bash tasks.sh I, --jobs at a time, on this machine)
 *                               └─► SlurmExecutor   (sbatch --array=0-(N-1) tasks.sh, then a collecting job)
 * </pre>
 * The same script serves both, so what a task does (skip a finished run, resume an interrupted one, start a new
 * one) is written once. Tasks run the jar that was built when the script was written (the class path is recorded
 * in it); nothing is rebuilt per task. Collecting the finished runs into comparison.csv or sweep.csv is the
 * command's own job ({@code sweep --collect DIR}), not this package's.
 */
package io.sipflow.physics.cli.exec;
