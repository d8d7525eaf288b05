package dev.warden.incidents;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.TestDatabase;
import dev.warden.WardenClient;
import dev.warden.storage.DataDirectory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warden as a new user starts it, with no secrets configured (so it generates them), and
 * its durable housekeeping job: db-scheduler, driven by Warden's clock, expires alerts
 * Alertmanager stopped mentioning and resolves their incident.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "warden.storage.directory=target/test-data/housekeeping-${random.uuid}",
				"warden.incidents.stale-after=1h", "warden.incidents.housekeeping-interval=1m",
				"db-scheduler.polling-interval=200ms" })
@Import({ TestDatabase.class, IntegrationTest.Time.class })
class HousekeepingIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataDirectory dataDirectory;

	@Test
	void staleAlertsExpireAndResolveTheirIncidentThroughTheDurableJob() throws Exception {
		Path webhookToken = this.dataDirectory.root().resolve("alertmanager-webhook-token");
		Path apiToken = this.dataDirectory.root().resolve("api-token");
		assertThat(webhookToken).exists();
		assertThat(Files.getPosixFilePermissions(webhookToken)).hasToString("[OWNER_READ, OWNER_WRITE]");
		WardenClient warden = new WardenClient(this.port);
		Payloads.Group group = Payloads.group().firing("fp-stale", this.clock.instant());
		var opened = warden.send(HttpRequest.newBuilder(warden.uri(WardenClient.WEBHOOK))
			.header("Authorization", "Bearer " + Files.readString(webhookToken).strip())
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(group.json().toString())));
		assertThat(opened.status()).as(opened.toString()).isEqualTo(200);
		String location = opened.json().get("location").asString();
		assertThat(this.jdbc.sql("select count(*) from scheduled_tasks where task_name = ?")
			.param(StaleAlertSweep.TASK_NAME)
			.query(Long.class)
			.single()).isEqualTo(1);
		// The opening is followed up (routed) before the clock jumps: the timeline below
		// then ends with the expiry, not with routing stamped after the jump.
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !get(warden, location, Files.readString(apiToken).strip()).get("followUp")
				.get("pending")
				.asBoolean());

		Instant later = this.clock.advance(Duration.ofMinutes(61));

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			JsonNode incident = get(warden, location, Files.readString(apiToken).strip());
			assertThat(incident.get("status").asString()).isEqualTo("resolved");
		});
		JsonNode incident = get(warden, location, Files.readString(apiToken).strip());
		assertThat(incident.get("alerts").get(0).get("status").asString()).isEqualTo("expired");
		assertThat(incident.get("milestones").get("resolvedBy").asString()).isEqualTo("warden");
		assertThat(Instant.parse(incident.get("milestones").get("resolvedAt").asString())).isEqualTo(later);
		// The clock jump makes the default policy's next level due: its follower may
		// record that nobody could be told (notification.skipped) after the resolution.
		List<String> types = incident.get("timeline")
			.valueStream()
			.map((e) -> e.get("type").asString())
			.filter((type) -> !type.startsWith("notification."))
			.toList();
		assertThat(types).endsWith("alert.expired", "incident.resolved");
	}

	private static JsonNode get(WardenClient warden, String path, String token) {
		return warden.send(HttpRequest.newBuilder(warden.uri(path)).header("Authorization", "Bearer " + token)).json();
	}

}
