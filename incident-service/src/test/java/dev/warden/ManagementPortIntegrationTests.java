package dev.warden;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code management.server.port} set, health and metrics are served on that port
 * only (for a network only Prometheus and the orchestrator reach), under the same
 * security rules; the public port no longer answers them.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=management-port", "management.server.port=0" })
class ManagementPortIntegrationTests {

	private final HttpClient http = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Test
	void healthAndMetricsAreServedOnTheManagementPort() throws Exception {
		assertThat(this.managementPort).isNotEqualTo(this.port);

		HttpResponse<String> metrics = get(this.managementPort, "/actuator/prometheus");
		HttpResponse<String> readiness = get(this.managementPort, "/actuator/health/readiness");

		assertThat(metrics.statusCode()).isEqualTo(200);
		assertThat(metrics.body()).contains("warden_incidents_open{", "warden_jobs_backlog{");
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"UP\"");
	}

	@Test
	void otherActuatorEndpointsStayClosedOnTheManagementPort() throws Exception {
		assertThat(get(this.managementPort, "/actuator/env").statusCode()).isEqualTo(403);
		assertThat(get(this.managementPort, "/actuator/beans").statusCode()).isEqualTo(403);
	}

	@Test
	void thePublicPortNoLongerServesHealthOrMetrics() throws Exception {
		HttpResponse<String> metrics = get(this.port, "/actuator/prometheus");
		HttpResponse<String> health = get(this.port, "/actuator/health");

		assertThat(metrics.statusCode()).isEqualTo(404);
		assertThat(metrics.body()).doesNotContain("warden_incidents_open");
		assertThat(health.statusCode()).isEqualTo(404);
	}

	private HttpResponse<String> get(int port, String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.GET()
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
