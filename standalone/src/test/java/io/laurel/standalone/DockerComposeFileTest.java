package io.laurel.standalone;

import io.laurel.events.topic.ConsumerGroupBrokerSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Checks docker-compose.yml, the Dockerfile and deploy/nginx.conf against the repository without a Docker
 * engine: the compose setup is never started on the build machine, so this is what keeps it honest.
 */
class DockerComposeFileTest {
    private static final List<String> LAUREL_SERVICES =
            List.of("ingest-service", "scoring-service", "badge-service", "leaderboard-service");
    private static final List<String> INFRASTRUCTURE = List.of("kafka", "postgres");

    private static Path composeFile;
    private static Path repositoryRoot;
    private static Map<String, Object> services;

    @BeforeAll
    static void loadComposeFile() throws IOException {
        Path fromModule = Path.of("..", "docker-compose.yml");
        composeFile = (Files.isRegularFile(fromModule) ? fromModule : Path.of("docker-compose.yml"))
                .toAbsolutePath().normalize();
        assertThat(composeFile)
                .as("docker-compose.yml at the repository root (looked in .. and in the working directory)")
                .isRegularFile();
        repositoryRoot = composeFile.getParent();
        Object document;
        try (Reader reader = Files.newBufferedReader(composeFile)) {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
        assertThat(document).as("%s is a YAML mapping", composeFile).isInstanceOf(Map.class);
        Object servicesNode = ((Map<?, ?>) document).get("services");
        assertThat(servicesNode).as("%s has a 'services' mapping", composeFile).isInstanceOf(Map.class);
        services = stringKeys(servicesNode, "services");
    }

    @Test
    void declaresTheFourLaurelServicesAndTheirInfrastructure() {
        assertThat(services.keySet())
                .as("services of %s", composeFile)
                .containsAll(LAUREL_SERVICES)
                .containsAll(INFRASTRUCTURE);
    }

    @Test
    void laurelServicesAreBuiltFromTheRepositoryDockerfile() {
        for (String name : LAUREL_SERVICES) {
            Map<String, Object> service = service(name);
            assertThat(service.get("build"))
                    .as("service '%s' has a 'build' section (it is built from this repository)", name)
                    .isNotNull();
            assertThat(buildArgs(name))
                    .as("build arg SERVICE of service '%s' names its own module", name)
                    .containsEntry("SERVICE", name);
        }
    }

    @Test
    void everyBuildNamesARootModuleThroughItsServiceBuildArg() throws Exception {
        Set<String> modules = rootModules();
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String name = entry.getKey();
            if (service(name).get("build") == null) {
                continue;
            }
            Path context = repositoryRoot.resolve(buildContext(name)).normalize();
            assertThat(context.resolve(dockerfileOf(name)))
                    .as("the Dockerfile of service '%s' (build context %s)", name, context)
                    .isRegularFile();
            String module = buildArgs(name).get("SERVICE");
            assertThat(module)
                    .as("service '%s' has a build and therefore a non-blank build arg SERVICE", name)
                    .isNotBlank();
            assertThat(context.resolve(module))
                    .as("build arg SERVICE=%s of service '%s' is a directory of the build context %s",
                            module, name, context)
                    .isDirectory();
            assertThat(context.resolve(module).resolve("pom.xml"))
                    .as("module directory '%s' of service '%s' has a pom.xml", module, name)
                    .isRegularFile();
            assertThat(modules)
                    .as("build arg SERVICE=%s of service '%s' is a <module> of the root pom.xml", module, name)
                    .contains(module);
        }
    }

