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
import dev.warden.WardenClient;
import dev.warden.WardenProcess;
import dev.warden.cluster.HaproxyAvailable;
import dev.warden.cluster.WardenCluster;
import dev.warden.runbooks.docker.DockerEngineAvailable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fencing with two Warden JVMs on one PostgreSQL: the instance running a restart step is
 * frozen (SIGSTOP) inside the step, before its Docker call, past db-scheduler's
 * dead-execution window; the other instance takes the job over and restarts the
 * container; thawed (SIGCONT), the first instance does not restart it again, and the
 * incident's timeline says that it lost its claim and did not act. The test's own Spring
 * context only provides the database; its scheduler is off.
 */
@IntegrationTest
@ExtendWith({ DockerEngineAvailable.class, HaproxyAvailable.class })
@TestPropertySource(properties = { "db-scheduler.enabled=false", "warden.test.context=fencing-cluster" })
class RunbookFencingClusterIntegrationTests {

	private static final String RUN = DockerFixture.newRun();

	private static final Path RUNBOOKS = writeRunbooks();

	private static DockerFixture docker;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

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
	void instanceFrozenPastTheDeadExecutionWindowDoesNotPerformTheStepAnotherTookOver() {
		String app = docker.start("frozen", DockerFixture.IMAGE_1,
				Map.of("app", "it-frozen", "warden.managed", "true"));
		Instant since = Instant.now();
		// The step waits at the gate on a row lock; Warden's 5 s lock_timeout would end
		// that wait (and fail the step before its claim check) whenever a loaded machine
		// takes longer than that between the waiter showing and the gate opening, as it
		// did once in CI. Only the lock timeout changes; the idle-transaction timeout
		// stays Warden's.
		try (WardenCluster cluster = WardenCluster.start("fencing", this.dataSource, 2,
				Map.of("warden.runbooks.directory", RUNBOOKS.toString(), "warden.docker.host",
						DockerEngineAvailable.host(), "spring.datasource.hikari.connection-init-sql",
						"set lock_timeout = '120s'; set idle_in_transaction_session_timeout = '30s'"))) {
			WardenProcess stale;
			WardenProcess other;
			String staleId;
			String otherId;
			long incident;
			long execution;
			try (StepGate gate = new StepGate(this.dataSource, Map.of("app", "it-frozen", "warden.test-run", RUN),
					DockerFixture.IMAGE_1)) {
				incident = new WardenClient(cluster.haproxy().port).webhook(alert("ItFrozen"))
					.json()
					.get("incident")
					.asLong();
				// Whichever instance picked the job is now inside the restart step, past
				// its start and before its Docker call.
				await().atMost(Duration.ofSeconds(60)).until(() -> StepGate.waiting(this.jdbc) == 1);
				execution = this.jdbc.sql("select id from runbook_execution where incident_id = ?")
					.param(incident)
					.query(Long.class)
					.single();
				String claimedBy = claimedBy(execution);
				assertThat(claimedBy).isIn(cluster.instanceId(1), cluster.instanceId(2));
				int staleNumber = claimedBy.equals(cluster.instanceId(1)) ? 1 : 2;
				stale = cluster.instance(staleNumber);
				staleId = cluster.instanceId(staleNumber);
				other = cluster.instance(3 - staleNumber);
				otherId = cluster.instanceId(3 - staleNumber);
				stale.freeze();
			}

			try {
				// Past the dead-execution window (4 missed heartbeats of 1 s) the other
				// instance revives the job, runs the step (it provably had not acted)
				// and finishes the run.
				await().atMost(Duration.ofSeconds(90))
					.untilAsserted(() -> assertThat(status(execution)).isEqualTo("SUCCEEDED"));
				assertThat(claimedBy(execution)).isEqualTo(otherId);
				assertThat(docker.restarts(app, since)).as("restarted by the instance that took over").isEqualTo(1);
			}
			finally {
				stale.thaw();
			}

			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(timelineTypes(incident)).contains("runbook.claim_lost"));
			String lost = this.jdbc
				.sql("select summary from timeline_event where incident_id = ? and type = 'runbook.claim_lost'")
				.param(incident)
				.query(String.class)
				.single();
			assertThat(lost)
				.contains("instance " + staleId + " lost its claim on step 1 'Restart the app' (docker.restart)")
				.contains("to instance " + otherId + "; it did not act (it was about to restart frozen-" + RUN + ")");
			assertThat(docker.restarts(app, since)).as("the thawed instance did not restart it again").isEqualTo(1);
			assertThat(docker.inspect(app).getState().getRunning()).isTrue();

			// The stale instance changed nothing of the record the other one left.
			assertThat(status(execution)).isEqualTo("SUCCEEDED");
			assertThat(claimedBy(execution)).isEqualTo(otherId);
			Map<String, Object> step = this.jdbc.sql(
					"select status, attempts, acted_by, output::text as output from runbook_step where execution_id = ?")
				.param(execution)
				.query()
				.singleRow();
			assertThat(step).containsEntry("status", "SUCCEEDED").containsEntry("attempts", 2);
			assertThat(step).containsEntry("acted_by", otherId);
			assertThat((String) step.get("output")).containsOnlyOnce("restarted frozen-");
			assertThat(timelineTypes(incident))
				.containsSubsequence("runbook.started", "runbook.step.taken_over", "runbook.step.succeeded",
						"runbook.finished")
				.containsOnlyOnce("runbook.finished");
			assertThat(this.jdbc
				.sql("select count(*) from scheduled_tasks where task_name = 'runbook-execution' and task_instance = ?")
				.param(String.valueOf(execution))
				.query(Long.class)
				.single()).as("the job is done and removed").isZero();
		}
	}

	private String claimedBy(long execution) {
		return this.jdbc.sql("select claimed_by from runbook_execution where id = ?")
			.param(execution)
			.query(String.class)
			.single();
	}

	private String status(long execution) {
		return this.jdbc.sql("select status from runbook_execution where id = ?")
			.param(execution)
			.query(String.class)
			.single();
	}

	private List<String> timelineTypes(long incident) {
		return this.jdbc.sql("select type from timeline_event where incident_id = ? order by occurred_at, id")
			.param(incident)
			.query(String.class)
			.list();
	}

	private static ObjectNode alert(String name) {
		ObjectNode payload = Payloads.group()
			.alert("fp-" + name + "-" + UUID.randomUUID(), "firing", Instant.now().minusSeconds(5), null, "critical")
			.json();
		ObjectNode labels = (ObjectNode) payload.get("alerts").get(0).get("labels");
		labels.put("alertname", name);
		labels.put("run", RUN);
		return payload;
	}

	private static Path writeRunbooks() {
		RunbookDirectory directory = new RunbookDirectory().substituting("RUN_ID", RUN);
		directory.write("it-frozen.yaml", """
				id: it-frozen
				title: Restart the app, on whichever instance holds the job
				match: ['alertname="ItFrozen"']
				mode: auto
				targets: {run: ["RUN_ID"]}
				steps:
				  - name: Restart the app
				    action: docker.restart
				    timeout: 3m
				    with:
				      selector:
				        app: it-frozen
				        warden.test-run: "{{ labels.run }}"
				      stop-timeout: 1s
				""");
		return directory.path();
	}

}
