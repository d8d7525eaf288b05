package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing of runbook side effects in one Warden: a step whose job changed hands while it
 * was on its way to a Docker call (here the test does to the job's row what db-scheduler
 * does when another instance finds the job dead) does not act, says so on the timeline,
 * and does not overwrite what the new claim records; the new claim performs the step
 * once.
 */
@IntegrationTest
@ExtendWith(DockerEngineAvailable.class)
@TestPropertySource(properties = { "db-scheduler.polling-interval=200ms", "warden.test.context=fencing" })
class RunbookFencingIntegrationTests {

	private static final String RUN = DockerFixture.newRun();

	private static final Path RUNBOOKS = writeRunbooks();

	private static DockerFixture docker;

	@LocalServerPort
	int port;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
		registry.add("warden.docker.host", DockerEngineAvailable::host);
	}

	@BeforeAll
	static void engine() {
		docker = new DockerFixture(RUN);
	}

	@AfterAll
	static void cleanUp() {
		if (docker != null) {
			docker.close();
		}
	}

	@Test
	void stepWhoseJobChangedHandsBeforeItActedDoesNotActAndTheNewClaimActsOnce() {
		Map<String, String> group = Map.of("app", "it-fence", "warden.test-run", RUN);
		String app = docker.start("fenced", DockerFixture.IMAGE_1, Map.of("app", "it-fence", "warden.managed", "true"));
		Instant since = Instant.now();
		long incident;
		long execution;
		try (StepGate gate = new StepGate(this.dataSource, group, DockerFixture.IMAGE_1)) {
			incident = new WardenClient(this.port).webhook(alert("ItFence", this.clock.instant()))
				.json()
				.get("incident")
				.asLong();
			await().atMost(Duration.ofSeconds(30)).until(() -> StepGate.waiting(this.jdbc) == 1);
			execution = this.jdbc.sql("select id from runbook_execution where incident_id = ?")
				.param(incident)
				.query(Long.class)
				.single();
			// What db-scheduler does to a job it finds dead: another claim, which this
			// Warden's poller picks up as another instance would.
			assertThat(this.jdbc.sql("""
					update scheduled_tasks set picked = false, picked_by = null, last_heartbeat = null,
					execution_time = timestamptz '2000-01-01 00:00:00+00', version = version + 1
					where task_name = 'runbook-execution' and task_instance = ? and picked""")
				.param(String.valueOf(execution))
				.update()).isEqualTo(1);
		}

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(
					() -> assertThat(timelineTypes(incident)).contains("runbook.claim_lost", "runbook.finished"));
		assertThat(this.jdbc.sql("select status from runbook_execution where id = ?")
			.param(execution)
			.query(String.class)
			.single()).isEqualTo("SUCCEEDED");
		assertThat(docker.restarts(app, since)).as("restarted once, by the new claim only").isEqualTo(1);
		String lost = this.jdbc
			.sql("select summary from timeline_event where incident_id = ? and type = 'runbook.claim_lost'")
			.param(incident)
			.query(String.class)
			.single();
		assertThat(lost).contains("lost its claim on step 1 'Restart the app' (docker.restart)")
			.contains("it did not act (it was about to restart fenced-" + RUN + ")");
		Map<String, Object> step = this.jdbc
			.sql("select status, attempts, acted_by, output::text as output from runbook_step where execution_id = ?")
			.param(execution)
			.query()
			.singleRow();
		assertThat(step).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 2);
		assertThat((String) step.get("acted_by")).isNotBlank();
		assertThat((String) step.get("output")).containsOnlyOnce("restarted fenced-");
		assertThat(timelineTypes(incident)).containsSubsequence("runbook.started", "runbook.step.taken_over",
				"runbook.step.succeeded", "runbook.finished");
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.jdbc
				.sql("select count(*) from scheduled_tasks where task_name = 'runbook-execution' and task_instance = ?")
				.param(String.valueOf(execution))
				.query(Long.class)
				.single()).as("the new claim removed the finished job").isZero());
		String metrics = new WardenClient(this.port).getAnonymously("/actuator/prometheus").body();
		assertThat(metrics)
			.contains("warden_runbook_claims_lost_total{application=\"warden\",phase=\"before_acting\"} 1.0");
	}

	private List<String> timelineTypes(long incident) {
		return this.jdbc.sql("select type from timeline_event where incident_id = ? order by occurred_at, id")
			.param(incident)
			.query(String.class)
			.list();
	}

	private static ObjectNode alert(String name, Instant now) {
		ObjectNode payload = Payloads.group()
			.alert("fp-" + name + "-" + UUID.randomUUID(), "firing", now.minusSeconds(5), null, "critical")
			.json();
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", name);
		labels.put("run", RUN);
		return payload;
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		directory.write("it-fence.yaml", """
				id: it-fence
				title: Restart the app, fenced
				match: ['alertname="ItFence"']
				mode: auto
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart the app
				    action: docker.restart
				    timeout: 2m
				    with:
				      selector:
				        app: it-fence
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""");
		return directory.path();
	}

}
