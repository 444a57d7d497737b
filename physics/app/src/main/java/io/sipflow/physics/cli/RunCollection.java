package io.sipflow.physics.cli;

import io.sipflow.physics.cli.exec.TaskScript;
import io.sipflow.physics.train.Trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the run folders of a comparison or sweep into its comparison.csv and comparison.png (sweep.csv and
 * sweep.png): every run that has finished, wherever it trained (in the command's process, in {@code --jobs}
 * processes, as Slurm tasks), read back from its folder ({@link RunResults}), so the numbers are the same either
 * way. Runs that have not finished are left out and named; the folder's manifest is written only once every run
 * is in.
 */
final class RunCollection {
    /** The run folders of a comparison or sweep, one per line, in the order they are planned and reported. */
    static final String RUNS = "runs.txt";
    /** Exit code of a collection that is missing runs (the CSV holds the others). */
    static final int INCOMPLETE = 4;

    private RunCollection() {
    }

    /** What is collected: a comparison or a sweep. */
    enum Kind {
        COMPARE(CompareCommand.COMPARE_JSON, "comparison.csv", "comparison.png"),
        SWEEP(SweepCommand.SWEEP_JSON, "sweep.csv", "sweep.png");

        final String json;
        final String csv;
        final String png;

        Kind(String json, String csv, String png) {
            this.json = json;
            this.csv = csv;
            this.png = png;
        }

