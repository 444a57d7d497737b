package io.sipflow.physics.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Line charts, as PNG bytes through XChart: log-y for losses (they span decades), linear for functions. */
public final class Charts {
    private Charts() {
    }

    /** One named curve: x values and positive y values of the same length. */
    public record Series(String name, List<? extends Number> x, List<? extends Number> y, boolean markers) {
    }

    /** A log-y chart of every series. Non-positive y values are left out (a log axis cannot show them). */
    public static byte[] logChart(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false); // label 20, 50 … too: curves often span one decade
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Series s : series) {
            Map<Double, Double> pts = positive(s);
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), List.copyOf(pts.keySet()), List.copyOf(pts.values()));
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart '" + title + "'", e);
        }
    }

    /** A chart of every series on linear axes (a function and its derivative, say). */
    public static byte[] lineChart(String title, String xLabel, String yLabel, List<Series> series) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisTickMarkSpacingHint(120);   // about eight labels across, none crowded
        for (Series s : series) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart '" + title + "'", e);
        }
    }

    private static Map<Double, Double> positive(Series s) {
        Map<Double, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < s.x().size(); i++) {
            double y = s.y().get(i).doubleValue();
            if (y > 0 && Double.isFinite(y)) {
                m.put(s.x().get(i).doubleValue(), y);
            }
        }
        return m;
    }
}
