package io.laurel.runtime.web;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * {@code GET /v1/version} (no key): the build's version, the API's version and the commit the build was made from
 * (API.md, "Operability"). Maven writes both into {@code META-INF/laurel-version.properties} at build time.
 */
@RestController
public class VersionController {
    public static final String API_VERSION = "1";
    private final io.laurel.api.Version answer;

    public VersionController() {
        Map<String, Object> m = answer(load());
        this.answer = new io.laurel.api.Version((String) m.get("version"), API_VERSION, (String) m.get("commit"));
    }

    @GetMapping("/v1/version")
    public io.laurel.api.Version version() {
        return answer;
    }

    static Properties load() {
        Properties p = new Properties();
        try (InputStream in = VersionController.class.getResourceAsStream("/META-INF/laurel-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no build information: answered as unknown
        }
        return p;
    }

    /** The answer from the build's properties; a value Maven did not fill in (no git checkout) is "unknown". */
    static Map<String, Object> answer(Properties p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", known(p.getProperty("version")));
        m.put("api_version", API_VERSION);
        String commit = known(p.getProperty("commit"));
        m.put("commit", !commit.equals("unknown") && "true".equals(p.getProperty("dirty")) ? commit + "-dirty" : commit);
        return m;
    }

    private static String known(String value) {
        return value == null || value.isBlank() || value.startsWith("@") ? "unknown" : value.trim();
    }
}
