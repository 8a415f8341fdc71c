package io.rdustudio.core.analysis.placement;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG of a placement: one cell per grid position, its PCU as the upper-left
 * square and its PMU as the lower-right circle, coloured by the stage or buffer they serve;
 * the most loaded links as lines coloured from green (idle) to red (saturated); the die boundary
 * as a dashed line; a legend of groups with their unit counts. Deterministic output (a golden test
 * compares it byte for byte).
 */
public final class PlacementSvg {

    private static final int CELL = 18;
    private static final int MARGIN = 20;
    private static final int LEGEND_WIDTH = 320;

    private PlacementSvg() {
    }

    public static String render(Placement p) {
        int gridWidth = p.columnsPerDie() * p.dies() * CELL;
        int gridHeight = p.rows() * CELL;
        int legendHeight = 40 + 16 * (p.groups().size() + 6);
        int width = MARGIN * 3 + gridWidth + LEGEND_WIDTH;
        int height = MARGIN * 2 + Math.max(gridHeight + 30, legendHeight);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"monospace\" font-size=\"11\">%n", width, height, width, height));
        s.append(String.format(Locale.ROOT, "<title>placement of %s</title>%n", escape(p.kernel())));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", width, height));
        s.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", MARGIN, MARGIN));
        for (int die = 0; die < p.dies(); die++) {
            s.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#f4f4f4\" stroke=\"#999999\"/>%n",
                    die * p.columnsPerDie() * CELL, p.columnsPerDie() * CELL, gridHeight));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">die %d</text>%n",
                    die * p.columnsPerDie() * CELL + 4, gridHeight + 14, die));
        }
        for (Placement.Unit u : p.units()) {
            String colour = colour(u.group(), p.groups().size());
            if (u.kind() == Placement.UnitKind.PCU) {
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n",
                        u.x() * CELL + 1, u.y() * CELL + 1, colour));
            } else {
                s.append(String.format(Locale.ROOT,
                        "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"%s\" stroke=\"#000000\" stroke-width=\"0.5\"/>%n",
                        u.x() * CELL + 13, u.y() * CELL + 13, colour));
            }
        }
        for (Placement.LinkLoad l : p.mostLoadedLinks()) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"3\" stroke-linecap=\"round\"><title>%s</title></line>%n",
                    l.x1() * CELL + CELL / 2, l.y1() * CELL + CELL / 2, l.x2() * CELL + CELL / 2, l.y2() * CELL + CELL / 2,
                    loadColour(l.load()), String.format(Locale.ROOT, "%.0f%% of %s", 100 * l.load(),
                            l.dieToDie() ? "a die-to-die lane" : "a mesh link")));
        }
        for (int die = 1; die < p.dies(); die++) {
            int x = die * p.columnsPerDie() * CELL;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"-6\" x2=\"%d\" y2=\"%d\" stroke=\"#000000\""
                    + " stroke-width=\"2\" stroke-dasharray=\"6,4\"/>%n", x, x, gridHeight + 6));
        }
        s.append("</g>\n");
        legend(s, p, MARGIN * 2 + gridWidth, MARGIN);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void legend(StringBuilder s, Placement p, int x, int y) {
        s.append(String.format(Locale.ROOT, "<g transform=\"translate(%d,%d)\">%n", x, y));
        int line = 0;
        s.append(text(0, line++, "kernel " + p.kernel()));
        s.append(text(0, line++, String.format(Locale.ROOT, "PCUs %.0f%%  PMUs %.0f%%", 100 * p.pcuUtilisation(),
                100 * p.pmuUtilisation())));
        s.append(text(0, line++, "square: PCU   circle: PMU"));
        List<Placement.Group> groups = p.groups();
        for (int g = 0; g < groups.size(); g++) {
            Placement.Group group = groups.get(g);
            int top = line * 16;
            s.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n", top,
                    colour(g, groups.size())));
            s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\">%s</text>%n", top + 9,
                    escape(String.format(Locale.ROOT, "%s %s: %d %s", group.operator(), group.name(), group.units(),
                            group.kind() == Placement.UnitKind.PCU ? "PCU" : "PMU"))));
            line++;
        }
        line++;
        s.append(text(0, line++, "link load:"));
        double[] loads = { 0, 0.5, 1 };
        for (int i = 0; i < loads.length; i++) {
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\""
                    + " stroke-width=\"3\"/>%n", i * 60, line * 16 + 5, i * 60 + 20, line * 16 + 5, loadColour(loads[i])));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.0f%%</text>%n", i * 60 + 24, line * 16 + 9,
                    100 * loads[i]));
        }
        line++;
        s.append(text(0, line, "dashed: die boundary"));
        s.append("</g>\n");
    }

    private static String text(int x, int line, String t) {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", x, line * 16 + 9, escape(t));
    }

    /** Hues spaced by the golden ratio, so neighbouring groups differ (HSV with s = 0.65, v = 0.9). */
    static String colour(int group, int groups) {
        double hue = (group * 0.618034) % 1.0 * 6;
        double value = 0.9;
        double chroma = value * 0.65;
        double second = chroma * (1 - Math.abs(hue % 2 - 1));
        double[] rgb = switch ((int) hue) {
            case 0 -> new double[] { chroma, second, 0 };
            case 1 -> new double[] { second, chroma, 0 };
            case 2 -> new double[] { 0, chroma, second };
            case 3 -> new double[] { 0, second, chroma };
            case 4 -> new double[] { second, 0, chroma };
            default -> new double[] { chroma, 0, second };
        };
        double base = value - chroma;
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(255 * (rgb[0] + base)),
                Math.round(255 * (rgb[1] + base)), Math.round(255 * (rgb[2] + base)));
    }

    static String loadColour(double load) {
        double t = Math.max(0, Math.min(1, load));
        int red = (int) Math.round(40 + 215 * t);
        int green = (int) Math.round(170 * (1 - t) + 30);
        return String.format(Locale.ROOT, "#%02x%02x%02x", red, green, 40);
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
