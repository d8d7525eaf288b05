package dev.warden.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Escalation policies against the whole service with a clock the test moves: levels fire
 * at their configured times and the policy repeats; an acknowledgement stops it and wins
 * a race with an escalation; a resolution is never undone by a late acknowledgement.
 * Slack and email are not configured here: the timeline tells what escalated.
 */
@IntegrationTest
@TestPropertySource(properties = "warden.test.context=escalation")
class EscalationIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	IncidentService incidents;

	@Autowired
	SchedulerClient scheduler;

	WardenClient warden;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.routing.file", () -> NotificationFiles.routing().toString());
		registry.add("warden.oncall.file", () -> NotificationFiles.onCall().toString());
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void unacknowledgedIncidentEscalatesThroughItsLevelsAtTheConfiguredTimesAndRepeats() {
		Instant opened = this.clock.instant();
		long incident = open();

		awaitEscalations(incident, 1);
		this.clock.advance(Duration.ofMinutes(9));
		pollOnce();
		assertThat(escalations(incident)).as("level 2 waits its 10 minutes").hasSize(1);
		this.clock.advance(Duration.ofMinutes(1));
		awaitEscalations(incident, 2);
		this.clock.advance(Duration.ofMinutes(10));
		awaitEscalations(incident, 3);
		this.clock.advance(Duration.ofMinutes(10));
		awaitEscalations(incident, 4);
		this.clock.advance(Duration.ofMinutes(30));
		awaitTimerGone(incident);

		List<JsonNode> escalations = escalations(incident);
		assertThat(escalations).hasSize(4);
		assertThat(escalations).extracting((event) -> event.get("details").get("level").asInt())
			.containsExactly(1, 2, 1, 2);
		assertThat(escalations).extracting((event) -> event.get("details").get("cycle").asInt())
			.containsExactly(1, 1, 2, 2);
		assertThat(escalations).extracting((event) -> Instant.parse(event.get("at").asString()))
			.containsExactly(opened, opened.plus(Duration.ofMinutes(10)), opened.plus(Duration.ofMinutes(20)),
					opened.plus(Duration.ofMinutes(30)));
		assertThat(escalations.get(0).get("details").get("users").valueStream().map(JsonNode::asString))
			.containsExactly("alice");
		// 2026-11-22 is in bob's week of the it-primary rotation.
		assertThat(escalations.get(1).get("details").get("users").valueStream().map(JsonNode::asString))
			.containsExactly("bob");
		assertThat(escalations.get(1).get("summary").asString()).contains("level 2 of policy it-policy")
			.contains("bob")
			.contains("#it-leads");
		assertThat(stoppedReason(incident)).isEqualTo("every level was notified");
		assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("team").asString())
			.as("the route's team owns the incident")
			.isEqualTo("it-team");
	}

	@Test
	void acknowledgementStopsTheEscalation() {
		long incident = open();
		awaitEscalations(incident, 1);

		assertThat(acknowledge(incident).status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(15));
		awaitTimerGone(incident);

		assertThat(escalations(incident)).hasSize(1);
		assertThat(stoppedReason(incident)).contains("acknowledged");
	}

	@Test
	void acknowledgementRacingAnEscalationWinsOverIt() throws Exception {
		List<Long> incidents = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			incidents.add(open());
		}
		for (long incident : incidents) {
			awaitEscalations(incident, 1);
		}

		this.clock.advance(Duration.ofMinutes(10));
		try (ExecutorService pool = Executors.newFixedThreadPool(incidents.size())) {
			List<Future<Integer>> acks = new ArrayList<>();
			for (long incident : incidents) {
				acks.add(pool.submit((Callable<Integer>) () -> acknowledge(incident).status()));
			}
			for (Future<Integer> ack : acks) {
				assertThat(ack.get()).isEqualTo(200);
			}
		}
		for (long incident : incidents) {
			awaitTimerGone(incident);
			List<String> types = this.jdbc.sql("""
					select type from timeline_event where incident_id = ?
					and type in ('incident.escalated', 'incident.acknowledged') order by id""")
				.param(incident)
				.query(String.class)
				.list();
			assertThat(types).as("incident %d: nothing escalates after the acknowledgement", incident)
				.endsWith("incident.acknowledged");
			assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("status").asString())
				.isEqualTo("acknowledged");
		}
	}

	@Test
	void runbookThatDidNotHelpAndAsksToEscalateFiresTheNextLevelAtOnce() {
		long incident = open();
		awaitEscalations(incident, 1);

		// What a runbook with on-failure: escalate records when it did not fix the
		// problem.
		this.incidents.record(new IncidentId(incident),
				new TimelineEntry(new TimelineEventType("runbook.failure_policy"), Actor.SYSTEM,
						"Runbook it-fix did not fix the problem: escalating the incident",
						Map.of("execution", 1, "policy", "escalate")));

		awaitEscalations(incident, 2);
		assertThat(Instant.parse(escalations(incident).get(1).get("at").asString())).as("at once, not 10 minutes later")
			.isEqualTo(this.clock.instant());
	}

	@Test
	void resolutionIsNeverUndoneByALateAcknowledgement() {
		long incident = open();
		Response resolved = this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of());
		assertThat(resolved.status()).isEqualTo(200);

		assertThat(acknowledge(incident).status()).isEqualTo(409);
		assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("status").asString())
			.isEqualTo("resolved");
		// The notifications follower stops the escalation after the resolution commits.
		this.warden.awaitFollowedUp(incident);
		assertThat(stoppedReason(incident)).contains("resolved");
	}

	@Test
	void quietRouteInAMuteWindowNotifiesNobodyAndTheTimelineSaysWhy() {
		long incident = open(Map.of("quiet", "yes"));
		List<JsonNode> timeline = this.warden.get("/api/v1/incidents/" + incident)
			.json()
			.get("timeline")
			.valueStream()
			.toList();
		assertThat(timeline).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.suppressed");
			assertThat(event.get("summary").asString()).contains("muted by route root > quiet");
		});
		assertThat(this.jdbc.sql("select count(*) from notification where incident_id = ?")
			.param(incident)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void silencedIncidentNotifiesNobodyDoesNotEscalateAndTheTimelineNamesTheSilence() {
		String run = UUID.randomUUID().toString();
		Response silence = this.warden.post("/api/v1/silences", Map.of("matchers", List.of("run=\"" + run + "\""),
				"endsAt", this.clock.instant().plus(Duration.ofHours(1)).toString(), "comment", "database migration"));
		assertThat(silence.status()).as(silence.toString()).isEqualTo(201);
		String silenceId = silence.json().get("id").asString();

		long incident = open(Map.of("escalate", "yes", "run", run));

		assertThat(this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").valueStream())
			.anySatisfy((event) -> {
				assertThat(event.get("type").asString()).isEqualTo("notification.suppressed");
				assertThat(event.get("summary").asString()).contains(silenceId).contains("database migration");
			});
		assertThat(this.jdbc.sql("select count(*) from notification where incident_id = ?")
			.param(incident)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("select count(*) from escalation_state where incident_id = ?")
			.param(incident)
			.query(Long.class)
			.single()).as("no escalation starts").isZero();
	}

	@Test
	void runningEscalationWhoseTimerWentMissingGetsItBackFromTheSweepAndStillEscalates() {
		Instant opened = this.clock.instant();
		long incident = open();
		awaitEscalations(incident, 1);
		// The race the sweep is for: the timer is gone while the escalation runs.
		await("the timer, not running, deleted").atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc.sql("""
					delete from scheduled_tasks
					where task_name = 'escalation-timer' and task_instance = ? and not picked""")
				.param(String.valueOf(incident))
				.update() == 1);
		assertThat(timer(incident)).isNull();

		// Settled (unchanged for over 30 s on Warden's clock); the sweep runs now rather
		// than in up to 30 s.
		this.clock.advance(Duration.ofMinutes(1));
		await("the sweep runs").atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> this.scheduler.reschedule(TaskInstanceId.of("escalations-sweep", "recurring"),
					this.clock.instant()));
		await("the timer is back, due at level 2's time").atMost(Duration.ofSeconds(20))
			.until(() -> opened.plus(Duration.ofMinutes(10)).equals(timer(incident)));

		this.clock.advance(Duration.ofMinutes(9));
		awaitEscalations(incident, 2);
		assertThat(Instant.parse(escalations(incident).get(1).get("at").asString()))
			.isEqualTo(opened.plus(Duration.ofMinutes(10)));
	}

	/** When the incident's escalation timer is due, or null when it has none. */
	private Instant timer(long incident) {
		return this.jdbc.sql(
				"select execution_time from scheduled_tasks where task_name = 'escalation-timer' and task_instance = ?")
			.param(String.valueOf(incident))
			.query(java.sql.Timestamp.class)
			.optional()
			.map(java.sql.Timestamp::toInstant)
			.orElse(null);
	}

	private long open() {
		return open(Map.of("escalate", "yes"));
	}

	private long open(Map<String, String> labels) {
		Payloads.Group group = Payloads.group();
		ObjectNode payload = group.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30)).json();
		labels.forEach((key, value) -> {
			((ObjectNode) payload.get("commonLabels")).put(key, value);
			((ObjectNode) payload.get("alerts").get(0).get("labels")).put(key, value);
		});
		return this.warden.open(payload);
	}

	private Response acknowledge(long incident) {
		return this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());
	}

	private List<JsonNode> escalations(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident)
			.json()
			.get("timeline")
			.valueStream()
			.filter((event) -> event.get("type").asString().equals("incident.escalated"))
			.toList();
	}

	private void awaitEscalations(long incident, int count) {
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(escalations(incident)).hasSize(count));
	}

	private void awaitTimerGone(long incident) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.jdbc
				.sql("select count(*) from scheduled_tasks where task_name = 'escalation-timer' and task_instance = ?")
				.param(String.valueOf(incident))
				.query(Long.class)
				.single() == 0);
	}

	private String stoppedReason(long incident) {
		return this.jdbc.sql("select stopped_reason from escalation_state where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single();
	}

	/** Gives the scheduler time for a poll, to show that something did not happen. */
	private static void pollOnce() {
		try {
			Thread.sleep(6000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
