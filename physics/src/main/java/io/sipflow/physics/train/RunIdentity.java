package io.sipflow.physics.train;

import io.sipflow.physics.problem.Problem;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which run a checkpoint belongs to: a random run id plus every setting that shapes its numbers, so a resume can
 * refuse a checkpoint from another run instead of mixing two runs into one. The settings are the ones run.json
 * is written from (the config's and the problem's, {@link TrainConfig#settings()} and
 * {@link Problem#settings()}), minus the few a resume may change ({@link TrainConfig#RESUMABLE}); a setting added
 * to either map later is covered without touching this class. Stored in a checkpoint as lines of text:
 * <pre>
 *   run_id=20261203T164512Z-k3j9x0q2m1
 *   problem=heat
 *   method=sip
 *   batch=32 …
 * </pre>
 *
 * @param runId the run's id, e.g. from {@link #newRunId()}
 * @param settings every identifying setting by its run.json name, values in canonical text
 */
public record RunIdentity(String runId, Map<String, String> settings) {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String RUN_ID = "run_id";

    /**
     * Copies {@code settings}, keeping their order.
     *
     * @param runId the run's id
     * @param settings the identifying settings (copied)
     */
    public RunIdentity {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /**
     * {@return a fresh id: the start time (UTC, to the second) and 64 random bits, e.g. 20261203T164512Z-k3j9x0q2m1}
     */
    public static String newRunId() {
        String time = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now());
        return time + "-" + Long.toUnsignedString(RANDOM.nextLong(), 36);
    }

    /**
     * The identity of run {@code runId} with {@code config} on {@code problem}.
     *
     * @param runId the run's id
     * @param config the run's settings
     * @param problem the problem built from them (its own settings count too)
     * @return the identity, without the settings a resume may change
     */
    public static RunIdentity of(String runId, TrainConfig config, Problem problem) {
        Map<String, Object> all = new LinkedHashMap<>(config.settings());
        all.putAll(problem.settings());
        Map<String, String> s = new LinkedHashMap<>();
        all.forEach((name, value) -> {
            if (!TrainConfig.RESUMABLE.contains(name)) {
                s.put(name, canonical(value));
            }
        });
        return new RunIdentity(runId, s);
    }

    /** One text per value, so 10, 10L and 10.0 (as a JSON file may read them back) compare equal. */
    static String canonical(Object v) {
        if (v instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        return String.valueOf(v);
    }

    /**
     * What differs from {@code other}, this one's value first: the first setting in settings order (problem,
     * method, …), e.g. "problem poisson vs heat", else "run id A vs B"; empty when both are the same run.
     *
     * @param other the identity to compare with
     * @return the first difference in words, or empty for the same run
     */
    public Optional<String> difference(RunIdentity other) {
        Set<String> names = new LinkedHashSet<>(settings.keySet());
        names.addAll(other.settings.keySet());
        for (String name : names) {
            String a = settings.get(name);
            String b = other.settings.get(name);
            if (a == null || !a.equals(b)) {
                return Optional.of(name + " " + (a == null ? "(not set)" : a) + " vs " + (b == null ? "(not set)" : b));
            }
        }
        if (!runId.equals(other.runId)) {
            return Optional.of("run id " + runId + " vs " + other.runId);
        }
        return Optional.empty();
    }

    /** {@return the lines stored in a checkpoint, UTF-8: {@code run_id=…} then one {@code name=value} per setting} */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(RUN_ID).append('=').append(runId).append('\n');
        settings.forEach((name, value) -> sb.append(name).append('=').append(value.replace('\n', ' ')).append('\n'));
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads {@link #toBytes()}; a text without a run id is refused.
     *
     * @param bytes the stored lines, UTF-8
     * @return the identity
     * @throws IllegalArgumentException if the text names no run id
     */
    public static RunIdentity fromBytes(byte[] bytes) {
        String runId = null;
        Map<String, String> s = new LinkedHashMap<>();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            if (line.startsWith(RUN_ID + "=")) {
                runId = line.substring(eq + 1);
            } else {
                s.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (runId == null || runId.isEmpty()) {
            throw new IllegalArgumentException("the run identity names no run id");
        }
        return new RunIdentity(runId, s);
    }
}
