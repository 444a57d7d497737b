package io.sipflow.physics.plot;

import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    private Charts() {
    }

    /** One named curve: x values and positive y values of the same length. */
    public record Series(String name, List<? extends Number> x, List<? extends Number> y, boolean markers) {
    }

    /** A log-y chart of every series. Non-positive y values are left out (a log axis cannot show them). */
    public static byte[] logChart(String title, String xLabel, String yLabel, List<Series> series) {
        return chart(title, xLabel, yLabel, series, false, true);
    }

    /** A chart with log axes on both x and y (a sweep over a parameter that spans decades). */
    public static byte[] logLogChart(String title, String xLabel, String yLabel, List<Series> series) {
        return chart(title, xLabel, yLabel, series, true, true);
    }

    /** A chart of every series on linear axes (a function and its derivative, say). */
    public static byte[] lineChart(String title, String xLabel, String yLabel, List<Series> series) {
        return chart(title, xLabel, yLabel, series, false, false);
    }

    private static byte[] chart(String title, String xLabel, String yLabel, List<Series> series, boolean logX,
                                boolean logY) {
        XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisTickMarkSpacingHint(2 * LABEL_SPACING_PX);
        chart.getStyler().setYAxisTickMarkSpacingHint(LABEL_SPACING_PX);
        chart.setCustomXAxisTickLabelsFormatter(logX ? v -> tickLabel(Math.pow(10, v)) : Charts::linearTickLabel);
        if (!logY) {
            chart.setCustomYAxisTickLabelsFormatter(Charts::linearTickLabel);
        }
        if (logY) {
            chart.setCustomYAxisTickLabelsFormatter(v -> tickLabel(Math.pow(10, v)));
        }
        List<double[]> ends = new ArrayList<>();
        for (Series s : series) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < s.x().size(); i++) {
                double x = s.x().get(i).doubleValue();
                double y = s.y().get(i).doubleValue();
                if (Double.isFinite(x) && Double.isFinite(y) && (!logX || x > 0) && (!logY || y > 0)) {
                    xs.add(logX ? Math.log10(x) : x);
                    ys.add(logY ? Math.log10(y) : y);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), xs, ys);
            xy.setMarker(s.markers() ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
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
        byHeight.sort(java.util.Comparator.comparingDouble((double[] e) -> e[1]));
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
