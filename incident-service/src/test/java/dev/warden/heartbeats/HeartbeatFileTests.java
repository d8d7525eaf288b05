package dev.warden.heartbeats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heartbeat file: what it declares, every problem with its line, the shipped default
 * (the alert pipeline's Watchdog), and a broken reload that keeps the heartbeats in use.
 */
class HeartbeatFileTests {

	@Test
	void readsEveryFieldOfAHeartbeat() {
		HeartbeatParser.Result result = HeartbeatParser.parse("hb.yaml", """
				heartbeats:
				  - name: model-retraining
				    description: nightly retraining
				    interval: 24h
				    grace: 2h
				    service: ai-model
				    severity: High
				    labels:
				      team: ml-research
				    summary: "Retraining is late: {name} last ran at {last_seen}"
				  - name: pipeline
				    alert: [alertname="Watchdog"]
				    interval: 90s
				    grace: 0s
				    service: alert-pipeline
				    severity: critical
				""");

		assertThat(result.problems()).isEmpty();
		Heartbeat retraining = result.heartbeats().getFirst();
		assertThat(retraining.name()).isEqualTo("model-retraining");
		assertThat(retraining.line()).isEqualTo(2);
		assertThat(retraining.description()).isEqualTo("nightly retraining");
		assertThat(retraining.interval()).isEqualTo(Duration.ofHours(24));
		assertThat(retraining.grace()).isEqualTo(Duration.ofHours(2));
		assertThat(retraining.service()).isEqualTo("ai-model");
		assertThat(retraining.severity()).isEqualTo("high");
		assertThat(retraining.labels()).isEqualTo(Map.of("team", "ml-research"));
		assertThat(retraining.alert()).isEmpty();
		Instant seen = Instant.parse("2026-11-22T21:00:00Z");
		assertThat(retraining.summary(seen, null))
			.isEqualTo("Retraining is late: model-retraining last ran at 2026-11-22T21:00:00Z");
		assertThat(retraining.summary(null, seen)).as("a lone {last_seen}, never seen")
			.isEqualTo("Retraining is late: model-retraining last ran at never (since 2026-11-22T21:00:00Z)");
		Heartbeat pipeline = result.heartbeats().get(1);
		assertThat(pipeline.interval()).isEqualTo(Duration.ofSeconds(90));
		assertThat(pipeline.grace()).isZero();
		assertThat(pipeline.boundTo(Map.of("alertname", "Watchdog", "severity", "info"))).isTrue();
		assertThat(pipeline.boundTo(Map.of("alertname", "WardenDown"))).isFalse();
		assertThat(retraining.boundTo(Map.of("alertname", "Watchdog"))).as("API-only heartbeats bind no alert")
			.isFalse();
		assertThat(pipeline.summary(seen, null))
			.isEqualTo("Heartbeat pipeline is silent: last seen at 2026-11-22T21:00:00Z");
		assertThat(pipeline.summary(null, seen))
			.isEqualTo("Heartbeat pipeline is silent: never seen since 2026-11-22T21:00:00Z");
	}

	@Test
	void stateFollowsIntervalAndGrace() {
		Heartbeat heartbeat = HeartbeatParser.parse("hb.yaml", """
				heartbeats:
				  - {name: job, interval: 10m, grace: 5m, service: s, severity: info}
				""").heartbeats().getFirst();
		Instant seen = Instant.parse("2026-11-22T21:00:00Z");

		assertThat(heartbeat.stateAt(null, seen)).isEqualTo(HeartbeatState.NEVER_SEEN);
		assertThat(heartbeat.stateAt(seen, seen.plus(Duration.ofMinutes(10)))).isEqualTo(HeartbeatState.UP);
		assertThat(heartbeat.stateAt(seen, seen.plus(Duration.ofMinutes(10)).plusNanos(1000)))
			.isEqualTo(HeartbeatState.LATE);
		assertThat(heartbeat.stateAt(seen, seen.plus(Duration.ofMinutes(15)))).isEqualTo(HeartbeatState.LATE);
		assertThat(heartbeat.stateAt(seen, seen.plus(Duration.ofMinutes(15)).plusNanos(1000)))
			.isEqualTo(HeartbeatState.SILENT);
		assertThat(heartbeat.silentAfter(seen)).isEqualTo(seen.plus(Duration.ofMinutes(15)));
	}

	@Test
	void reportsEveryProblemWithItsLine() {
		HeartbeatParser.Result result = HeartbeatParser.parse("hb.yaml", """
				heartbeats:
				  - name: Bad Name
				    interval: 10m
				    grace: 1m
				    service: s
				    severity: info
				  - name: reload
				    interval: 10m
				    grace: 1m
				    service: s
				    severity: info
				  - name: job
				    interval: ten minutes
				    grace: -1m
				    service: s
				    severity: urgent
				    labels:
				      alertname: x
				      bad-label: y
				    alert: [alertname=~".*"]
				    summary: "{job} is late"
				    intervall: 5m
				  - name: job
				    interval: 0s
				    grace: 100d
				    severity: info
				  - name: ok
				    interval: 1m
				    grace: 1m
				    service: s
				    severity: info
				  - name: ok
				    interval: 1m
				    grace: 1m
				    service: s
				    severity: info
				""");

		assertThat(result.problems()).extracting(HeartbeatProblem::toString)
			.containsExactly(
					"hb.yaml:2: heartbeat 1: name 'Bad Name' must be lower-case letters, digits, dots, dashes and "
							+ "underscores, at most 64 characters",
					"hb.yaml:7: heartbeat 2: the name 'reload' is taken by the API (POST /api/v1/heartbeats/reload); "
							+ "choose another",
					"hb.yaml:22: heartbeat 3: unknown key 'intervall' in heartbeat 3 (did you mean 'interval'?); "
							+ "expected name, description, interval, grace, service, severity, labels, alert, summary",
					"hb.yaml:13: heartbeat job: interval 'ten minutes' is not a duration; write a whole number and a "
							+ "unit, like 30s, 15m, 24h or 7d",
					"hb.yaml:14: heartbeat job: grace '-1m' is not a duration; write a whole number and a unit, like "
							+ "30s, 15m, 24h or 7d",
					"hb.yaml:16: heartbeat job: severity 'urgent' must be one of critical, high, warning, info",
					"hb.yaml:21: heartbeat job: summary names {job}; it may use {name} and {last_seen}",
					"hb.yaml:18: heartbeat job: labels may not set alertname; Warden sets alertname, heartbeat, "
							+ "service and severity itself (use service: and severity:)",
					"hb.yaml:19: heartbeat job: label name 'bad-label' must be a Prometheus label name, like team",
					"hb.yaml:20: heartbeat job: alert must name the alert, like - alertname=\"Watchdog\"; these "
							+ "matchers would take every alert",
					"hb.yaml:24: heartbeat job: interval must be longer than 0",
					"hb.yaml:25: heartbeat job: grace '100d' is longer than the longest allowed, 45d",
					"hb.yaml:23: heartbeat job: service is missing",
					"hb.yaml:32: heartbeat 'ok' is already declared on line 27; heartbeat names must be unique");
	}

	@Test
	void emptyAndMalformedFilesAreProblems() {
		assertThat(HeartbeatParser.parse("hb.yaml", "").problems()).extracting(HeartbeatProblem::reason)
			.containsExactly("the file is empty; it needs a list under 'heartbeats:'");
		assertThat(HeartbeatParser.parse("hb.yaml", "heartbeats: [").problems()).singleElement()
			.satisfies((problem) -> assertThat(problem.reason()).startsWith("not valid YAML"));
		assertThat(HeartbeatParser.parse("hb.yaml", "heartbeats: {}").problems()).extracting(HeartbeatProblem::reason)
			.containsExactly("heartbeats must be a list of heartbeats, each with a name");
		assertThat(HeartbeatParser.parse("hb.yaml", "heartbeats: []").problems()).isEmpty();
		assertThat(HeartbeatParser.parse("hb.yaml", "beats: []").problems()).extracting(HeartbeatProblem::reason)
			.containsExactly("unknown key 'beats' in the heartbeat file; expected heartbeats",
					"heartbeats is missing; the file needs a list under 'heartbeats:' (it may be [])");
	}

	@Test
	void shippedDefaultWatchesTheAlertPipelineThroughWatchdog() {
		HeartbeatCatalog catalog = new HeartbeatCatalog(new HeartbeatSettings(null, Duration.ofSeconds(10)));

		assertThat(catalog.problems()).isEmpty();
		assertThat(catalog.all()).singleElement().satisfies((heartbeat) -> {
			assertThat(heartbeat.name()).isEqualTo("alert-pipeline");
			assertThat(heartbeat.boundTo(Map.of("alertname", "Watchdog"))).isTrue();
			assertThat(heartbeat.severity()).isEqualTo("critical");
			assertThat(heartbeat.interval().plus(heartbeat.grace())).isEqualTo(Duration.ofMinutes(3));
			assertThat(heartbeat.summary(Instant.parse("2026-11-22T21:00:00Z"), null))
				.isEqualTo("The alert pipeline is silent: Watchdog last seen at 2026-11-22T21:00:00Z");
			assertThat(heartbeat.summary(null, Instant.parse("2026-11-22T21:00:00Z")))
				.isEqualTo("The alert pipeline is silent: Watchdog never seen since 2026-11-22T21:00:00Z");
		});
	}

	@Test
	void brokenReloadKeepsTheHeartbeatsInUse(@TempDir Path directory) throws IOException {
		Path file = Files.writeString(directory.resolve("heartbeats.yaml"), """
				heartbeats:
				  - {name: job, interval: 10m, grace: 5m, service: s, severity: info}
				""");
		HeartbeatCatalog catalog = new HeartbeatCatalog(new HeartbeatSettings(file, Duration.ofSeconds(10)));
		Files.writeString(file, """
				heartbeats:
				  - {name: job, interval: 10m, grace: 5m, service: s, severity: info}
				  - {name: other, interval: 10m, service: s, severity: info}
				""");

		HeartbeatCatalog.LoadReport report = catalog.reload();

		assertThat(report.applied()).isFalse();
		assertThat(report.problems()).extracting(HeartbeatProblem::line, HeartbeatProblem::reason)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(3, "heartbeat other: grace is missing"));
		assertThat(catalog.all()).extracting(Heartbeat::name).containsExactly("job");
		assertThat(catalog.problems()).hasSize(1);
		Files.delete(file);
		assertThat(catalog.reload().problems()).extracting(HeartbeatProblem::reason)
			.singleElement()
			.asString()
			.contains("does not exist");
		assertThat(catalog.find("job")).isPresent();
		assertThat(List.of(catalog.source())).containsExactly(file.toString());
	}

}
