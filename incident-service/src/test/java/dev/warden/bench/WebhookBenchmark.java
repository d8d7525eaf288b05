package dev.warden.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.SharedPostgres;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast the Alertmanager webhook answers when every post opens an incident whose
 * alerts choose a shipped runbook, with 20 active silences (half of them regular
 * expressions) to check every alert against. A benchmark to rerun, not a test: it asserts
 * only that every webhook is stored, and writes the timings to
 * {@code target/benchmark/webhook.txt}. Run it with
 * {@code ./mvnw -pl incident-service test -Dtest=WebhookBenchmark -Dwarden.test.excluded-groups= -Dwarden.test.jvm-options=}.
 * The durable jobs the webhook enqueues are written but not run during the measurement
 * (the scheduler polls once an hour): this measures the request path only. Times are
 * measured by the client on loopback.
 */
@Tag("benchmark")
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=webhook-benchmark", SharedPostgres.OWN + "=true",
		"db-scheduler.polling-interval=1h" })
class WebhookBenchmark {

	private static final int WARM_UP = 50;

	private static final int RUNS = 300;

	@LocalServerPort
	int port;

	/** The shipped runbooks, so that the alerts choose restart-database. */
	@DynamicPropertySource
	static void shippedRunbooks(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory",
				() -> Path.of("..", "runbooks").toAbsolutePath().normalize().toString());
	}

	@Test
	void webhookOpeningIncidentsThatChooseARunbookUnderTwentySilences() throws Exception {
		WardenClient warden = new WardenClient(this.port);
		for (int i = 0; i < 20; i++) {
			String matcher = (i % 2 == 0) ? "job=~\"batch-" + i + "-.*\"" : "alertname=\"Quiet" + i + "\"";
			Response silence = warden.post("/api/v1/silences", Map.of("matchers", List.of(matcher), "endsAt",
					Instant.now().plusSeconds(86_400).toString(), "comment", "benchmark " + i));
			assertThat(silence.status()).as(silence.toString()).isEqualTo(201);
		}
		for (int i = 0; i < WARM_UP; i++) {
			post(warden);
		}
		double[] millis = new double[RUNS];
		for (int i = 0; i < RUNS; i++) {
			long started = System.nanoTime();
			post(warden);
			millis[i] = (System.nanoTime() - started) / 1e6;
		}
		Arrays.sort(millis);
		String report = "Webhook opening an incident of 2 alerts that choose a runbook, 20 active silences%n%-28s %8s %8s %8s %8s%n%-28s %8.1f %8.1f %8.1f %8d%n"
			.formatted("request", "p50 ms", "p95 ms", "max ms", "runs", "webhook, new incident", millis[RUNS / 2],
					millis[(int) Math.ceil(RUNS * 0.95) - 1], millis[RUNS - 1], RUNS);
		Path out = Path.of("target", "benchmark", "webhook.txt");
		Files.createDirectories(out.getParent());
		Files.writeString(out, report);
		System.out.println(report);
	}

	private static void post(WardenClient warden) {
		ObjectNode payload = Payloads.sampleInOwnGroup("grouped-2-alerts.json", UUID.randomUUID().toString());
		Response response = warden.webhook(payload);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("outcome").asString()).isEqualTo("opened");
	}

}
