package io.laurel.events.certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateTemplateTest {
    private static final String SVG = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>%s</text></svg>";

    @Test
    void slotsAreFilledWithValuesEscapedForXml() {
        CertificateTemplate t = CertificateTemplate.parse(SVG.formatted("{{user_name}} got {{ badge_name }} on {{date}}"));
        String out = t.render(Map.of("user_name", "<script>alert('x')</script> & \"Co\"", "badge_name", "Gold",
                "date", "1 May 2026")::get);
        assertThat(out).contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;Co&quot; got Gold on 1 May 2026");
        assertThat(out).doesNotContain("<script>");
        assertThat(CertificateTemplate.check(out)).isEmpty();
    }

    @Test
    void theVariablesAreListedInOrderOfFirstUse() {
        assertThat(CertificateTemplate.parse("{{date}}{{user_id}}{{date}}{{event.course}}").variables())
                .containsExactly("date", "user_id", "event.course");
    }

    @Test
    void aMissingValueIsEmptyAndControlCharactersAreDropped() {
        CertificateTemplate t = CertificateTemplate.parse("[{{issuer}}][{{user_id}}]");
        assertThat(t.render(name -> name.equals("user_id") ? "a\u0000b\u0007c" : null)).isEqualTo("[][abc]");
    }

    @Test
    void textWithoutSlotsIsKeptAsIs() {
        assertThat(CertificateTemplate.parse("plain { braces } and } }").render(n -> "x")).isEqualTo("plain { braces } and } }");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{nope}}", "{{event.}}", "{{event.a b}}", "{{User_Name}}", "{{}}"})
    void anUnknownVariableIsRefusedWithItsPosition(String slot) {
        assertThatThrownBy(() -> CertificateTemplate.parse("ab" + slot))
                .isInstanceOf(CertificateTemplate.InvalidTemplateException.class)
                .hasMessageContaining("unknown variable").hasMessageContaining("character 2");
    }

    @Test
    void anUnclosedSlotIsRefused() {
        assertThatThrownBy(() -> CertificateTemplate.parse("x {{user_name"))
                .hasMessageContaining("'{{' at character 2 is not closed");
    }

    @Test
    void checkNamesEveryProblem() {
        assertThat(CertificateTemplate.check(SVG.formatted("{{user_id}} {{event.course_name}}"))).isEmpty();
        assertThat(CertificateTemplate.check("<svg><text>{{nope}}</svg>")).hasSize(2)
                .anyMatch(p -> p.startsWith("unknown variable {{nope}}"))
                .anyMatch(p -> p.startsWith("is not well-formed SVG (line 1"));
        assertThat(CertificateTemplate.check("<html/>")).containsExactly("the document's root element is <html>, not <svg>");
        assertThat(CertificateTemplate.check("not xml at all")).singleElement().asString().startsWith("is not well-formed SVG");
        assertThat(CertificateTemplate.check("x".repeat(CertificateTemplate.MAX_CHARS + 1))).singleElement().asString()
                .startsWith("is longer than");
    }

    @Test
    void aDoctypeIsRefusedSoNoEntityIsEverExpanded() {
        String xxe = "<!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg>&x;</svg>";
        assertThat(CertificateTemplate.check(xxe)).singleElement().asString().contains("DOCTYPE");
        String laughs = "<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]><svg>&b;</svg>";
        assertThat(CertificateTemplate.check(laughs)).isNotEmpty();
    }
}
