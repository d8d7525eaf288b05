package dev.warden.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

import dev.warden.IntegrationTest;
import dev.warden.RunsAlone;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The multi-instance tests' setup itself: two Warden JVMs on one PostgreSQL behind a real
 * HAProxy that sends every request to the other instance than the one before
 * (round-robin, no stickiness), and keeps answering while one instance restarts.
 */
@RunsAlone
@ResourceLock(RunsAlone.CORES)
@IntegrationTest
@ExtendWith(HaproxyAvailable.class)
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=cluster" })
class HaproxyRoundRobinIntegrationTests {

	@Autowired
	DataSource dataSource;

	@Test
	void requestsAlternateBetweenInstancesAndSurviveARestart() throws Exception {
		try (WardenCluster cluster = WardenCluster.start("round-robin", this.dataSource, 2, Map.of())) {
			HttpClient http = HttpClient.newHttpClient();
			for (int i = 0; i < 6; i++) {
				HttpResponse<String> response = http
					.send(HttpRequest.newBuilder(URI.create(cluster.haproxy().url() + "/actuator/health/liveness"))
						.build(), HttpResponse.BodyHandlers.ofString());
				assertThat(response.statusCode()).isEqualTo(200);
			}
			// HAProxy logs a request when it ends, which can be just after the client
			// read the answer: the last line may come a moment later.
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(cluster.haproxy().requests()).extracting(Haproxy.Request::server)
					.containsExactly("w1", "w2", "w1", "w2", "w1", "w2"));

			cluster.restart(1);
			HttpResponse<String> after = http.send(
					HttpRequest.newBuilder(URI.create(cluster.haproxy().url() + "/actuator/health/liveness")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(after.statusCode()).isEqualTo(200);
		}
	}

}
