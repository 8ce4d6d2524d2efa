package io.laurel.badge.certificate;

import io.laurel.events.certificate.CertificateTemplate;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Renders a certificate's SVG as a one-page PDF with Apache PDFBox: the page has the SVG's size (its {@code width} and
 * {@code height}, or its {@code viewBox}, in CSS pixels at 96 per inch); {@code rect}, {@code line}, {@code circle}
 * and {@code text} (with {@code tspan}s, {@code font-size}, {@code font-weight} bold, {@code text-anchor} and
 * {@code fill}) are drawn, in groups that pass those on. Text is set in DejaVu Sans (embedded, subset), which covers
 * Latin, Greek and Cyrillic; a character it lacks is drawn as '?'. Values are text in the PDF, never markup.
 */
public final class PdfCertificates {
    private static final float PX = 0.75f; // 1 CSS px = 0.75 pt

    private PdfCertificates() {
    }

    /** The PDF of {@code svg} (already filled and escaped); {@code title} goes into the document's information. */
    public static byte[] render(String svg, String title) throws Exception {
        Element root = CertificateTemplate.parseXml(svg).getDocumentElement();
        float[] box = viewBox(root);
        float width = length(root.getAttribute("width"), box[2]);
        float height = length(root.getAttribute("height"), box[3]);
        try (PDDocument doc = new PDDocument()) {
            PDDocumentInformation info = new PDDocumentInformation();
            info.setTitle(title);
            info.setProducer("Laurel");
            doc.setDocumentInformation(info);
            PDPage page = new PDPage(new PDRectangle(width * PX, height * PX));
            doc.addPage(page);
            Fonts fonts = new Fonts(doc);
            Canvas canvas = new Canvas(box, width * PX / box[2], height * PX / box[3], height * PX);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                draw(root, cs, canvas, fonts, new Style(Color.BLACK, null, 1, 16, false, "start"));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** Where SVG user units land on the page. */
    private record Canvas(float[] box, float sx, float sy, float pageHeight) {
        float x(float ux) {
            return (ux - box[0]) * sx;
        }

        float y(float uy) {
            return pageHeight - (uy - box[1]) * sy;
        }
    }

    /** What an element passes on to its children. */
    private record Style(Color fill, Color stroke, float strokeWidth, float fontSize, boolean bold, String anchor) {
        Style of(Element e) {
            Map<String, String> a = attributes(e);
            Color f = a.containsKey("fill") ? color(a.get("fill"), fill) : fill;
            if ("none".equals(a.get("fill"))) {
                f = null;
            }
            Color s = a.containsKey("stroke") ? color(a.get("stroke"), stroke) : stroke;
            if ("none".equals(a.get("stroke"))) {
                s = null;
            }
            float sw = a.containsKey("stroke-width") ? number(a.get("stroke-width"), strokeWidth) : strokeWidth;
            float fs = a.containsKey("font-size") ? number(a.get("font-size"), fontSize) : fontSize;
            String weight = a.getOrDefault("font-weight", bold ? "bold" : "normal");
            boolean b = weight.equals("bold") || weight.equals("bolder") || number(weight, 400) >= 600;
            String anchor = a.getOrDefault("text-anchor", this.anchor);
            return new Style(f, s, sw, fs, b, anchor);
        }
    }

    private static final class Fonts {
        final PDType0Font regular;
        final PDType0Font bold;

        Fonts(PDDocument doc) throws IOException {
            regular = load(doc, "/fonts/DejaVuSans.ttf");
            bold = load(doc, "/fonts/DejaVuSans-Bold.ttf");
        }

        private static PDType0Font load(PDDocument doc, String resource) throws IOException {
            try (InputStream in = PdfCertificates.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("font " + resource + " is missing from the badge service");
                }
                return PDType0Font.load(doc, in);
            }
        }
    }

    private static void draw(Element e, PDPageContentStream cs, Canvas c, Fonts fonts, Style inherited) throws IOException {
        Style st = inherited.of(e);
        switch (e.getLocalName() == null ? e.getTagName() : e.getLocalName()) {
            case "rect" -> {
                float x = attr(e, "x"), y = attr(e, "y"), w = attr(e, "width"), h = attr(e, "height");
                shape(cs, st, () -> cs.addRect(c.x(x), c.y(y + h), w * c.sx(), h * c.sy()), c);
            }
            case "line" -> {
                if (st.stroke() != null) {
                    cs.setStrokingColor(st.stroke());
                    cs.setLineWidth(st.strokeWidth() * c.sx());
                    cs.moveTo(c.x(attr(e, "x1")), c.y(attr(e, "y1")));
                    cs.lineTo(c.x(attr(e, "x2")), c.y(attr(e, "y2")));
                    cs.stroke();
                }
            }
            case "circle" -> {
                float cx = c.x(attr(e, "cx")), cy = c.y(attr(e, "cy")), r = attr(e, "r") * c.sx();
                float k = 0.5523f * r;
                shape(cs, st, () -> {
                    cs.moveTo(cx + r, cy);
                    cs.curveTo(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
                    cs.curveTo(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
                    cs.curveTo(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
                    cs.curveTo(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
                    cs.closePath();
                }, c);
            }
            case "text" -> text(e, cs, c, fonts, st);
            case "title", "desc", "metadata", "defs", "style", "script" -> {
                // not drawn
            }
            default -> {
                for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element child) {
                        draw(child, cs, c, fonts, st);
                    }
                }
            }
        }
    }

    private interface Path {
        void add() throws IOException;
    }

    private static void shape(PDPageContentStream cs, Style st, Path path, Canvas c) throws IOException {
        if (st.fill() == null && st.stroke() == null) {
            return;
        }
        path.add();
        if (st.fill() != null) {
            cs.setNonStrokingColor(st.fill());
        }
        if (st.stroke() != null) {
            cs.setStrokingColor(st.stroke());
            cs.setLineWidth(st.strokeWidth() * c.sx());
        }
        if (st.fill() != null && st.stroke() != null) {
            cs.fillAndStroke();
        } else if (st.fill() != null) {
            cs.fill();
        } else {
            cs.stroke();
        }
    }

    private static void text(Element e, PDPageContentStream cs, Canvas c, Fonts fonts, Style st) throws IOException {
        String content = e.getTextContent().replaceAll("\\s+", " ").strip();
        if (content.isEmpty() || st.fill() == null) {
            return;
        }
        PDType0Font font = st.bold() ? fonts.bold : fonts.regular;
        String printable = printable(font, content);
        float size = st.fontSize() * c.sy();
        float width = font.getStringWidth(printable) / 1000f * size;
        float x = c.x(attr(e, "x"));
        if ("middle".equals(st.anchor())) {
            x -= width / 2;
        } else if ("end".equals(st.anchor())) {
            x -= width;
        }
        cs.beginText();
        cs.setFont(font, size);
        cs.setNonStrokingColor(st.fill());
        cs.newLineAtOffset(x, c.y(attr(e, "y")));
        cs.showText(printable);
        cs.endText();
    }

    /** {@code text} with each character the font cannot draw replaced by '?'. */
    static String printable(PDType0Font font, String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean drawable;
            try {
                // the font's Unicode map decides: encode throws for a character it has no glyph for
                drawable = font.encode(new String(Character.toChars(cp))).length > 0;
            } catch (IOException | IllegalArgumentException e) {
                drawable = false;
            }
            out.appendCodePoint(drawable || cp == ' ' ? cp : '?');
        });
        return out.toString();
    }

    private static float[] viewBox(Element root) {
        String vb = root.getAttribute("viewBox");
        if (!vb.isBlank()) {
            String[] p = vb.trim().split("[\\s,]+");
            if (p.length == 4) {
                float[] box = {number(p[0], 0), number(p[1], 0), number(p[2], 0), number(p[3], 0)};
                if (box[2] > 0 && box[3] > 0) {
                    return box;
                }
            }
        }
        return new float[]{0, 0, length(root.getAttribute("width"), 1123), length(root.getAttribute("height"), 794)};
    }

    private static float attr(Element e, String name) {
        return length(e.getAttribute(name), 0);
    }

    /** A length in CSS pixels ({@code 12}, {@code 12px}, {@code 10mm}, {@code 1in}, {@code 12pt}). */
    static float length(String value, float otherwise) {
        if (value == null || value.isBlank() || value.endsWith("%")) {
            return otherwise;
        }
        String v = value.trim();
        float unit = 1;
        for (Map.Entry<String, Float> u : UNITS.entrySet()) {
            if (v.endsWith(u.getKey())) {
                unit = u.getValue();
                v = v.substring(0, v.length() - u.getKey().length()).trim();
                break;
            }
        }
        return number(v, otherwise / unit) * unit;
    }

    private static final Map<String, Float> UNITS = Map.of("px", 1f, "pt", 4f / 3f, "mm", 96f / 25.4f,
            "cm", 96f / 2.54f, "in", 96f);

    private static float number(String value, float otherwise) {
        try {
            return Float.parseFloat(value.trim());
        } catch (NumberFormatException | NullPointerException e) {
            return otherwise;
        }
    }

    /** The presentation attributes of an element, with those of its {@code style} attribute on top. */
    private static Map<String, String> attributes(Element e) {
        Map<String, String> a = new HashMap<>();
        for (String name : new String[]{"fill", "stroke", "stroke-width", "font-size", "font-weight", "text-anchor"}) {
            if (e.hasAttribute(name)) {
                a.put(name, e.getAttribute(name).trim());
            }
        }
        for (String decl : e.getAttribute("style").split(";")) {
            int colon = decl.indexOf(':');
            if (colon > 0) {
                a.put(decl.substring(0, colon).trim(), decl.substring(colon + 1).trim());
            }
        }
        if (a.containsKey("font-size")) {
            a.put("font-size", String.valueOf(length(a.get("font-size"), 16)));
        }
        return a;
    }

    private static final Map<String, Color> NAMED = Map.of("black", Color.BLACK, "white", Color.WHITE, "red", Color.RED,
            "green", new Color(0, 128, 0), "blue", Color.BLUE, "gray", Color.GRAY, "grey", Color.GRAY,
            "gold", new Color(255, 215, 0), "navy", new Color(0, 0, 128), "silver", new Color(192, 192, 192));

    /** A colour: {@code #rgb}, {@code #rrggbb}, {@code rgb(r, g, b)} or a few names; else {@code otherwise}. */
    static Color color(String value, Color otherwise) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.startsWith("#") && v.length() == 4) {
                return new Color(Integer.parseInt("" + v.charAt(1) + v.charAt(1), 16),
                        Integer.parseInt("" + v.charAt(2) + v.charAt(2), 16), Integer.parseInt("" + v.charAt(3) + v.charAt(3), 16));
            }
            if (v.startsWith("#") && v.length() == 7) {
                return new Color(Integer.parseInt(v.substring(1), 16));
            }
            if (v.startsWith("rgb(") && v.endsWith(")")) {
                String[] p = v.substring(4, v.length() - 1).split(",");
                return new Color(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), Integer.parseInt(p[2].trim()));
            }
        } catch (RuntimeException e) {
            return otherwise;
        }
        return NAMED.getOrDefault(v, otherwise);
    }
}
