package dev.warden;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.WardenClient.Response;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What operators and tooling see: probes, metrics, the API document. */
@IntegrationTest
class OperationsIntegrationTests {

	@LocalServerPort
	int port;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void livenessAndReadinessIncludeTheDatabase() {
		Response readiness = this.warden.getAnonymously("/actuator/health/readiness");
		Response liveness = this.warden.getAnonymously("/actuator/health/liveness");

		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json().get("status").asString()).isEqualTo("UP");
		assertThat(liveness.json().get("status").asString()).isEqualTo("UP");
		assertThat(this.warden.getAnonymously("/actuator/health").json().get("status").asString()).isEqualTo("UP");
	}

	@Test
	void prometheusEndpointExposesWardensOwnMetrics() {
		this.warden.webhook(Payloads.group().firing("fp-metrics", Instant.now()).json());
		this.warden.webhook("{not json");
		this.warden.webhook(HttpRequest.newBuilder()
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}")));

		// The open-incidents gauge is read from the database on a schedule (every 15 s),
		// not at the scrape.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> metricValue(this.warden.getAnonymously("/actuator/prometheus").body(),
					"warden_incidents_open{application=\"warden\"}") >= 1);
		String metrics = this.warden.getAnonymously("/actuator/prometheus").body();

		assertThat(metrics).contains("warden_alerts_received_total{application=\"warden\",status=\"firing\"}")
			.contains("warden_alerts_rejected_total{application=\"warden\",reason=\"invalid\"}")
			.contains("warden_alerts_rejected_total{application=\"warden\",reason=\"unauthorized\"}")
			.contains("warden_incidents_opened_total")
			.contains("warden_incidents_resolved_total")
			.contains("warden_incidents_open{")
			.contains("warden_webhook_latency_seconds_bucket")
			.contains("warden_jobs_backlog");
		assertThat(metricValue(metrics, "warden_incidents_open{application=\"warden\"}")).isGreaterThanOrEqualTo(1);
	}

	@Test
	void openApiDocumentDescribesTheApi() {
		Response document = this.warden.getAnonymously("/v3/api-docs");

		assertThat(document.status()).isEqualTo(200);
		assertThat(document.json().get("paths").propertyNames()).contains("/api/v1/alerts/alertmanager",
				"/api/v1/incidents", "/api/v1/incidents/{id}", "/api/v1/incidents/{id}/acknowledge");
		assertThat(this.warden.getAnonymously("/swagger-ui/index.html").status()).isEqualTo(200);
	}

	@Test
	void everythingElseIsClosed() {
		assertThat(this.warden.getAnonymously("/actuator/env").status()).isIn(401, 403);
		// Everything outside the API and the operational endpoints is the console's: sign
		// in first.
		Response console = this.warden.getAnonymously("/anything");
		assertThat(console.status()).isEqualTo(302);
		assertThat(console.header("Location")).endsWith("/login");
	}

	private static double metricValue(String metrics, String series) {
		return metrics.lines()
			.filter((line) -> line.startsWith(series + " "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(series.length() + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no series " + series));
	}

}
