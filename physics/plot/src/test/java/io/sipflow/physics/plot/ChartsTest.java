package io.sipflow.physics.plot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Log-axis labels are short, two significant digits, and plain where plain numbers are short. */
class ChartsTest {
    @Test
    void tickLabelsHaveTwoSignificantDigits() {
        assertEquals("7.9", Charts.tickLabel(Math.pow(10, 0.9)));
        assertEquals("10", Charts.tickLabel(10.000000001));
        assertEquals("0.063", Charts.tickLabel(0.0631));
        assertEquals("1600", Charts.tickLabel(1584.9));
        assertEquals("3.2e-7", Charts.tickLabel(3.16e-7));
        assertEquals("1e-15", Charts.tickLabel(1.0000001e-15));
        assertEquals("1e12", Charts.tickLabel(1e12));
        assertEquals("-2.5e-6", Charts.tickLabel(-2.5e-6));
        assertEquals("0", Charts.tickLabel(0));
    }

    @Test
    void linearLabelsKeepWholeNumbersAndRoundFractions() {
        assertEquals("12500", Charts.linearTickLabel(12500));
        assertEquals("0.0469", Charts.linearTickLabel(0.046875));
        assertEquals("-2.5", Charts.linearTickLabel(-2.5));
    }

    @Test
    void everyKindOfChartRendersAndSkipsWhatALogAxisCannotShow() {
        List<Charts.Series> series = List.of(new Charts.Series("s", List.of(1, 10, 100), List.of(5.0, 0.0, 1e-12), true));
        assertTrue(Charts.logChart("t", "x", "y", series).length > 0);
        assertTrue(Charts.logLogChart("t", "x", "y", series).length > 0);
        assertTrue(Charts.lineChart("t", "x", "y", series).length > 0);
        List<Charts.Band> bands = List.of(new Charts.Band("s", List.of(1, 10, 100), List.of(4.0, 1e-3, 0.0),
                List.of(6.0, 1e-2, 1e-11)));
        List<Charts.Series> dashed = List.of(series.get(0), new Charts.Series("x = 0", List.of(1, 100), List.of(1, 1), false, true));
        assertTrue(Charts.logChart("t", "x", "y", dashed, bands).length > 0);
        assertTrue(Charts.logLogChart("t", "x", "y", dashed, bands).length > 0);
    }
}