    @Test
    void everyServiceHasAHealthcheckWithATest() {
        List<String> required = new ArrayList<>(INFRASTRUCTURE);
        required.addAll(LAUREL_SERVICES);
        Set<String> checked = new LinkedHashSet<>(required);
        checked.addAll(services.keySet());
        for (String name : checked) {
            Object healthcheck = service(name).get("healthcheck");
            assertThat(healthcheck).as("service '%s' has a healthcheck mapping", name).isInstanceOf(Map.class);
            Object test = ((Map<?, ?>) healthcheck).get("test");
            assertThat(test).as("healthcheck of service '%s' has a 'test'", name).isNotNull();
            String command = test instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
                    : String.valueOf(test);
            assertThat(command.trim())
                    .as("healthcheck test of service '%s' runs a command", name)
                    .isNotEmpty()
                    .isNotEqualTo("NONE")
                    .doesNotStartWith("NONE ");
            assertThat(((Map<?, ?>) healthcheck).get("disable"))
                    .as("healthcheck of service '%s' is not disabled", name)
                    .isNotEqualTo(Boolean.TRUE);
        }
    }

    @Test
    void laurelServicesCheckTheirActuatorHealthWithCurl() {
        for (String name : LAUREL_SERVICES) {
            Object test = ((Map<?, ?>) service(name).get("healthcheck")).get("test");
            String command = test instanceof List<?> list ? String.join(" ", list.stream().map(String::valueOf).toList())
                    : String.valueOf(test);
            assertThat(command)
                    .as("healthcheck of service '%s' asks its actuator health on container port 8080", name)
                    .contains("curl")
                    .contains("http://localhost:8080/actuator/health");
        }
    }

    @Test
    void laurelServicesWaitForHealthyKafkaAndPostgres() {
        for (String name : LAUREL_SERVICES) {
            Map<String, String> conditions = dependsOn(name);
            for (String dependency : INFRASTRUCTURE) {
                assertThat(conditions)
                        .as("service '%s' depends_on '%s' with condition: service_healthy", name, dependency)
                        .containsEntry(dependency, "service_healthy");
            }
        }
    }

    @Test
    void servicesOtherThanIngestWaitForAHealthyIngestService() {
        for (String name : LAUREL_SERVICES) {
            if (name.equals("ingest-service")) {
                continue;
            }
            assertThat(dependsOn(name))
                    .as("service '%s' depends_on 'ingest-service' (which creates the topics and the catalog)"
                            + " with condition: service_healthy", name)
                    .containsEntry("ingest-service", "service_healthy");
        }
    }

    @Test
    void dependenciesNameServicesOfTheFile() {
        for (String name : services.keySet()) {
            assertThat(services.keySet())
                    .as("every depends_on entry of service '%s' is a service of %s", name, composeFile)
                    .containsAll(dependsOn(name).keySet());
        }
    }

    @Test
    void laurelServicesReachKafkaAndPostgresByServiceName() {
        for (String name : LAUREL_SERVICES) {
            Map<String, String> environment = environment(name);
            assertThat(environment.get("LAUREL_KAFKA_BOOTSTRAP_SERVERS"))
                    .as("LAUREL_KAFKA_BOOTSTRAP_SERVERS of service '%s' reaches the 'kafka' service by name", name)
                    .isNotNull()
                    .startsWith("kafka:");
            assertThat(environment.get("LAUREL_POSTGRES_HOST"))
                    .as("LAUREL_POSTGRES_HOST of service '%s' is the 'postgres' service", name)
                    .isEqualTo("postgres");
            assertThat(environment)
                    .as("PostgreSQL settings of service '%s' match the postgres service", name)
                    .containsEntry("LAUREL_POSTGRES_PORT", "5432")
                    .containsEntry("LAUREL_POSTGRES_DATABASE", "laurel")
                    .containsEntry("LAUREL_POSTGRES_USERNAME", "laurel")
                    .containsEntry("LAUREL_POSTGRES_PASSWORD", "laurel");
            assertThat(environment)
                    .as("service '%s' turns the AxonIQ update checker off", name)
                    .containsEntry("AXONIQ_UPDATE_CHECKER_DISABLED", "true");
        }
    }

