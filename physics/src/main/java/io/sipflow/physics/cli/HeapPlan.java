package io.sipflow.physics.cli;

import io.sipflow.physics.train.Method;
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

    public static void main(String[] args) {
        try {
            String plan = plan(args);
            if (!plan.isEmpty()) {
                System.out.println(plan);
            }
        } catch (RuntimeException e) {
            System.err.println("sipflow: warning: could not size the heap for this run (" + e
                    + "); the JVM's default heap is used");
        }
    }

    /** The options for {@code args} (a sipflow command line), or "" when there is nothing to plan. */
    static String plan(String[] args) {
        long bytes;
        try {
            bytes = heapBytes(args);
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

    private static long heapBytes(String[] args) {
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
        if (command instanceof TrainCommand t) {
            return TrainingMemory.heapBytes(t.train.resolve(t.method, cl));
        }
        if (command instanceof CompareCommand c) {
            return largest(c.train, c.methods, cl);
        }
        if (command instanceof BenchCommand b) {
            // the reference's workload: a fixed batch, no test batch; both methods run, then the layer kinds,
            // whose convolution inputs are all alive at once
            TrainConfig sip = new TrainConfig(Method.SIP, 1, b.batch, b.resolution, 0, 1e-3, 1, 1, 1);
            long step = Math.max(TrainingMemory.heapBytes(sip),
                    TrainingMemory.heapBytes(new TrainConfig(Method.GD, 1, b.batch, b.resolution, 0, 1e-3, 1, 1, 1)));
            return b.noLayers ? step : step + new LayerBench(b.batch, b.resolution, 0, 1).convolutionBytes();
        }
        return 0;
    }

    private static long largest(TrainOptions options, List<Method> methods, CommandLine cl) {
        long most = 0;
        for (Method m : methods) {
            most = Math.max(most, TrainingMemory.heapBytes(options.resolve(m, cl)));
        }
        return most;
    }
}
