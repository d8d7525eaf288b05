package dev.warden.runbooks;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.WardenClient;
import dev.warden.WardenProcess;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warden instances as separate JVMs on one PostgreSQL, as in production: two instances
 * run a triggered runbook once, and an instance killed with SIGKILL in the middle of a
 * step leaves a consistent record once another instance takes over. The test's own Spring
 * context only provides the database; its scheduler is off.
 */
@IntegrationTest
@ExtendWith(DockerEngineAvailable.class)
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=crash" })
class RunbookCrashIntegrationTests {

	/**
	 * This class's containers' run label, which its runbooks declare as their only
	 * target.
	 */
	private static final String RUN = DockerFixture.newRun();

	private static final Path RUNBOOKS = writeRunbooks();

	private static DockerFixture docker;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	private final List<WardenProcess> instances = new ArrayList<>();

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

	@AfterEach
	void stopInstances() {
		this.instances.forEach(WardenProcess::close);
	}

	@Test
	void twoInstancesOnOneDatabaseRunEachTriggeredRunbookOnce() {
		WardenProcess first = start("twice-a");
		WardenProcess second = start("twice-b");
		List<String> containers = new ArrayList<>();
		List<Long> incidents = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			containers.add(docker.start("twice" + i, DockerFixture.IMAGE_1,
					Map.of("app", "it-twice", "slot", String.valueOf(i), "warden.managed", "true")));
			WardenProcess via = (i % 2 == 0) ? first : second;
			incidents.add(new WardenClient(via.port).webhook(alert("ItTwice", Map.of("slot", String.valueOf(i))))
				.json()
				.get("incident")
				.asLong());
		}

		for (long incident : incidents) {
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(executionStatuses(incident)).containsExactly("SUCCEEDED"));
			assertThat(this.jdbc.sql("""
					select s.attempts from runbook_step s join runbook_execution e on e.id = s.execution_id
					where e.incident_id = ?""").param(incident).query(Integer.class).list()).containsExactly(1);
			assertThat(this.jdbc.sql("""
					select count(*) from runbook_audit a join runbook_execution e on e.id = a.execution_id
					where e.incident_id = ? and a.action = 'step.succeeded'""")
				.param(incident)
				.query(Long.class)
				.single()).isEqualTo(1);
		}
		awaitJobsRemoved();
	}

	@Test
	void instanceKilledDuringARestartLeavesAnInterruptedRunAfterAnotherTakesOver() {
		// PID 1 of the test image ignores SIGTERM, so the restart takes the whole stop
		// timeout.
		String db = docker.start("crash-db", DockerFixture.IMAGE_1,
				Map.of("app", "it-crash", "warden.managed", "true"));
		WardenProcess doomed = start("crash-a");
		long incident = new WardenClient(doomed.port).webhook(alert("ItCrash", Map.of()))
			.json()
			.get("incident")
			.asLong();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(stepStatuses(incident)).containsExactly("RUNNING", "PENDING"));
		// Killed during the restart itself: past the step's claim check, so it may have
		// acted (a step killed before that check provably did not, and is run again).
		await().atMost(Duration.ofSeconds(30)).until(() -> this.jdbc.sql("""
				select s.acted_at is not null from runbook_step s join runbook_execution e on e.id = s.execution_id
				where e.incident_id = ? and s.position = 0""").param(incident).query(Boolean.class).single());

		doomed.kill();
		WardenProcess survivor = start("crash-b");

		await().atMost(Duration.ofSeconds(60))
			.untilAsserted(() -> assertThat(executionStatuses(incident)).containsExactly("INTERRUPTED"));
		assertThat(stepStatuses(incident)).containsExactly("INTERRUPTED", "SKIPPED");
		assertThat(this.jdbc.sql("select outcome from runbook_execution where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single()).contains("not safe to repeat");
		List<String> timeline = this.jdbc
			.sql("select type from timeline_event where incident_id = ? order by occurred_at, id")
			.param(incident)
			.query(String.class)
			.list();
		assertThat(timeline).containsSubsequence("runbook.started", "runbook.step.failed", "runbook.finished",
				"runbook.failure_policy");
		awaitJobsRemoved();
		assertThat(docker.inspect(db).getState().getRunning()).as("the container was not left stopped").isTrue();
		assertThat(survivor.port).isPositive();
	}

	private WardenProcess start(String name) {
		Map<String, String> properties = new HashMap<>(WardenProcess.database(this.dataSource));
		properties.put("warden.storage.directory", "target/test-data/" + name + "-" + UUID.randomUUID());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("warden.runbooks.directory", RUNBOOKS.toString());
		properties.put("warden.docker.host", DockerEngineAvailable.host());
		properties.put("warden.incidents.stale-after", "0");
		properties.put("db-scheduler.polling-interval", "200ms");
		properties.put("db-scheduler.heartbeat-interval", "1s");
		properties.put("db-scheduler.missed-heartbeats-limit", "4");
		properties.put("spring.main.banner-mode", "off");
		WardenProcess instance = WardenProcess.start(name, properties);
		this.instances.add(instance);
		return instance;
	}

	private List<String> executionStatuses(long incident) {
		return this.jdbc.sql("select status from runbook_execution where incident_id = ?")
			.param(incident)
			.query(String.class)
			.list();
	}

	private List<String> stepStatuses(long incident) {
		return this.jdbc.sql("""
				select s.status from runbook_step s join runbook_execution e on e.id = s.execution_id
				where e.incident_id = ? order by s.position""").param(incident).query(String.class).list();
	}

	private static ObjectNode alert(String name, Map<String, String> extraLabels) {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group
			.alert("fp-" + name + "-" + UUID.randomUUID(), "firing", Instant.now().minusSeconds(5), null, "critical")
			.json();
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", name);
		labels.put("run", docker.run);
		extraLabels.forEach(labels::put);
		return payload;
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		directory.write("it-twice.yaml", """
				id: it-twice
				title: Restart one slot
				match: ['alertname="ItTwice"']
				mode: auto
				targets: {slot: ["0", "1", "2"], run: ["RUN_ID"]}
				steps:
				  - name: Restart the slot's container
				    action: docker.restart
				    with:
				      selector:
				        app: it-twice
				        slot: "{{ labels.slot }}"
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""");
		directory.write("it-crash.yaml", """
				id: it-crash
				title: Restart slowly, to be killed during it
				match: ['alertname="ItCrash"']
				mode: auto
				on-failure: escalate
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart the database container
				    action: docker.restart
				    timeout: 2m
				    with:
				      selector:
				        app: it-crash
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 20s
				  - name: Verify the alert resolved
				    action: verify.resolved
				    with: {within: 5m}
				""");
		return directory.path();
	}

	/**
	 * db-scheduler removes a job's row after its handler returned, which is after the
	 * run's outcome committed: waits for the removal rather than racing it.
	 */
	private void awaitJobsRemoved() {
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(
					this.jdbc.sql("select count(*) from scheduled_tasks where task_name = 'runbook-execution'")
						.query(Long.class)
						.single())
				.as("every run's job done and removed")
				.isZero());
	}

}
