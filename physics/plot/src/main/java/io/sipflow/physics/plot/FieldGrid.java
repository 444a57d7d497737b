package io.sipflow.physics.plot;

import io.sipflow.autodiff.Tensor;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * A grid of field images, one row per example and one column per quantity (the notebook's "Ground Truth",
 * "Observation", "NN Prediction"), in viridis. Columns with the same scale group share one colour range over all
 * rows, so a prediction is drawn on its ground truth's scale and rows compare; a colour bar per scale group, at the
 * right, reads values off the colours. The range printed under each panel is that panel's own.
 * Non-finite values are drawn grey and left out of every range, so a NaN prediction cannot blank the ground
 * truth. y points up, as in PhiFlow's plots.
 */
public final class FieldGrid {
    private static final int PANEL = 200;
    private static final int GAP = 12;
    private static final int HEADER = 28;
    private static final int FOOTER = 18;
    private static final int LEFT = 74;
    private static final int BAR = 16;
    private static final int BAR_BLOCK = 110;   // bar, its value labels and the gap to the next

    private FieldGrid() {
    }

    /** One column: a title, (B, ny, nx) fields, and a scale group. */
    public record Column(String title, Tensor fields, int scaleGroup) {
    }

    /** PNG bytes of the first {@code rows} examples of every column. */
    public static byte[] png(List<Column> columns, int rows) {
        int ny = columns.get(0).fields().dim(-2);
        int nx = columns.get(0).fields().dim(-1);
        int scale = Math.max(1, PANEL / Math.max(ny, nx));
        int pw = nx * scale;
        int ph = ny * scale;
        List<Integer> groups = columns.stream().map(Column::scaleGroup).distinct().toList();
        int gridWidth = LEFT + columns.size() * (pw + GAP);
        int width = gridWidth + groups.size() * BAR_BLOCK;
        int height = HEADER + rows * (ph + FOOTER + GAP);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        for (int c = 0; c < columns.size(); c++) {
            drawCentred(g, columns.get(c).title(), LEFT + c * (pw + GAP) + pw / 2, HEADER - 9);
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int r = 0; r < rows; r++) {
            int y0 = HEADER + r * (ph + FOOTER + GAP);
            g.setColor(Color.BLACK);
            g.drawString("example " + r, 6, y0 + ph / 2);
            for (int c = 0; c < columns.size(); c++) {
                double[] range = colourRange(columns, columns.get(c).scaleGroup(), rows);
                int x0 = LEFT + c * (pw + GAP);
                paint(img, columns.get(c).fields(), r, x0, y0, scale, range);
                g.setColor(Color.DARK_GRAY);
                drawCentred(g, label(columns.get(c), r), x0 + pw / 2, y0 + ph + 13);
            }
        }
        for (int i = 0; i < groups.size(); i++) {
            drawColourBar(img, g, columns, groups.get(i), rows, gridWidth + i * BAR_BLOCK, HEADER,
                    rows * (ph + FOOTER + GAP) - FOOTER - GAP);
        }
        g.dispose();
        return encode(img);
    }

    /** A vertical viridis bar for one scale group, its range's ends and middle labelled, its columns named above. */
    private static void drawColourBar(BufferedImage img, Graphics2D g, List<Column> columns, int group, int rows,
                                      int x0, int y0, int height) {
        double[] range = colourRange(columns, group, rows);
        for (int py = 0; py < height; py++) {
            int rgb = Viridis.rgb(1 - (double) py / Math.max(1, height - 1));
            for (int px = 0; px < BAR; px++) {
                img.setRGB(x0 + px, y0 + py, rgb);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(x0, y0, BAR - 1, height - 1);
        if (range[0] <= range[1]) {
            for (int k = 0; k <= 4; k++) {
                double v = range[1] - k * (range[1] - range[0]) / 4;
                int py = y0 + k * (height - 1) / 4;
                g.drawLine(x0 + BAR, py, x0 + BAR + 3, py);
                g.drawString(String.format(Locale.ROOT, "%.3g", v), x0 + BAR + 6, py + 4);
            }
        }
        String names = String.join(", ", columns.stream().filter(c -> c.scaleGroup() == group)
                .map(Column::title).toList());
        FontMetrics fm = g.getFontMetrics();
        String shown = names;
        while (fm.stringWidth(shown) > BAR_BLOCK - 8 && shown.length() > 2) {
            shown = names.substring(0, shown.length() - 2) + "…";
        }
        g.drawString(shown, x0, y0 - 6);
    }

    private static void paint(BufferedImage img, Tensor fields, int example, int x0, int y0, int scale,
                              double[] range) {
        int ny = fields.dim(-2);
        int nx = fields.dim(-1);
        int offset = example * ny * nx;
        double span = range[1] > range[0] ? range[1] - range[0] : 1;
        for (int i = 0; i < ny; i++) {
            for (int j = 0; j < nx; j++) {
                double v = fields.getFlat(offset + i * nx + j);
                int rgb = Double.isFinite(v) ? Viridis.rgb((v - range[0]) / span) : 0x808080;
                int py = y0 + (ny - 1 - i) * scale; // row 0 is y = 0.5, drawn at the bottom
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x0 + j * scale + dx, py + dy, rgb);
                    }
                }
            }
        }
    }

    /** [min, max] over the columns of {@code group} in example {@code example}. */
    private static double[] range(List<Column> columns, int group, int example) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Column col : columns) {
            if (col.scaleGroup() != group) {
                continue;
            }
            int n = col.fields().dim(-2) * col.fields().dim(-1);
            for (int i = example * n; i < (example + 1) * n; i++) {
                double v = col.fields().getFlat(i);
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return new double[] {lo, hi};
    }

    /** The text under a panel: that panel's own finite range, and how many values are NaN or infinite. */
    static String label(Column column, int example) {
        double[] own = range(List.of(column), column.scaleGroup(), example);
        int bad = nonFinite(column.fields(), example);
        String label = own[0] <= own[1] ? String.format(Locale.ROOT, "%.3g … %.3g", own[0], own[1]) : "no finite values";
        return bad > 0 ? label + " (" + bad + " NaN/inf)" : label;
    }

    /** The colour range of {@code group}: finite values of every column in the group, over the first rows. */
    static double[] colourRange(List<Column> columns, int group, int rows) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            double[] own = range(columns, group, r);
            lo = Math.min(lo, own[0]);
            hi = Math.max(hi, own[1]);
        }
        return new double[] {lo, hi};
    }

    private static int nonFinite(Tensor fields, int example) {
        int n = fields.dim(-2) * fields.dim(-1);
        int bad = 0;
        for (int i = example * n; i < (example + 1) * n; i++) {
            bad += Double.isFinite(fields.getFlat(i)) ? 0 : 1;
        }
        return bad;
    }

    private static void drawCentred(Graphics2D g, String s, int cx, int baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, cx - fm.stringWidth(s) / 2, baseline);
    }

    static byte[] encode(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding PNG", e);
        }
    }
}
