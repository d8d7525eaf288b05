package dev.warden.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code prometheus} and {@code prometheus-alertmanager}, started on free
 * loopback ports with the repository's own alert rules ({@code alert-rules/}, with their
 * {@code for} and evaluation intervals shortened) and the stack's Alertmanager
 * configuration ({@code monitoring-stack/alertmanager/alertmanager.yml}, with Warden's
 * address, the token file and shorter group timings put in). Prometheus scrapes the given
 * metrics targets as the AI app's job every second.
 */
final class LocalMonitoring implements AutoCloseable {

	static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern FOR = Pattern.compile("(?m)^(\\s*)for:\\s*\\S+\\s*$");

	private static final Pattern INTERVAL = Pattern.compile("(?m)^(\\s*)interval:\\s*\\S+\\s*$");

	private static final Pattern WEBHOOK = Pattern
		.compile("(?m)^(\\s*(?:- )?)url:\\s*http://haproxy:8080/api/v1/alerts/alertmanager\\s*$");

	private static final Pattern CREDENTIALS = Pattern.compile("(?m)^(\\s*(?:- )?)credentials_file:\\s*\\S+\\s*$");

	/** The Watchdog route's repeat_interval in the stack's alertmanager.yml. */
	private static final Pattern WATCHDOG_REPEAT = Pattern
		.compile("(?s)(matchers: \\[alertname=\"Watchdog\"].*?repeat_interval:)[ \\t]*\\S+");

	volatile LocalProcess prometheus;

	final LocalProcess alertmanager;

	private final List<String> prometheusCommand;

	private LocalMonitoring(LocalProcess prometheus, List<String> prometheusCommand, LocalProcess alertmanager) {
		this.prometheus = prometheus;
		this.prometheusCommand = prometheusCommand;
		this.alertmanager = alertmanager;
	}

	/**
	 * The binaries, or a skipped test with a message saying what is missing; with
	 * {@code WARDEN_REQUIRE_E2E=true} (as in {@code .ci/run}) a failure instead.
	 */
	static void assumeBinaries() {
		for (String binary : List.of("prometheus", "prometheus-alertmanager")) {
			if (find(binary) == null) {
				String message = "No " + binary + " on PATH (Debian's prometheus and prometheus-alertmanager packages):"
						+ " the end-to-end test cannot run";
				if ("true".equalsIgnoreCase(System.getenv("WARDEN_REQUIRE_E2E"))) {
					throw new IllegalStateException(message + ", and WARDEN_REQUIRE_E2E=true");
				}
				System.err.println("SKIPPED: " + message);
				Assumptions.abort(message);
			}
		}
	}

	private static Path find(String binary) {
		for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
			Path candidate = Path.of(directory, binary);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		Path usual = Path.of("/usr/bin", binary);
		return Files.isExecutable(usual) ? usual : null;
	}

	/**
	 * Starts Alertmanager (posting to Warden on {@code wardenPort} with this bearer
	 * token) and Prometheus (scraping these targets as job {@code ai-inference-api}).
	 */
	static LocalMonitoring start(int wardenPort, String webhookToken, List<String> targets) {
		return start(wardenPort, webhookToken, targets, null, null);
	}

