package io.laurel.badge.certificate;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

import java.awt.Color;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PdfCertificatesTest {

    private static PDDocument load(byte[] pdf) throws Exception {
        return Loader.loadPDF(pdf);
    }

    @Test
    void theTextOfTheSvgIsTheTextOfThePdfOnAPageOfItsSize() throws Exception {
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="800" height="600" viewBox="0 0 800 600">
                  <rect x="0" y="0" width="800" height="600" fill="#fff" stroke="navy"/>
                  <line x1="10" y1="10" x2="790" y2="10" stroke="#123456" stroke-width="2"/>
                  <circle cx="400" cy="500" r="40" fill="gold"/>
                  <g font-size="30" fill="rgb(10, 20, 30)">
                    <text x="400" y="200" text-anchor="middle" font-weight="bold">Анна &lt;b&gt; &amp; Co</text>
                    <text x="20" y="300">Κώστας <tspan>Müller</tspan></text>
                    <text x="780" y="400" text-anchor="end" style="font-size: 12px">日本 €</text>
                  </g>
                  <title>not drawn</title>
                </svg>""";
        byte[] pdf = PdfCertificates.render(svg, "Gold — Anna");
        assertThat(new String(pdf, 0, 5)).isEqualTo("%PDF-");
        try (PDDocument doc = load(pdf)) {
            assertThat(doc.getNumberOfPages()).isEqualTo(1);
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(600f); // 800 px at 0.75 pt
            assertThat(doc.getPage(0).getMediaBox().getHeight()).isEqualTo(450f);
            assertThat(doc.getDocumentInformation().getTitle()).isEqualTo("Gold — Anna");
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Анна <b> & Co").contains("Κώστας Müller").doesNotContain("not drawn");
            // characters the embedded font lacks are drawn as '?', never dropped silently or failing the document
            assertThat(text).contains("?? €");
        }
    }

    @Test
    void withoutWidthAndHeightThePageIsTheViewBox() throws Exception {
        try (PDDocument doc = load(PdfCertificates.render("<svg viewBox=\"0 0 400 200\"><text x=\"1\" y=\"20\">x</text></svg>",
                "t"))) {
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo(300f);
            assertThat(doc.getPage(0).getMediaBox().getHeight()).isEqualTo(150f);
        }
    }

    @Test
    void lengthsAndColoursAreRead() {
        assertThat(PdfCertificates.length("10mm", 0)).isCloseTo(37.795f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(PdfCertificates.length("1in", 0)).isEqualTo(96f);
        assertThat(PdfCertificates.length("12pt", 0)).isEqualTo(16f);
        assertThat(PdfCertificates.length("50%", 7)).isEqualTo(7f);
        assertThat(PdfCertificates.length("wide", 3)).isEqualTo(3f);
        assertThat(PdfCertificates.color("#abc", null)).isEqualTo(new Color(0xaa, 0xbb, 0xcc));
        assertThat(PdfCertificates.color("#102030", null)).isEqualTo(new Color(0x10, 0x20, 0x30));
        assertThat(PdfCertificates.color("rgb(1, 2, 3)", null)).isEqualTo(new Color(1, 2, 3));
        assertThat(PdfCertificates.color("WHITE", null)).isEqualTo(Color.WHITE);
        assertThat(PdfCertificates.color("#zzz", Color.RED)).isEqualTo(Color.RED);
        assertThat(PdfCertificates.color("papayawhip", Color.RED)).isEqualTo(Color.RED);
    }

    @Test
    void aDocumentThatIsNotSvgIsRefused() {
        assertThatThrownBy(() -> PdfCertificates.render("<svg><text>", "t")).isInstanceOf(Exception.class);
    }
}
