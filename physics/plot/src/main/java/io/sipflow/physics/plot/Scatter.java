package io.sipflow.physics.plot;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Scatter plots of 2-D points (the sin problem's predictions and solutions), as PNG bytes through XChart. */
public final class Scatter {
    private Scatter() {
    }

    /** One named set of points: x and y coordinates of the same length. */
    public record Points(String name, double[] x, double[] y) {
    }

    public static byte[] png(String title, String xLabel, String yLabel, List<Points> sets) {
        XYChart chart = new XYChartBuilder().width(800).height(700).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (Points p : sets) {
            chart.addSeries(p.name(), p.x(), p.y());
        }
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering chart '" + title + "'", e);
        }
    }
}