	/**
	 * As {@link #start(int, String, List)}, with the pipeline heartbeat's timings
	 * shortened: the Watchdog route's {@code repeat_interval} and Prometheus's
	 * {@code --rules.alert.resend-delay} (an alert stays active in Alertmanager for four
	 * resend delays after Prometheus last sent it). Null keeps the stack's (and
	 * Prometheus's) own.
	 */
	static LocalMonitoring start(int wardenPort, String webhookToken, List<String> targets,
			String watchdogRepeatInterval, String alertResendDelay) {
		try {
			Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "e2e")), "monitoring-")
				.toAbsolutePath();
			Path token = Files.writeString(work.resolve("warden-token"), webhookToken);
			String alertmanagerConfig = Files
				.readString(REPOSITORY.resolve("monitoring-stack/alertmanager/alertmanager.yml"));
			alertmanagerConfig = replaceAll(WEBHOOK, alertmanagerConfig,
					"$1url: http://127.0.0.1:" + wardenPort + "/api/v1/alerts/alertmanager");
			alertmanagerConfig = replaceAll(CREDENTIALS, alertmanagerConfig, "$1credentials_file: " + token);
			alertmanagerConfig = alertmanagerConfig.replaceAll("(?m)^(\\s*)group_wait:\\s*\\S+", "$1group_wait: 1s")
				.replaceAll("(?m)^(\\s*)group_interval:\\s*\\S+", "$1group_interval: 2s");
			if (watchdogRepeatInterval != null) {
				alertmanagerConfig = replaceAll(WATCHDOG_REPEAT, alertmanagerConfig, "$1 " + watchdogRepeatInterval);
			}
			Path alertmanagerFile = Files.writeString(work.resolve("alertmanager.yml"), alertmanagerConfig);

			int alertmanagerPort = LocalProcess.freePort();
			LocalProcess alertmanager = LocalProcess.start("alertmanager",
					List.of(find("prometheus-alertmanager").toString(), "--config.file=" + alertmanagerFile,
							"--storage.path=" + Files.createDirectories(work.resolve("alertmanager-data")),
							"--web.listen-address=127.0.0.1:" + alertmanagerPort, "--cluster.listen-address=",
							"--log.level=debug"),
					alertmanagerPort, "/-/ready");

			Path rules = Files.createDirectories(work.resolve("rules"));
			try (var files = Files.list(REPOSITORY.resolve("alert-rules"))) {
				for (Path file : files.filter((each) -> each.toString().endsWith(".rules.yml")).toList()) {
					String text = Files.readString(file);
					text = FOR.matcher(text).replaceAll("$1for: 2s");
					text = INTERVAL.matcher(text).replaceAll("$1interval: 1s");
					Files.writeString(rules.resolve(file.getFileName()), text);
				}
			}
			List<String> quoted = new ArrayList<>();
			targets.forEach((target) -> quoted.add("'" + target + "'"));
			Path prometheusFile = Files.writeString(work.resolve("prometheus.yml"), """
					global:
					  scrape_interval: 1s
					  evaluation_interval: 1s
					rule_files:
					  - %s/*.rules.yml
					alerting:
					  alertmanagers:
					    - static_configs:
					        - targets: ['127.0.0.1:%d']
					scrape_configs:
					  - job_name: ai-inference-api
					    static_configs:
					      - targets: [%s]
					""".formatted(rules, alertmanagerPort, String.join(", ", quoted)));
			int prometheusPort = LocalProcess.freePort();
			List<String> command = new ArrayList<>(
					List.of(find("prometheus").toString(), "--config.file=" + prometheusFile,
							"--storage.tsdb.path=" + Files.createDirectories(work.resolve("prometheus-data")),
							"--web.listen-address=127.0.0.1:" + prometheusPort));
			if (alertResendDelay != null) {
				command.add("--rules.alert.resend-delay=" + alertResendDelay);
			}
			LocalProcess prometheus = LocalProcess.start("prometheus", command, prometheusPort, "/-/ready");
			return new LocalMonitoring(prometheus, List.copyOf(command), alertmanager);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String replaceAll(Pattern pattern, String text, String replacement) {
		Matcher matcher = pattern.matcher(text);
		if (!matcher.find()) {
			throw new IllegalStateException("The stack's alertmanager.yml has no line matching " + pattern);
		}
		return matcher.replaceAll(replacement.replace("\\", "\\\\"));
	}

	/** Stops Prometheus (SIGTERM, as a container stop does). */
	void stopPrometheus() {
		this.prometheus.close();
	}

	/** Starts Prometheus again, with the same configuration, port and data. */
	void startPrometheus() {
		this.prometheus = LocalProcess.start("prometheus", this.prometheusCommand, this.prometheus.port, "/-/ready");
	}

	/** A counter or gauge from Alertmanager's own metrics, summed over its series. */
	double alertmanagerMetric(String name, String labelFilter) {
		double sum = 0;
		for (String line : this.alertmanager.read("/metrics").split("\n")) {
			if (line.startsWith(name + "{") && line.contains(labelFilter)) {
				sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
			}
		}
		return sum;
	}

	@Override
	public void close() {
		this.prometheus.close();
		this.alertmanager.close();
	}

}
