package io.laurel.runtime.web;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class VersionControllerTest {
    private static Properties props(String version, String commit, String dirty) {
        Properties p = new Properties();
        if (version != null) {
            p.setProperty("version", version);
        }
        if (commit != null) {
            p.setProperty("commit", commit);
        }
        if (dirty != null) {
            p.setProperty("dirty", dirty);
        }
        return p;
    }

    @Test
    void answersTheBuildsVersionAndCommit() {
        assertThat(VersionController.answer(props("1.2.0", "0123456789ab", "false")))
                .containsExactly(java.util.Map.entry("version", "1.2.0"), java.util.Map.entry("api_version", "1"),
                        java.util.Map.entry("commit", "0123456789ab"));
    }

    @Test
    void aBuildFromChangedFilesSaysSo() {
        assertThat(VersionController.answer(props("1.2.0", "0123456789ab", "true")).get("commit"))
                .isEqualTo("0123456789ab-dirty");
    }

    @Test
    void whatMavenDidNotFillInIsUnknown() {
        assertThat(VersionController.answer(props("@project.version@", "@git.commit.id.abbrev@", "@git.dirty@")))
                .containsEntry("version", "unknown").containsEntry("commit", "unknown").containsEntry("api_version", "1");
        assertThat(VersionController.answer(new Properties())).containsEntry("version", "unknown")
                .containsEntry("commit", "unknown");
        assertThat(VersionController.answer(props("", " ", "true"))).containsEntry("commit", "unknown");
    }

    @Test
    void thePackagedPropertiesCarryTheProjectVersion() {
        assertThat(VersionController.load().getProperty("version")).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
