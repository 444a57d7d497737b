package io.sipflow.physics.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run.json is always JSON: non-finite numbers become null, text is escaped, numbers read back exactly. */
class JsonTest {
    @Test
    void nonFiniteNumbersAreWrittenAsNullAndEverythingReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nan", Double.NaN);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("lr", 0.0012345678912345);
        m.put("eps", 1e-7);
        m.put("steps", 300);
        m.put("seed", Long.MAX_VALUE);
        m.put("text", "a \"quoted\"\\path\nnext");
        m.put("none", null);
        String json = Json.write(m);
        assertTrue(!json.contains("NaN") && !json.contains("Infinity"), json);
        Map<String, Object> back = Json.read(json);
        assertEquals(null, back.get("nan"));
        assertEquals(null, back.get("inf"));
        assertEquals(0.0012345678912345, back.get("lr"));
        assertEquals(1e-7, back.get("eps"));
        assertEquals(300L, back.get("steps"));
        assertEquals(Long.MAX_VALUE, back.get("seed"));
        assertEquals("a \"quoted\"\\path\nnext", back.get("text"));
    }

    @Test
    void malformedJsonSaysWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.read("{\"resolution\": NaN}"));
        assertTrue(e.getMessage().contains("'NaN' is not a JSON value"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.read("{\"a\": 1"));
    }
}
