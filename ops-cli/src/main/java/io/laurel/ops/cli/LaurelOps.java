package io.laurel.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * {@code ./laurel ops}: the operators' command line. It talks to a running Laurel over its HTTP API with the
 * platform key. Exit codes: 0 done, 1 failed (the API's problem in one line), 2 bad usage.
 */
@Command(name = "laurel ops", mixinStandardHelpOptions = true, version = "laurel ops 0.1",
        description = "Operate a running Laurel: projection status, rebuilds and recalculations with progress.",
        subcommands = {StatusCommand.class, RebuildCommand.class, RecalcCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "The key defaults to LAUREL_KEY, else the standalone's <LAUREL_DATA_DIR or ./laurel-data>/admin-key.",
                "Exit codes: 0 done, 1 failed, 2 bad usage."})
public final class LaurelOps implements Runnable {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Laurel's base URL (default: LAUREL_URL, else http://localhost:8080).")
    String url;

    @Option(names = "--key", scope = ScopeType.INHERIT, paramLabel = "KEY",
            description = "The API key: the platform key for status and rebuild, a key with scope ops of the tenant "
                    + "for recalc (default: LAUREL_KEY, else the standalone's admin-key file).")
    String key;

    /** How long operations show their progress. */
    enum Progress { auto, bar, plain }

    @Option(names = "--progress", scope = ScopeType.INHERIT, paramLabel = "auto|bar|plain", defaultValue = "auto",
            description = "How long operations show progress: a live bar on a terminal, a plain line every few "
                    + "seconds otherwise (auto); always the bar (bar); always plain lines (plain).")
    Progress progress;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    final Map<String, String> env;
    final Duration pollEvery;

    LaurelOps(Map<String, String> env, Duration pollEvery) {
        this.env = env;
        this.pollEvery = pollEvery;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Name a command: status, rebuild or recalc.");
    }

    /** The API client for the options given, or a usage error when no key can be found. */
    OpsApi api(CommandLine commandLine) {
        String base = url != null ? url : env.getOrDefault("LAUREL_URL", "http://localhost:8080");
        URI uri;
        try {
            uri = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "--url is not a URL: " + base);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new CommandLine.ParameterException(commandLine, "--url must be an http(s) URL: " + base);
        }
        return new OpsApi(uri, resolveKey(commandLine));
    }

    private String resolveKey(CommandLine commandLine) {
        if (key != null && !key.isBlank()) {
            return key.trim();
        }
        String fromEnv = env.get("LAUREL_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        Path file = Path.of(env.getOrDefault("LAUREL_DATA_DIR", "laurel-data")).resolve("admin-key");
        if (Files.isReadable(file)) {
            try {
                String k = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!k.isEmpty()) {
                    return k;
                }
            } catch (IOException e) {
                // fall through to the usage error, which names the file
            }
        }
        throw new CommandLine.ParameterException(commandLine, "No API key: pass --key, set LAUREL_KEY, or run "
                + "where the standalone keeps " + file + ".");
    }

    boolean liveProgress() {
        return switch (progress) {
            case bar -> true;
            case plain -> false;
            case auto -> Terminal.isInteractive();
        };
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), System.getenv(), Duration.ofMillis(500)));
    }

    /** Runs one command line; returns its exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, Duration pollEvery) {
        CommandLine cli = new CommandLine(new LaurelOps(env, pollEvery));
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CommandLine.ParameterException p) {
                commandLine.getErr().println("laurel ops: " + p.getMessage());
                return USAGE;
            }
            commandLine.getErr().println("laurel ops: " + (e instanceof OpsApi.ApiException ? e.getMessage()
                    : e.getClass().getSimpleName() + ": " + e.getMessage()));
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("laurel ops: " + e.getMessage());
            e.getCommandLine().usage(e.getCommandLine().getErr());
            return USAGE;
        });
        return cli.execute(args);
    }
}
