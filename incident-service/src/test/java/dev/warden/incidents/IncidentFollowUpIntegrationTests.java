package dev.warden.incidents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Priority;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The webhook writes the incident and one follow-up job; its followers (notifications,
 * runbooks, and here a probe of the test's own) act after the commit, each in its own
 * transaction, once per change even when the change's job runs again, and in the order
 * the incident's changes committed. Real Warden over HTTP, real PostgreSQL, real
 * db-scheduler jobs.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=follow-ups", "db-scheduler.polling-interval=200ms" })
@Import(IncidentFollowUpIntegrationTests.ProbeConfiguration.class)
class IncidentFollowUpIntegrationTests {

	private static final Path RUNBOOKS = writeRunbooks();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SchedulerClient scheduler;

	@Autowired
	MeterRegistry meters;

	@Autowired
	Probe probe;

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
	void theWebhookAnswersBeforeAnyFollowerRunsAndFollowersSeeTheCommittedIncident() throws Exception {
		String title = "hold-" + UUID.randomUUID();
		CountDownLatch release = this.probe.hold(title);
		try {
			Response response = this.warden.webhook(payload(title));
			assertThat(response.status()).as(response.toString()).isEqualTo(200);
			long incident = response.json().get("incident").asLong();

			// The probe follows first and is held: the webhook answered all the same, and
			// none of the other followers' work was in its transaction.
			assertThat(this.probe.entered(title).await(20, TimeUnit.SECONDS)).isTrue();
			assertThat(this.probe.sawCommitted(incident)).as("the follower saw the incident from another connection")
				.isTrue();
			assertThat(routedEvents(incident)).isZero();
			assertThat(runs(incident)).isZero();
			JsonNode pending = this.warden.get("/api/v1/incidents/" + incident).json().get("followUp");
			assertThat(pending.get("pending").asBoolean()).isTrue();
			assertThat(pending.get("changes").asInt()).isEqualTo(1);
			assertThat(pending.get("followed").get("notifications").asInt()).isZero();

			release.countDown();
			awaitRunWaiting(incident);
			JsonNode followed = this.warden.awaitFollowedUp(incident).get("followUp");
			// The opening and the changes the run has made since (its steps are news).
			int changes = followed.get("changes").asInt();
			assertThat(changes).isPositive();
			assertThat(followed.get("followed").get("notifications").asInt()).isEqualTo(changes);
			assertThat(followed.get("followed").get("runbooks").asInt()).isEqualTo(changes);
			assertThat(routedEvents(incident)).isEqualTo(1);
			assertThat(runs(incident)).isEqualTo(1);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void theNotificationsFollowerRoutesOnceWhenTheOpeningIsRedelivered() {
		long incident = this.warden.open(payload("notify-" + UUID.randomUUID()));
		long routed = routedEvents(incident);
		long notifications = count("select count(*) from notification where incident_id = ?", incident);
		long plans = count("select count(*) from notification_plan where incident_id = ?", incident);
		assertThat(routed).isEqualTo(1);
		assertThat(plans).isEqualTo(1);
		double already = outcomes("notifications", "already");

		redeliverOpening(incident);

		assertThat(outcomes("notifications", "already")).as("the job ran again and found it followed")
			.isGreaterThan(already);
		assertThat(routedEvents(incident)).isEqualTo(routed);
		assertThat(count("select count(*) from notification where incident_id = ?", incident)).isEqualTo(notifications);
		assertThat(count("select count(*) from notification_plan where incident_id = ?", incident)).isEqualTo(plans);
	}

	@Test
	void theRunbooksFollowerStartsOneRunWhenTheOpeningIsRedelivered() {
		long incident = this.warden.open(payload("runbook-" + UUID.randomUUID()));
		assertThat(runs(incident)).isEqualTo(1);
		double already = outcomes("runbooks", "already");

		redeliverOpening(incident);

		assertThat(outcomes("runbooks", "already")).as("the job ran again and found it followed")
			.isGreaterThan(already);
		assertThat(runs(incident)).isEqualTo(1);
	}

	@Test
	void aFailingFollowerIsRetriedWithoutHoldingUpTheOthersOrTheWebhook() {
		String title = "fail-" + UUID.randomUUID();
		this.probe.failFirst(title);
		Response response = this.warden.webhook(payload(title));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		long incident = response.json().get("incident").asLong();

		// The others followed although the probe failed; the job is visibly failing.
		await().atMost(Duration.ofSeconds(20)).until(() -> this.probe.failures(title) == 1);
		await().atMost(Duration.ofSeconds(20)).until(() -> routedEvents(incident) == 1 && runs(incident) == 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> count("select coalesce(max(consecutive_failures), 0) from scheduled_tasks"
					+ " where task_name = 'incident-follow-up' and task_instance = ?", incident + "-1") == 1);

		// Retried after its backoff, and then followed once; the run's steps are changes
		// too, so the count is read once the run is quiet.
		awaitRunWaiting(incident);
		JsonNode followed = this.warden.awaitFollowedUp(incident).get("followUp");
		int changes = followed.get("changes").asInt();
		assertThat(followed.get("followed").get("probe").asInt()).isEqualTo(changes);
		assertThat(this.probe.numbers(incident)).as("each change once, in order, the failed one included")
			.isEqualTo(IntStream.rangeClosed(1, changes).boxed().toList());
		assertThat(routedEvents(incident)).isEqualTo(1);
		assertThat(runs(incident)).isEqualTo(1);
	}

	@Test
	void anIncidentsChangesAreFollowedInTheOrderTheyCommitted() throws Exception {
		String title = "order-" + UUID.randomUUID();
		CountDownLatch release = this.probe.hold(title);
		try {
			long incident = this.warden.webhook(payload(title)).json().get("incident").asLong();
			assertThat(this.probe.entered(title).await(20, TimeUnit.SECONDS)).isTrue();
			double waited = outcomes("notifications", "waiting");

			// The acknowledgement commits while the opening is still being followed: its
			// change waits for the opening, for every follower.
			Response acknowledged = this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());
			assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(20)).until(() -> outcomes("notifications", "waiting") > waited);
			assertThat(routedEvents(incident)).isZero();
			assertThat(
					count("select followed from incident_follower where incident_id = ? and follower = 'notifications'",
							incident))
				.isZero();

			release.countDown();
			awaitRunWaiting(incident);
			JsonNode followed = this.warden.awaitFollowedUp(incident).get("followUp");
			int changes = followed.get("changes").asInt();
			assertThat(followed.get("followed").get("notifications").asInt()).isEqualTo(changes);
			// The acknowledgement is change 2; the run's steps come after it.
			assertThat(this.probe.numbers(incident)).isEqualTo(IntStream.rangeClosed(1, changes).boxed().toList());
			assertThat(this.jdbc
				.sql("select count(*) from timeline_event where incident_id = ? and type = 'incident.acknowledged'")
				.param(incident)
				.query(Long.class)
				.single()).isEqualTo(1);
			assertThat(routedEvents(incident)).isEqualTo(1);
		}
		finally {
			release.countDown();
		}
	}

	/**
	 * Writes the incident's opening follow-up job again, as a crash after its commit
	 * would.
	 */
	private void redeliverOpening(long incident) {
		List<Long> events = this.jdbc
			.sql("select id from timeline_event where incident_id = ? and type in ('incident.opened', 'alert.fired')"
					+ " order by id")
			.param(incident)
			.query(Long.class)
			.list();
		FollowUps.schedule(this.scheduler, new FollowUps.Change(incident, 1, IncidentStatus.TRIGGERED, events),
				Priority.HIGH, this.clock.instant());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> count("select count(*) from scheduled_tasks where task_name = 'incident-follow-up'"
					+ " and task_instance = ?", incident + "-1") == 0);
	}

	private ObjectNode payload(String title) {
		ObjectNode payload = Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(title)
			.json();
		((ObjectNode) payload.get("commonLabels")).put("probe", "follow-ups");
		((ObjectNode) payload.get("alerts").get(0).get("labels")).put("probe", "follow-ups");
		return payload;
	}

	private long routedEvents(long incident) {
		return count("select count(*) from timeline_event where incident_id = ? and type = 'incident.routed'",
				incident);
	}

	private long runs(long incident) {
		return count("select count(*) from runbook_execution where incident_id = ?", incident);
	}

	/**
	 * Waits until the run sits in its wait step (the test clock does not move), after
	 * which it makes no more changes.
	 */
	private void awaitRunWaiting(long incident) {
		await().atMost(Duration.ofSeconds(30)).until(() -> count("""
				select count(*) from runbook_step s join runbook_execution e on e.id = s.execution_id
				where e.incident_id = ? and s.status = 'WAITING'""", incident) == 1);
	}

	private long count(String sql, Object parameter) {
		return this.jdbc.sql(sql).param(parameter).query(Long.class).optional().orElse(0L);
	}

	private double outcomes(String follower, String outcome) {
		var counter = this.meters.find("warden.incidents.follow_ups")
			.tag("follower", follower)
			.tag("outcome", outcome)
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

	private static Path writeRunbooks() {
		try {
			Path directory = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
			Files.writeString(directory.resolve("follow-up-probe.yaml"), """
					id: follow-up-probe
					title: Wait a moment
					match: ['probe="follow-ups"']
					mode: auto
					cooldown: 0s
					steps:
					  - name: Wait
					    action: wait
					    with: {duration: 1s}
					""");
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ProbeConfiguration {

		@Bean
		Probe followUpProbe(IncidentService incidents, DataSource dataSource) {
			return new Probe(incidents, dataSource);
		}

	}

	/**
	 * A follower of the test's own, first in line: it can hold a change (by the
	 * incident's title) or fail it once, and records what it followed and whether the
	 * incident was committed when it did.
	 */
	@Order(0)
	static class Probe implements IncidentFollower {

		private final IncidentService incidents;

		private final DataSource dataSource;

		private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();

		private final Map<String, CountDownLatch> entered = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> failing = new ConcurrentHashMap<>();

		private final Map<Long, List<Integer>> numbers = new ConcurrentHashMap<>();

		private final Map<Long, Boolean> committed = new ConcurrentHashMap<>();

		Probe(IncidentService incidents, DataSource dataSource) {
			this.incidents = incidents;
			this.dataSource = dataSource;
		}

		CountDownLatch hold(String title) {
			entered(title);
			return this.holds.computeIfAbsent(title, (key) -> new CountDownLatch(1));
		}

		CountDownLatch entered(String title) {
			return this.entered.computeIfAbsent(title, (key) -> new CountDownLatch(1));
		}

		void failFirst(String title) {
			this.failing.put(title, new AtomicInteger());
		}

		int failures(String title) {
			AtomicInteger failures = this.failing.get(title);
			return (failures != null) ? failures.get() : 0;
		}

		List<Integer> numbers(long incident) {
			return this.numbers.getOrDefault(incident, List.of());
		}

		boolean sawCommitted(long incident) {
			return this.committed.getOrDefault(incident, false);
		}

		@Override
		public String followerName() {
			return "probe";
		}

		@Override
		public void follow(IncidentChange change) {
			long incident = change.incident().value();
			this.committed.put(incident, visibleElsewhere(incident));
			String title = this.incidents.get(change.incident()).title();
			CountDownLatch entered = this.entered.get(title);
			if (entered != null) {
				entered.countDown();
			}
			CountDownLatch hold = this.holds.get(title);
			if (hold != null && change.number() == 1) {
				try {
					hold.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			AtomicInteger failures = this.failing.get(title);
			if (failures != null && failures.compareAndSet(0, 1)) {
				throw new IllegalStateException("the probe fails once");
			}
			this.numbers.computeIfAbsent(incident, (key) -> new CopyOnWriteArrayList<>()).add(change.number());
		}

		/** Whether another connection sees the incident: its transaction committed. */
		private boolean visibleElsewhere(long incident) {
			try (Connection connection = this.dataSource.getConnection();
					PreparedStatement statement = connection.prepareStatement("select 1 from incident where id = ?")) {
				statement.setLong(1, incident);
				try (ResultSet rows = statement.executeQuery()) {
					return rows.next();
				}
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