    @Test
    void kafkaAdvertisesItsServiceNameAndCreatesNoTopicsByItself() {
        Map<String, String> environment = environment("kafka");
        assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS"))
                .as("kafka advertises PLAINTEXT://kafka:9092, the address the services use")
                .contains("PLAINTEXT://kafka:9092");
        assertThat(environment)
                .as("kafka: topics are created by ingest-service only; single-node replication factors")
                .containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .containsEntry("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .containsEntry("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1");
    }

    @Test
    void kafkaSetsTheConsumerGroupProtocolsTimingsAsTheStandalonesBrokerDoes() {
        Map<String, String> environment = environment("kafka");
        ConsumerGroupBrokerSettings.SETTINGS.forEach((key, value) -> assertThat(environment)
                .as("kafka sets %s as the standalone's broker does", key)
                .containsEntry("KAFKA_" + key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value));
    }

    @Test
    void ingestServiceTakesTheAdminKeyFromTheEnvironmentAndRequiresIt() {
        assertThat(environment("ingest-service").get("LAUREL_ADMIN_KEY"))
                .as("LAUREL_ADMIN_KEY of ingest-service comes from the caller's environment and is required")
                .isNotNull()
                .startsWith("${LAUREL_ADMIN_KEY:?");
    }

    @Test
    void laurelServicesListenOn8080AndScale() {
        for (String name : LAUREL_SERVICES) {
            assertThat(environment(name))
                    .as("service '%s' listens on container port 8080", name)
                    .containsEntry("SERVER_PORT", "8080");
            // docker compose up --scale NAME=2 starts a second replica: a fixed host port or container name would
            // stop it; the gateway is the one way in
            assertThat(service(name)).as("service '%s' publishes no host port of its own (it scales)", name)
                    .doesNotContainKey("ports");
            assertThat(service(name)).as("service '%s' has no fixed container name (it scales)", name)
                    .doesNotContainKey("container_name");
            assertThat(environment(name)).as("service '%s' leaves its instance id to its container's host name", name)
                    .doesNotContainKey("LAUREL_INSTANCE_ID");
        }
        assertThat(ports("gateway")).as("the gateway publishes 8080").anyMatch(p -> p[0].equals("8080")
                && p[1].equals("8080"));
    }

    @Test
    void everyReplicaSharesTheSecretsKeyFromTheEnvironment() {
        for (String name : LAUREL_SERVICES) {
            assertThat(environment(name).get("LAUREL_SECRETS_KEY"))
                    .as("LAUREL_SECRETS_KEY of '%s' comes from the caller's environment and is required (every replica"
                            + " must open what another sealed)", name)
                    .isNotNull().startsWith("${LAUREL_SECRETS_KEY:?");
        }
    }

    @Test
    void postgresAcceptsTheConnectionsOfFourReplicasOfEveryService() {
        int pool = Integer.parseInt(environment("ingest-service").getOrDefault("LAUREL_POSTGRES_POOL_SIZE", "20"));
        Object command = service("postgres").get("command");
        Matcher m = Pattern.compile("max_connections=(\\d+)").matcher(String.valueOf(command));
        assertThat(m.find()).as("postgres sets max_connections in its command: %s", command).isTrue();
        assertThat(Integer.parseInt(m.group(1))).as("max_connections against 4 services x 4 replicas x 2 pools")
                .isGreaterThanOrEqualTo(4 * 4 * 2 * pool);
    }

    @Test
    void gatewayRoutesTheOperationsOfEveryProjectionToItsService() throws IOException {
        String config = Files.readString(repositoryRoot.resolve("deploy").resolve("nginx.conf"));
        Map<String, String> serviceOf = Map.of("event_log", "ingest", "scoring", "scoring", "badges", "badge",
                "notifications", "badge", "webhooks", "badge", "leaderboards", "leaderboard");
        Matcher routes = Pattern.compile("location ~ \\^/v1/ops/projections/\\(?([a-z_|]+)\\)?\\(/\\|\\$\\)\\s*"
                + "\\{\\s*proxy_pass http://([a-z]+);").matcher(config);
        Map<String, String> routed = new HashMap<>();
        while (routes.find()) {
            for (String name : routes.group(1).split("\\|")) {
                routed.put(name, routes.group(2));
            }
        }
        assertThat(routed).as("each projection's operations go to the service that runs it").isEqualTo(serviceOf);
        assertThat(config).as("the status of every projection through any instance")
                .containsPattern("location /v1/ops/\\s+\\{ proxy_pass http://[a-z]+; }");
    }

    @Test
    void dockerfileTakesTheServiceAsBuildArgAndCopiesItsExecJar() throws IOException {
        Path dockerfile = repositoryRoot.resolve("Dockerfile");
        assertThat(dockerfile).as("Dockerfile at the repository root").isRegularFile();
        String text = Files.readString(dockerfile);
        assertThat(text).as("Dockerfile declares the build arg SERVICE").contains("ARG SERVICE");
        assertThat(text).as("Dockerfile copies the service's exec jar").contains("-exec.jar");
        assertThat(text).as("Dockerfile starts the service jar").contains("ENTRYPOINT [\"java\",\"-jar\",\"/app/app.jar\"]");
    }

    @Test
    void everyBuiltModuleRepackagesAnExecJar() throws Exception {
        for (String name : services.keySet()) {
            if (service(name).get("build") == null) {
                continue;
            }
            String module = buildArgs(name).get("SERVICE");
            Path pom = repositoryRoot.resolve(module).resolve("pom.xml");
            assertThat(pom).as("pom.xml of module '%s'", module).isRegularFile();
            Document document = parse(pom);
            boolean repackagesExec = false;
            NodeList plugins = document.getElementsByTagName("plugin");
            for (int i = 0; i < plugins.getLength(); i++) {
                Element plugin = (Element) plugins.item(i);
                if (isInPluginManagement(plugin) || !"spring-boot-maven-plugin".equals(childText(plugin, "artifactId"))) {
                    continue;
                }
                NodeList classifiers = plugin.getElementsByTagName("classifier");
                NodeList goals = plugin.getElementsByTagName("goal");
                boolean exec = false;
                for (int c = 0; c < classifiers.getLength(); c++) {
                    exec |= "exec".equals(classifiers.item(c).getTextContent().trim());
                }
                boolean repackage = false;
                for (int g = 0; g < goals.getLength(); g++) {
                    repackage |= "repackage".equals(goals.item(g).getTextContent().trim());
                }
                repackagesExec |= exec && repackage;
            }
            assertThat(repackagesExec)
                    .as("%s runs spring-boot-maven-plugin repackage with classifier 'exec' (the Dockerfile copies"
                            + " target/*-exec.jar)", repositoryRoot.relativize(pom))
                    .isTrue();
        }
    }

    @Test
    void gatewayProxiesOnlyToServicesOfTheFile() throws IOException {
        if (!services.containsKey("gateway")) {
            return;
        }
        Path config = repositoryRoot.resolve("deploy").resolve("nginx.conf");
        assertThat(config).as("the gateway's configuration deploy/nginx.conf").isRegularFile();
        Matcher servers = Pattern.compile("(?m)^\\s*upstream\\s+\\S+\\s*\\{\\s*server\\s+([A-Za-z0-9._-]+):(\\d+)")
                .matcher(Files.readString(config));
        List<String> hosts = new ArrayList<>();
        while (servers.find()) {
            hosts.add(servers.group(1));
            assertThat(servers.group(2))
                    .as("upstream %s of the gateway is reached on container port 8080", servers.group(1))
                    .isEqualTo("8080");
        }
        assertThat(hosts)
                .as("the upstreams of deploy/nginx.conf are the four Laurel services")
                .containsExactlyInAnyOrderElementsOf(LAUREL_SERVICES);
    }

    // ---- reading the compose file ----------------------------------------------------------------------------

    private static Map<String, Object> service(String name) {
        Object service = services.get(name);
        if (service == null) {
            fail("service '%s' is not declared in %s (services: %s)", name, composeFile, services.keySet());
        }
        assertThat(service).as("service '%s' is a mapping", name).isInstanceOf(Map.class);
        return stringKeys(service, "service " + name);
    }

    private static String buildContext(String name) {
        Object build = service(name).get("build");
        if (build instanceof Map<?, ?> map) {
            Object context = map.get("context");
            return context == null ? "." : String.valueOf(context);
        }
        return String.valueOf(build);
    }

    private static String dockerfileOf(String name) {
        Object build = service(name).get("build");
        if (build instanceof Map<?, ?> map && map.get("dockerfile") != null) {
            return String.valueOf(map.get("dockerfile"));
        }
        return "Dockerfile";
    }

    private static Map<String, String> buildArgs(String name) {
        Object build = service(name).get("build");
        if (!(build instanceof Map<?, ?> map)) {
            return Map.of();
        }
        return keyValues(map.get("args"), "build args of service " + name);
    }

    private static Map<String, String> environment(String name) {
        return keyValues(service(name).get("environment"), "environment of service " + name);
    }

    /** depends_on as service name to condition; the short (list) form has no condition, shown as "". */
    private static Map<String, String> dependsOn(String name) {
        Object dependsOn = service(name).get("depends_on");
        Map<String, String> conditions = new LinkedHashMap<>();
        if (dependsOn instanceof List<?> list) {
            list.forEach(dependency -> conditions.put(String.valueOf(dependency), ""));
        } else if (dependsOn instanceof Map<?, ?> map) {
            map.forEach((dependency, settings) -> conditions.put(String.valueOf(dependency),
                    settings instanceof Map<?, ?> s && s.get("condition") != null
                            ? String.valueOf(s.get("condition")) : ""));
        } else if (dependsOn != null) {
            fail("depends_on of service '%s' is neither a list nor a mapping: %s", name, dependsOn);
        }
        return conditions;
    }

    /** Published ports as {host port, container port}, from the short ("8081:8080") or the long syntax. */
    private static List<String[]> ports(String name) {
        Object ports = service(name).get("ports");
        List<String[]> result = new ArrayList<>();
        if (!(ports instanceof List<?> list)) {
            return result;
        }
        for (Object port : list) {
            if (port instanceof Map<?, ?> map) {
                result.add(new String[] {String.valueOf(map.get("published")), String.valueOf(map.get("target"))});
            } else {
                String text = String.valueOf(port);
                int slash = text.indexOf('/');
                String[] parts = (slash < 0 ? text : text.substring(0, slash)).split(":");
                assertThat(parts.length)
                        .as("port '%s' of service '%s' names a host port and a container port", text, name)
                        .isGreaterThanOrEqualTo(2);
                result.add(new String[] {parts[parts.length - 2], parts[parts.length - 1]});
            }
        }
        return result;
    }

    /** A compose key/value section, either a mapping or a list of {@code KEY=value}. */
    private static Map<String, String> keyValues(Object node, String what) {
        Map<String, String> values = new LinkedHashMap<>();
        if (node instanceof Map<?, ?> map) {
            map.forEach((key, value) -> values.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (node instanceof List<?> list) {
            for (Object item : list) {
                String text = String.valueOf(item);
                int equals = text.indexOf('=');
                values.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        } else if (node != null) {
            fail("%s is neither a mapping nor a list: %s", what, node);
        }
        return values;
    }

    private static Map<String, Object> stringKeys(Object node, String what) {
        Map<String, Object> result = new LinkedHashMap<>();
        ((Map<?, ?>) node).forEach((key, value) -> result.put(String.valueOf(key), value));
        assertThat(result).as("%s is not empty", what).isNotEmpty();
        return result;
    }

    // ---- reading poms ----------------------------------------------------------------------------------------

    private static Set<String> rootModules() throws Exception {
        Path rootPom = repositoryRoot.resolve("pom.xml");
        assertThat(rootPom).as("the root pom.xml next to docker-compose.yml").isRegularFile();
        NodeList modules = parse(rootPom).getElementsByTagName("module");
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < modules.getLength(); i++) {
            names.add(modules.item(i).getTextContent().trim());
        }
        assertThat(names).as("<module>s of %s", rootPom).isNotEmpty();
        return names;
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setExpandEntityReferences(false);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    private static boolean isInPluginManagement(Node node) {
        for (Node parent = node.getParentNode(); parent != null; parent = parent.getParentNode()) {
            if ("pluginManagement".equals(parent.getNodeName())) {
                return true;
            }
        }
        return false;
    }

    private static String childText(Element element, String child) {
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && child.equals(e.getTagName())) {
                return e.getTextContent().trim();
            }
        }
        return null;
    }
}
