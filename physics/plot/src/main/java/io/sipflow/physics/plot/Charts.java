package io.sipflow.physics.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Line charts with a logarithmic y axis (losses span decades), as PNG bytes through XChart. */
public final class Charts {
    /** Line colours in series order; a series' band takes its line's colour, translucent. */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14),
            new Color(44, 160, 44), new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75),
            new Color(227, 119, 194), new Color(127, 127, 127)};

    private Charts() {
    }

    /**
     * One named curve: x values and positive y values of the same length.
     *
     * @param name the legend's label
     * @param x the x values
     * @param y the y values (non-positive ones are left out on the log axis)
     * @param markers whether each point gets a circle
     * @param dashed whether the line is dashed (a reference, such as the estimate x = 0)
     */
    public record Series(String name, List<? extends Number> x, List<? extends Number> y, boolean markers,
                         boolean dashed) {
        /**
         * A solid curve.
         *
         * @param name the legend's label
         * @param x the x values
         * @param y the y values
         * @param markers whether each point gets a circle
         */
        public Series(String name, List<? extends Number> x, List<? extends Number> y, boolean markers) {
            this(name, x, y, markers, false);
        }
    }

    /**
     * A shaded band around the series of the same name (a confidence interval): lower and upper y per x.
     *
     * @param name the name of the series it belongs to (it takes that series' colour)
     * @param x the x values
     * @param lower the band's lower edge
     * @param upper the band's upper edge
     */
    public record Band(String name, List<? extends Number> x, List<? extends Number> lower,
                       List<? extends Number> upper) {
    }

    /**
     * A log-y chart of every series. Non-positive y values are left out (a log axis cannot show them).
     *
     * @param title the chart's title
     * @param xLabel the x axis' label
     * @param yLabel the y axis' label
     * @param series the curves
     * @return the chart as PNG bytes
     */
    public static byte[] logChart(String title, String xLabel, String yLabel, List<Series> series) {
        return logChart(title, xLabel, yLabel, series, List.of());
    }

    /**
     * A log-y chart of every series, each band shaded behind the series of its name. Points of a band whose
     * lower edge is not positive are left out, as are non-positive y values.
     *
     * @param title the chart's title
     * @param xLabel the x axis' label
     * @param yLabel the y axis' label
     * @param series the curves
     * @param bands the shaded bands (each names a series)
     * @return the chart as PNG bytes
     */
    public static byte[] logChart(String title, String xLabel, String yLabel, List<Series> series, List<Band> bands) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(false); // label 20, 50 … too: curves often span one decade
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Series s : series) {
            colours.put(s.name(), PALETTE[colours.size() % PALETTE.length]);
        }
        for (Band b : bands) {
            addBand(chart, b, colours.getOrDefault(b.name(), Color.GRAY));
        }
        for (Series s : series) {
            Map<Double, Double> pts = positive(s.x(), s.y());
            if (pts.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), List.copyOf(pts.keySet()), List.copyOf(pts.values()));
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xy.setLineColor(colours.get(s.name()));
            xy.setMarkerColor(colours.get(s.name()));
            if (s.dashed()) {
                xy.setLineStyle(SeriesLines.DASH_DASH);
            }
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart '" + title + "'", e);
        }
    }

    /** The band as a closed polygon: along the upper edge, back along the lower one. */
    private static void addBand(XYChart chart, Band b, Color colour) {
        List<Double> xs = new ArrayList<>();
        List<Double> lo = new ArrayList<>();
        List<Double> hi = new ArrayList<>();
        for (int i = 0; i < b.x().size(); i++) {
            double l = b.lower().get(i).doubleValue();
            double h = b.upper().get(i).doubleValue();
            if (l > 0 && Double.isFinite(l) && Double.isFinite(h)) {
                xs.add(b.x().get(i).doubleValue());
                lo.add(l);
                hi.add(h);
            }
        }
        if (xs.size() < 2) {
            return;
        }
        List<Double> px = new ArrayList<>(xs);
        List<Double> py = new ArrayList<>(hi);
        for (int i = xs.size() - 1; i >= 0; i--) {
            px.add(xs.get(i));
            py.add(lo.get(i));
        }
        XYSeries poly = chart.addSeries(b.name() + " (95 % interval)", px, py);
        poly.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        poly.setMarker(SeriesMarkers.NONE);
        poly.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
        poly.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 0));
        poly.setShowInLegend(false);
    }

    private static Map<Double, Double> positive(List<? extends Number> x, List<? extends Number> y) {
        Map<Double, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < x.size(); i++) {
            double v = y.get(i).doubleValue();
            if (v > 0 && Double.isFinite(v)) {
                m.put(x.get(i).doubleValue(), v);
            }
        }
        return m;
    }
}
