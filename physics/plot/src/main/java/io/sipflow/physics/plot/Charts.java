package io.sipflow.physics.plot;

import org.knowm.xchart.AnnotationText;
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
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Line charts, as PNG bytes through XChart: log-y for losses (they span decades), linear for functions.
 *
 * <p>A log axis is drawn as a linear axis over log₁₀ of the values, labelled with the values themselves
 * ({@link #tickLabel}): XChart then spaces the labels evenly, one every ~55 pixels whatever the number of decades,
 * and never a crowd of minor labels (XChart's own log axis labels every 2, 3, … 9 of each decade, or only the
 * decades). On a log-y chart each curve's last value is also written beside its end, where the eye looks for it.
 */
public final class Charts {
    private static final int LABEL_SPACING_PX = 55;
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
     * @param y the y values (non-positive ones are left out on a log axis)
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
        return chart(title, xLabel, yLabel, series, List.of(), false, true);
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
        return chart(title, xLabel, yLabel, series, bands, false, true);
    }

    /**
     * A chart with log axes on both x and y (a sweep over a parameter that spans decades).
     *
     * @param title the chart's title
     * @param xLabel the x axis' label
     * @param yLabel the y axis' label
     * @param series the curves
     * @return the chart as PNG bytes
     */
    public static byte[] logLogChart(String title, String xLabel, String yLabel, List<Series> series) {
        return chart(title, xLabel, yLabel, series, List.of(), true, true);
    }

    /**
     * A log-log chart with bands shaded behind the series of their names.
     *
     * @param title the chart's title
     * @param xLabel the x axis' label
     * @param yLabel the y axis' label
     * @param series the curves
     * @param bands the shaded bands (each names a series)
     * @return the chart as PNG bytes
     */
    public static byte[] logLogChart(String title, String xLabel, String yLabel, List<Series> series,
                                     List<Band> bands) {
        return chart(title, xLabel, yLabel, series, bands, true, true);
    }

    /**
     * A chart of every series on linear axes (a function and its derivative, say).
     *
     * @param title the chart's title
     * @param xLabel the x axis' label
     * @param yLabel the y axis' label
     * @param series the curves
     * @return the chart as PNG bytes
     */
    public static byte[] lineChart(String title, String xLabel, String yLabel, List<Series> series) {
        return chart(title, xLabel, yLabel, series, List.of(), false, false);
    }

    private static byte[] chart(String title, String xLabel, String yLabel, List<Series> series, List<Band> bands,
                                boolean logX, boolean logY) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setXAxisTickMarkSpacingHint(2 * LABEL_SPACING_PX);
        chart.getStyler().setYAxisTickMarkSpacingHint(LABEL_SPACING_PX);
        chart.setCustomXAxisTickLabelsFormatter(logX ? v -> tickLabel(Math.pow(10, v)) : Charts::linearTickLabel);
        chart.setCustomYAxisTickLabelsFormatter(logY ? v -> tickLabel(Math.pow(10, v)) : Charts::linearTickLabel);
        Map<String, Color> colours = new LinkedHashMap<>();
        for (Series s : series) {
            colours.put(s.name(), PALETTE[colours.size() % PALETTE.length]);
        }
        for (Band b : bands) {
            addBand(chart, b, colours.getOrDefault(b.name(), Color.GRAY), logX, logY);
        }
        List<double[]> ends = new ArrayList<>();
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().size(); i++) {
                double x = s.x().get(i).doubleValue();
                double y = s.y().get(i).doubleValue();
                if (shown(x, logX) && shown(y, logY)) {
                    xs.add(logX ? Math.log10(x) : x);
                    ys.add(logY ? Math.log10(y) : y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), xs, ys);
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            xy.setLineColor(colours.get(s.name()));
            xy.setMarkerColor(colours.get(s.name()));
            if (s.dashed()) {
                xy.setLineStyle(SeriesLines.DASH_DASH);
            }
            ends.add(new double[] {xs.get(xs.size() - 1), ys.get(ys.size() - 1), s.y().get(s.y().size() - 1).doubleValue()});
        }
        if (logY) {
            labelEnds(chart, ends);
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart '" + title + "'", e);
        }
    }

    /** Whether a value can be drawn on its axis: finite, and positive on a log axis. */
    private static boolean shown(double v, boolean log) {
        return Double.isFinite(v) && (!log || v > 0);
    }

    /** The band as a closed polygon: along the upper edge, back along the lower one. */
    private static void addBand(XYChart chart, Band b, Color colour, boolean logX, boolean logY) {
        List<Double> xs = new ArrayList<>();
        List<Double> lo = new ArrayList<>();
        List<Double> hi = new ArrayList<>();
        for (int i = 0; i < b.x().size(); i++) {
            double x = b.x().get(i).doubleValue();
            double l = b.lower().get(i).doubleValue();
            double h = b.upper().get(i).doubleValue();
            if (shown(x, logX) && shown(l, logY) && shown(h, logY)) {
                xs.add(logX ? Math.log10(x) : x);
                lo.add(logY ? Math.log10(l) : l);
                hi.add(logY ? Math.log10(h) : h);
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

    /**
     * Writes each curve's last value (three significant digits) just above and left of its end point, in data
     * coordinates: a small fraction of the axes' spans, so it never covers the marker; labels of curves that end
     * close together are stacked, lowest first.
     */
    private static void labelEnds(XYChart chart, List<double[]> ends) {
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (XYSeries s : chart.getSeriesMap().values()) {
            xMin = Math.min(xMin, s.getXMin());
            xMax = Math.max(xMax, s.getXMax());
            yMin = Math.min(yMin, s.getYMin());
            yMax = Math.max(yMax, s.getYMax());
        }
        double dx = (xMax - xMin) * 0.025;
        double dy = Math.max(yMax - yMin, 0.1) * 0.035;
        List<double[]> byHeight = new ArrayList<>(ends);
        byHeight.sort(Comparator.comparingDouble((double[] e) -> e[1]));
        double lastY = Double.NEGATIVE_INFINITY;
        for (double[] end : byHeight) {
            String text = new BigDecimal(end[2]).round(new MathContext(3)).stripTrailingZeros().toString();
            double y = Math.max(end[1] + dy, lastY + 1.5 * dy);   // curves ending close together: labels stack
            chart.addAnnotation(new AnnotationText(text, end[0] - dx, y, false));
            lastY = y;
        }
    }

    /** A linear-axis label: whole numbers in full ({@code 12500}), others to three significant digits. */
    static String linearTickLabel(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * A value as a tick label with two significant digits: plain between 0.001 and 100 000 ({@code 0.063},
     * {@code 7.9}, {@code 1600}), else in e-notation ({@code 3.2e-7}, {@code 1e12}).
     */
    static String tickLabel(double value) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : Double.toString(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(2)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e5) {
            return rounded.toPlainString();
        }
        String mantissa = rounded.unscaledValue().toString();
        boolean negative = mantissa.startsWith("-");
        String digits = negative ? mantissa.substring(1) : mantissa;
        int exponent = digits.length() - 1 - rounded.scale();
        String lead = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return String.format(Locale.ROOT, "%s%se%d", negative ? "-" : "", lead, exponent);
    }
}
