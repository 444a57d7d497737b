package io.sipflow.physics.train;

import io.sipflow.autodiff.DType;
import io.sipflow.physics.problem.SinProblem;
import io.sipflow.physics.problem.SipLoss;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The "paper" presets carry the authors' settings (read from their scripts) and say where a run still differs. */
class PaperPresetTest {
    private static TrainConfig paper(String problem, Method m, Map<String, Double> options) {
        TrainConfig.Builder b = TrainConfig.builder().problem(problem).method(m);
        return Problems.withPreset(Problems.withSuggestions(b, options), BuiltInProblems.PAPER).build();
    }

    @Test
    void sinIsAngleZeroFloat32WithTheL1MeanLossAndBatch100() {
        TrainConfig c = paper("sin", Method.SIP, Map.of("xi", 16.0));
        assertEquals(0, c.option("angle"));
        assertEquals(16, c.option("xi"));
        assertEquals(DType.FLOAT32, c.dtype());
        assertEquals(SipLoss.L1_MEAN, c.sipLoss());
        assertEquals(100, c.batch());
        assertEquals(1e-8, c.adamEpsilon());
        assertEquals("paper", c.preset());
        SinProblem p = (SinProblem) Problems.create(c);
        assertEquals(DType.FLOAT32, p.precision());
        assertEquals(SipLoss.L1_MEAN, p.networkLoss());
        assertEquals("float32", c.settings().get("dtype"));
        assertEquals("l1-mean", c.settings().get("sip_loss"));
        assertEquals(1e-2 / 16 / 16 / 100, paper("sin", Method.SGD, Map.of("xi", 16.0)).learningRate(), 1e-20,
                "the authors' 1e-2/xi^2 for the batch mean, over the batch of 100 for sipflow's sum");
        assertEquals(List.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0), BuiltInProblems.Sin.PAPER_XI);
    }

    @Test
    void poissonIs64SquaredBatch128WithTheAuthorsSgd() {
        TrainConfig sgd = paper("poisson", Method.SGD, Map.of());
        assertEquals(64, sgd.resolution());
        assertEquals(128, sgd.batch());
        assertEquals(3e-12, sgd.learningRate());
        assertEquals(0.9, sgd.momentum());
        TrainConfig sip = paper("poisson", Method.SIP, Map.of());
        assertEquals(1e-3, sip.learningRate());
        assertEquals(1e-8, sip.adamEpsilon());
        assertEquals(0, sip.momentum());
    }

    @Test
    void heatIs64SquaredBatch128WithTorchsAdamAndTheAuthorsSgdRate() {
        TrainConfig gd = paper("heat", Method.GD, Map.of());
        assertEquals(64, gd.resolution());
        assertEquals(128, gd.batch());
        assertEquals(1e-8, gd.adamEpsilon());
        assertEquals(2e-6, paper("heat", Method.SGD, Map.of()).learningRate());
    }

    @Test
    void differencesNameTheBudgetAndWhatTheUserChangedBack() {
        TrainConfig c = paper("sin", Method.SIP, Map.of("xi", 4.0));
        List<String> d = Problems.presetDifferences(c);
        assertTrue(d.get(0).startsWith("budget: the authors stop each method after 600 s"), d.get(0));
        assertTrue(d.stream().noneMatch(s -> s.startsWith("precision")), d.toString());
        TrainConfig changed = c.toBuilder().dtype(DType.FLOAT64).sipLoss(SipLoss.L2_SUM).option("angle", 45).build();
        List<String> e = Problems.presetDifferences(changed);
        assertTrue(e.contains("precision: float64 (the authors: float32)"), e.toString());
        assertTrue(e.contains("SIP network loss: l2-sum (the authors: l1-mean)"), e.toString());
        assertTrue(e.contains("angle: 45.0 degrees (the authors' xi plot: 0)"), e.toString());
        assertTrue(Problems.presetDifferences(c.toBuilder().preset(null).build()).isEmpty());
        assertTrue(Problems.presetDifferences(c.toBuilder().timeBudgetSeconds(600).build()).get(0)
                .contains("600.0 s of CPU step time"));
    }

    @Test
    void choicesAProblemDoesNotOfferAreRefused() {
        TrainConfig heat = TrainConfig.builder().problem("heat").dtype(DType.FLOAT64).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Problems.create(heat));
        assertTrue(e.getMessage().contains("--dtype float64: problem heat offers float32"), e.getMessage());
        Problems.create(TrainConfig.builder().problem("heat").dtype(DType.FLOAT32).build()); // its own type
        TrainConfig poisson = TrainConfig.builder().problem("poisson").sipLoss(SipLoss.L1_MEAN).build();
        assertEquals(SipLoss.L1_MEAN.of(io.sipflow.autodiff.Tensor.matrix(new double[] {1, -2}),
                        io.sipflow.autodiff.Tensor.matrix(new double[] {0, 0})).item(),
                Problems.create(poisson).sipLoss(io.sipflow.autodiff.Tensor.matrix(new double[] {1, -2}),
                        io.sipflow.autodiff.Tensor.matrix(new double[] {0, 0})).item(), 0, "poisson takes the L1 mean");
        ProblemProvider own = new ProblemProvider() {
            public String id() { return "heat"; }
            public String description() { return "a user's problem"; }
            public io.sipflow.physics.problem.Problem create(TrainConfig c) { return null; }
        };
        assertTrue(own.dtypes().isEmpty());
        assertEquals(java.util.Set.of(SipLoss.L2_SUM), own.sipLosses(), "a user's problem offers sipflow's loss only");
        e = assertThrows(IllegalArgumentException.class,
                () -> Problems.withPreset(TrainConfig.builder().problem("heat"), "nope"));
        assertTrue(e.getMessage().contains("the presets paper"), e.getMessage());
    }

    @Test
    void newSettingsRoundTripThroughRunJsonNames() {
        TrainConfig c = paper("sin", Method.SIP, Map.of("xi", 8.0)).toBuilder().timeBudgetSeconds(90).build();
        assertEquals(c, TrainConfig.fromSettings(c.settings()));
        assertEquals(90.0, c.settings().get("time_budget_seconds"));
        assertEquals(Map.of(), diff(TrainConfig.builder().build().settings().keySet(),
                List.of("dtype", "sip_loss", "time_budget_seconds", "preset")));
    }

    /** The names of {@code forbidden} found among {@code keys}, with a marker (empty when none is). */
    private static Map<String, Boolean> diff(java.util.Set<String> keys, List<String> forbidden) {
        Map<String, Boolean> found = new java.util.LinkedHashMap<>();
        for (String f : forbidden) {
            if (keys.contains(f)) {
                found.put(f, true);
            }
        }
        return found;
    }
}