        /** The command that collects this kind. */
        String command() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Writes the plan: {@code folders} into DIR/{@value #RUNS}. */
    static void writePlan(Path dir, List<String> folders) throws IOException {
        AtomicFiles.writeString(dir.resolve(RUNS), String.join("\n", folders) + "\n");
    }

    /** The kind of DIR (by its compare.json or sweep.json), or an IllegalArgumentException naming what is missing. */
    static Kind kindOf(Path dir, String flag) {
        for (Kind k : Kind.values()) {
            if (Files.isRegularFile(dir.resolve(k.json)) && Files.isRegularFile(dir.resolve(RUNS))) {
                return k;
            }
        }
        throw new IllegalArgumentException(flag + " " + dir + " holds no comparison or sweep to collect (it needs "
                + RUNS + " beside " + CompareCommand.COMPARE_JSON + " or " + SweepCommand.SWEEP_JSON
                + ", written when the runs were planned)");
    }

    /** DIR's plan, the recorded run id and seed count: everything {@code --collect DIR} needs. */
    static int collect(Path dir, Kind kind, PrintWriter out, PrintWriter err) throws IOException {
        Map<String, Object> json = Json.read(Files.readString(dir.resolve(kind.json)));
        Object seeds = json.get(CompareCommand.SEEDS);
        List<String> folders = Files.readAllLines(dir.resolve(RUNS)).stream().filter(l -> !l.isBlank()).toList();
        return collect(dir, kind, folders, seeds == null ? 1 : ((Number) seeds).intValue(),
                String.valueOf(json.get(TrainingRun.RUN_ID)), out, err);
    }

    /**
     * Collects the runs in {@code folders} (relative to {@code dir}) into the kind's CSV and PNG, prints them and
     * names what is missing; writes the manifest when nothing is.
     *
     * @return 0 done, {@link TrainingRun#DIVERGED} when a run diverged or is unstable, {@link #INCOMPLETE} when a
     *         run is missing
     */
    static int collect(Path dir, Kind kind, List<String> folders, int seeds, String runId, PrintWriter out,
                       PrintWriter err) throws IOException {
        List<TrainingRun.Summary> runs = new ArrayList<>();
        List<RunResults.Outcome> missing = new ArrayList<>();
        for (String folder : folders) {
            RunResults.Outcome o = RunResults.read(dir.resolve(folder), folder);
            if (o.summary() != null) {
                runs.add(o.summary());
            } else {
                missing.add(o);
            }
        }
        String who = "sipflow " + kind.command();
        if (runs.isEmpty()) {
            err.println(who + ": no run in " + dir + " has finished yet, so there is nothing to collect:");
            missing.forEach(m -> err.println("  " + m.folder() + ": " + m.missing()));
            err.flush();
            return INCOMPLETE;
        }
        String csv;
        byte[] png;
        String verdict;
        if (kind == Kind.COMPARE) {
            Map<String, Double> zero = new Trainer(runs.get(0).config()).zeroEstimateMetrics();
            csv = seeds == 1 ? CompareCommand.comparisonCsv(runs, zero) : SeedSummary.csv(runs, zero);
            png = seeds == 1 ? CompareCommand.comparisonPng(runs, zero) : SeedSummary.png(runs, zero);
            verdict = seeds == 1 ? CompareCommand.verdict(runs) : SeedSummary.verdict(runs);
            AtomicFiles.writeBytes(dir.resolve(WallTimeChart.FILE), WallTimeChart.png(runs, zero));
        } else {
            Map<Double, Map<String, Double>> zero = SweepCommand.zeroByXi(runs.stream()
                    .map(TrainingRun.Summary::config).toList());
            csv = seeds == 1 ? SweepCommand.sweepCsv(runs, zero) : SweepCommand.seedsCsv(runs, zero);
            png = SweepCommand.sweepPng(runs, zero);
            verdict = "";
        }
        AtomicFiles.writeString(dir.resolve(kind.csv), csv);
        AtomicFiles.writeBytes(dir.resolve(kind.png), png);
        out.println();
        out.print(csv);
        out.print(verdict);
        out.println("wrote " + dir.resolve(kind.csv) + " and " + dir.resolve(kind.png));
        out.flush();
        if (!missing.isEmpty()) {
            err.println(who + ": " + missing.size() + " of " + folders.size() + " runs are missing from "
                    + kind.csv + ":");
            missing.forEach(m -> err.println("  " + m.folder() + ": " + m.missing()));
            err.println(resumeAdvice(dir, kind, folders, missing));
            err.flush();
            return INCOMPLETE;
        }
        OutputFolder.writeManifest(dir, runId, owned(dir, kind, folders));
        return runs.stream().anyMatch(TrainingRun.Summary::failed) ? TrainingRun.DIVERGED : 0;
    }

    /** How to finish the missing runs: resubmit their tasks, run them here, or resume the comparison. */
    private static String resumeAdvice(Path dir, Kind kind, List<String> folders, List<RunResults.Outcome> missing) {
        Path script = dir.resolve(TaskScript.NAME);
        String collect = "; then: sipflow " + kind.command() + " --collect " + dir;
        if (Files.isRegularFile(script)) {
            List<String> indices = missing.stream().map(m -> String.valueOf(folders.indexOf(m.folder()))).toList();
            return "Run them (each resumes from its checkpoint, if it has one): on Slurm, sbatch --array="
                    + String.join(",", indices) + " " + script + "; here, bash " + script + " I for each task I"
                    + " in " + String.join(",", indices) + collect;
        }
        return kind == Kind.COMPARE ? "Continue them with: sipflow compare --resume " + dir
                : "Continue each with: sipflow train --resume " + dir.resolve(missing.get(0).folder()) + collect;
    }

    /** The manifest's entries: the kind's files, the plan, the task script and logs if there, each top folder. */
    private static List<String> owned(Path dir, Kind kind, List<String> folders) {
        List<String> owned = new ArrayList<>(List.of(kind.json, kind.csv, kind.png, RUNS));
        if (kind == Kind.COMPARE) {
            owned.add(WallTimeChart.FILE);
        }
        if (Files.isRegularFile(dir.resolve(TaskScript.NAME))) {
            owned.add(TaskScript.NAME);
        }
        if (Files.isDirectory(dir.resolve(TaskScript.LOGS))) {
            owned.add(TaskScript.LOGS + "/");
        }
        Set<String> tops = new LinkedHashSet<>();
        for (String f : folders) {
            int slash = f.indexOf('/');
            tops.add((slash < 0 ? f : f.substring(0, slash)) + "/");
        }
        owned.addAll(tops);
        return owned;
    }
}
