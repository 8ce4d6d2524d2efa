package io.laurel.events.certificate;

import org.w3c.dom.Document;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A certificate template: SVG with {@code {{variable}}} slots. The variables are {@value #VARIABLE_LIST} and any field
 * of the awarding event's data as {@code {{event.<field>}}}. {@link #check} refuses, at definition time, an unknown
 * variable, an unclosed slot and a document that is not well-formed SVG; {@link #render} fills the slots with values
 * escaped for the document (XML), so a name such as {@code <script>} or {@code &} renders as text.
 */
public final class CertificateTemplate {
    /** The variables every award has. */
    public static final Set<String> VARIABLES = Set.of("user_id", "user_name", "badge_name", "date", "issuer");
    static final String VARIABLE_LIST = "user_id, user_name, badge_name, date, issuer, event.<field>";
    private static final Pattern EVENT_FIELD = Pattern.compile("event\\.[A-Za-z0-9_]{1,64}");
    /** The largest template accepted. */
    public static final int MAX_CHARS = 256 * 1024;

    private final List<Object> parts; // String literal, or Slot

    private record Slot(String name) {
    }

    private CertificateTemplate(List<Object> parts) {
        this.parts = parts;
    }

    /** Thrown for a template that cannot be used; the message says where and why. */
    public static final class InvalidTemplateException extends IllegalArgumentException {
        public InvalidTemplateException(String message) {
            super(message);
        }
    }

    /** Parses the slots; throws {@link InvalidTemplateException} for an unclosed slot or an unknown variable. */
    public static CertificateTemplate parse(String text) {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf("{{", at);
            if (open < 0) {
                parts.add(text.substring(at));
                break;
            }
            int close = text.indexOf("}}", open + 2);
            if (close < 0) {
                throw new InvalidTemplateException("'{{' at character " + open + " is not closed with '}}'");
            }
            String name = text.substring(open + 2, close).strip();
            if (!VARIABLES.contains(name) && !EVENT_FIELD.matcher(name).matches()) {
                throw new InvalidTemplateException("unknown variable {{" + name + "}} at character " + open
                        + "; known: " + VARIABLE_LIST);
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            parts.add(new Slot(name));
            at = close + 2;
        }
        return new CertificateTemplate(List.copyOf(parts));
    }

    /**
     * What is wrong with {@code text} as an SVG template, or an empty list: its slots ({@link #parse}), and whether
     * the document is well-formed XML whose root is {@code <svg>} (a DOCTYPE is refused: no entities).
     */
    public static List<String> check(String text) {
        List<String> problems = new ArrayList<>();
        if (text.length() > MAX_CHARS) {
            problems.add("is longer than " + MAX_CHARS + " characters");
            return problems;
        }
        try {
            parse(text);
        } catch (InvalidTemplateException e) {
            problems.add(e.getMessage());
        }
        try {
            Document doc = parseXml(text);
            String root = doc.getDocumentElement().getLocalName() != null ? doc.getDocumentElement().getLocalName()
                    : doc.getDocumentElement().getTagName();
            if (!"svg".equals(root)) {
                problems.add("the document's root element is <" + root + ">, not <svg>");
            }
        } catch (SAXParseException e) {
            problems.add("is not well-formed SVG (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + "): "
                    + e.getMessage());
        } catch (Exception e) {
            problems.add("is not well-formed SVG: " + e.getMessage());
        }
        return problems;
    }

    /** The variables the template uses, in order of first use. */
    public Set<String> variables() {
        Set<String> names = new LinkedHashSet<>();
        for (Object p : parts) {
            if (p instanceof Slot s) {
                names.add(s.name());
            }
        }
        return names;
    }

    /** The document with each slot filled by {@code value} (null: empty), escaped for XML. */
    public String render(Function<String, String> value) {
        StringBuilder out = new StringBuilder();
        for (Object p : parts) {
            if (p instanceof Slot s) {
                String v = value.apply(s.name());
                out.append(xml(v == null ? "" : v));
            } else {
                out.append((String) p);
            }
        }
        return out.toString();
    }

    /** {@code s} escaped for XML text and attribute values. */
    public static String xml(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // characters XML 1.0 cannot carry at all are dropped rather than breaking the document
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Parses XML safely: namespaces on, no DOCTYPE, no external entities or schemas. */
    public static Document parseXml(String text) throws Exception {
        DocumentBuilder builder = secureFactory().newDocumentBuilder();
        builder.setErrorHandler(null);
        return builder.parse(new org.xml.sax.InputSource(new StringReader(text)));
    }

    private static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }
}
