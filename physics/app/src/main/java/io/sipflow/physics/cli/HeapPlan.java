package io.sipflow.physics.cli;

import io.sipflow.physics.train.TrainConfig;
import io.sipflow.physics.train.TrainingMemory;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;

/**
 * Prints the JVM options the {@code sipflow} launcher starts a {@code train}, {@code compare} or {@code bench} run
 * with, sized by {@link TrainingMemory} from the same command line; prints nothing for other commands or for a
 * command line that does not parse (the real run then reports the error).
 * <pre>
 *   java -cp sipflow.jar io.sipflow.physics.cli.HeapPlan train --preset seed
 *   -Xms704m -Xmx704m -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=100 -Dsipflow.heap.plan=704m
 * </pre>
 * Why each option (measured on the seed preset, BENCHMARKS.md):
 * <ul>
 *   <li>{@code -Xmx}: without a limit G1 grows the heap toward a quarter of the machine's memory, 1.6–2.4 GB
 *       resident for a step whose live data is under 0.8 GB.</li>
 *   <li>{@code -Xms} equal to it: a heap that shrinks after each collection cycle and grows back re-faults fresh
 *       pages every step (3 s instead of 0.8 s per step).</li>
 *   <li>No concurrent marking (occupancy threshold 100 %): the step's large arrays die within the step and young
 *       collections reclaim them; marking cycles started by every large allocation only took a core away.</li>
 * </ul>
 */
public final class HeapPlan {
    private HeapPlan() {
    }

    /** Exit code that tells the launcher the run cannot fit on this machine (the reason is on stderr). */
    static final int DOES_NOT_FIT = 3;

    public static void main(String[] args) {
        try {
            String plan = plan(args);
            if (!plan.isEmpty()) {
                System.out.println(plan);
            }
        } catch (DoesNotFit e) {
            System.err.println("sipflow " + args[0] + ": error: " + e.getMessage());
            System.exit(DOES_NOT_FIT);
        } catch (RuntimeException e) {
            System.err.println("sipflow: warning: could not size the heap for this run (" + e
                    + "); the JVM's default heap is used");
        }
    }

    /** A run whose heap estimate exceeds the machine's memory, or whose tensors cannot exist. */
    static final class DoesNotFit extends RuntimeException {
        DoesNotFit(String message) {
            super(message);
        }
    }

    /**
     * The options for {@code args} (a sipflow command line), or "" when there is nothing to plan; throws
     * {@link DoesNotFit} when the run cannot fit on a machine of {@code machineBytes}.
     */
    static String plan(String[] args) {
        return plan(args, TrainingMemory.machineBytes());
    }

    static String plan(String[] args, long machineBytes) {
        long bytes;
        try {
            bytes = heapBytes(args, machineBytes);
        } catch (CommandLine.PicocliException e) {
            return ""; // a command line that does not parse: the run itself reports what is wrong
        }
        if (bytes <= 0) {
            return "";
        }
        long mb = (bytes + (1 << 20) - 1) >> 20;
        return String.format(Locale.ROOT, "-Xms%dm -Xmx%dm -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=100"
                + " -Dsipflow.heap.plan=%dm", mb, mb, mb);
    }

    private static long heapBytes(String[] args, long machineBytes) {
        CommandLine.ParseResult parsed = SipflowCli.commandLine().parseArgs(args);
        if (!parsed.hasSubcommand()) {
            return 0;
        }
        CommandLine.ParseResult sub = parsed.subcommand();
        if (sub.isUsageHelpRequested() || sub.isVersionHelpRequested()) {
            return 0;
        }
        Object command = sub.commandSpec().userObject();
        CommandLine cl = sub.commandSpec().commandLine();
        List<TrainConfig> configs;
        if (command instanceof TrainCommand t) {
            configs = List.of(t.config());
        } else if (command instanceof CompareCommand c) {
            configs = c.configs();
        } else if (command instanceof BenchCommand b) {
            // the reference's workload: a fixed batch, no test batch; both methods run, then the layer kinds,
            // whose convolution inputs are all alive at once
            configs = b.heapConfigs();
        } else {
            return 0;
        }
        CommonOptions common = command instanceof TrainCommand t ? t.common
                : command instanceof CompareCommand c ? c.common : ((BenchCommand) command).common;
        boolean device = !"cpu".equals(common.backend);
        long most = 0;
        for (TrainConfig c : configs) {
            try {
                TrainingMemory.checkFits(c, machineBytes);
            } catch (IllegalArgumentException e) {
                throw new DoesNotFit(e.getMessage());
            }
            most = Math.max(most, TrainingMemory.heapBytes(c));
        }
        if (device) {
            // The OpenCL backend keeps its device buffers in Java arrays too (Aparapi's arenas), which grow by
            // doubling to hold a step's live tensors: no tight plan, the JVM's own default (a quarter of the machine).
            return 0;
        }
        if (command instanceof BenchCommand b && !b.noLayers) {
            most += new LayerBench(b.batch, b.resolution, 0, 1).convolutionBytes();
        }
        return most;
    }
}
