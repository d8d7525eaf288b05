package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Docker step when the engine cannot be reached: the run fails promptly with the
 * reason, and the incident's timeline says so. Needs no Docker engine.
 */
@IntegrationTest
@TestPropertySource(properties = { "db-scheduler.polling-interval=200ms", "warden.test.context=unreachable-docker",
		"warden.docker.host=unix:///tmp/warden-no-such-dir/docker.sock" })
class UnreachableDockerIntegrationTests {

	/** The alerts' run label, which the runbook declares as its only target. */
	private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

	private static final Path RUNBOOKS = writeRunbooks();

	private final String run = RUN;

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void restartFailsWithTheReasonWhenTheEngineIsUnreachable() {
		long incident = openIncident();

		Response accepted = this.warden.post("/api/v1/runbooks/unreachable-restart/run", Map.of("incident", incident));

		assertThat(accepted.status()).as(accepted.toString()).isEqualTo(202);
		long execution = accepted.json().get("id").asLong();
		JsonNode[] failed = new JsonNode[1];
		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			JsonNode current = this.warden.get("/api/v1/runbook-executions/" + execution).json();
			assertThat(current.get("status").asString()).as(current.toString()).isEqualTo("failed");
			failed[0] = current;
		});
		JsonNode step = failed[0].get("steps").get(0);
		assertThat(step.get("status").asString()).isEqualTo("failed");
		assertThat(step.get("error").asString()).contains("unreachable")
			.contains("/tmp/warden-no-such-dir/docker.sock");
		assertThat(failed[0].get("outcome").asString()).contains("unreachable");
		assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").valueStream())
			.anySatisfy((event) -> {
				assertThat(event.get("type").asString()).isEqualTo("runbook.step.failed");
				assertThat(event.get("summary").asString()).contains("unreachable");
			});
	}

	private long openIncident() {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group.alert("fp-unreachable-" + this.run, "firing", this.clock.instant(), null, "critical")
			.json();
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", "UnreachableDocker");
		labels.put("run", this.run);
		Response response = this.warden.webhook(payload);
		assertThat(response.status()).as(response.toString()).isIn(200, 201, 202);
		return this.warden.get(response.json().get("location").asString()).json().get("id").asLong();
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		directory.write("unreachable-restart.yaml", """
				id: unreachable-restart
				title: Restart a container on an engine that is not there
				mode: manual
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart
				    action: docker.restart
				    with:
				      selector:
				        app: unreachable
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""");
		return directory.path();
	}

}
