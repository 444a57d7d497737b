package io.sipflow.physics.train;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every declared setting is stored, recorded and read back by TrainConfig from its one declaration. */
class SettingsTest {
    @Test
    void everyDeclaredSettingRoundTripsThroughRunJsonNames() {
        TrainConfig.Builder b = TrainConfig.builder();
        for (Setting<?> s : Settings.all()) {
            setExample(b, s);
        }
        TrainConfig c = b.build();
        for (Setting<?> s : Settings.all()) {
            assertEquals(s.parse(s.example()), c.get(s), s.key());
            assertNotEquals(s.defaultValue(), c.get(s), s.key() + "'s example must differ from its default");
            assertTrue(c.settings().containsKey(s.key()), s.key() + " is recorded at its example: " + c.settings());
        }
        assertEquals(c, TrainConfig.fromSettings(c.settings()));
        assertEquals(c.settings(), TrainConfig.fromSettings(c.settings()).settings());
    }

    @Test
    void keysAndFlagsAreUniqueAndResumableIsDerived() {
        Set<String> keys = new HashSet<>();
        Set<String> flags = new HashSet<>();
        for (Setting<?> s : Settings.all()) {
            assertTrue(keys.add(s.key()), s.key());
            assertTrue(flags.add(s.flag()), s.flag());
            assertTrue(s.flag().startsWith("--"), s.flag());
            assertEquals(s, Settings.byKey(s.key()).orElseThrow());
        }
        assertEquals(Set.of("steps", "checkpoint_every"), TrainConfig.RESUMABLE);
    }

    @Test
    void aValueOutOfRangeNamesTheSetting() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().set(Settings.LEARNING_RATE, Double.NaN).build());
        assertEquals("learning rate must be a finite number > 0, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrainConfig.fromSettings(java.util.Map.of("batch", "x")));
        assertEquals("setting batch must be a whole number, got x", e.getMessage());
        assertEquals(0.5, TrainConfig.builder().build().with(Settings.MOMENTUM, 0.5).momentum(), 0.0);
    }

    private static <T> void setExample(TrainConfig.Builder b, Setting<T> s) {
        b.set(s, s.parse(s.example()));
    }
}
