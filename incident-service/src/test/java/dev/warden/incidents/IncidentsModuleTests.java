package dev.warden.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.TestDatabase;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.modulith.test.Scenario;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The incidents module on its own: alert batches in through {@link IncidentService}, the
 * lifecycle people drive, and the hand-off of each committed change to the followers,
 * here only a recorder of this test's (notifications and runbooks, the real followers,
 * are not booted). Booted with the modules whose beans its beans need ({@code access} for
 * the audit log, {@code metrics}, and theirs: {@code storage}, {@code web}) and
 * {@code jobs}, whose db-scheduler runs the follow-up jobs on this context's own
 * database; no web server, no other feature module. Incidents publishes no Spring events
 * (its followers run as durable jobs), so the {@link Scenario}s here stimulate through
 * the service, outside any transaction as the webhook does, and wait for the followers'
 * state to change.
 * <p>
 * The modules are listed rather than left to {@code ALL_DEPENDENCIES}, which follows only
 * the dependencies Spring Modulith sees in constructors (not a {@code @Bean} method's
 * parameters, such as {@code access}' use of {@code web}); {@code ModularityTests}
 * verifies the module structure once, so this test does not again.
 */
@ApplicationModuleTest(verifyAutomatically = false, extraIncludes = { "access", "jobs", "metrics", "storage", "web" })
@TestPropertySource(properties = { "warden.storage.directory=target/test-data/${random.uuid}",
		"warden.incidents.stale-after=0", "db-scheduler.polling-interval=200ms" })
@Import({ TestDatabase.class, IntegrationTest.Time.class })
class IncidentsModuleTests {

	private static final Duration FOLLOW_UP = Duration.ofSeconds(30);

	private final IncidentService incidents;

	private final Recorder recorder;

	private final TestClock clock;

	private final JdbcClient jdbc;

	IncidentsModuleTests(IncidentService incidents, Recorder recorder, TestClock clock, JdbcClient jdbc) {
		this.incidents = incidents;
		this.recorder = recorder;
		this.clock = clock;
		this.jdbc = jdbc;
	}

	@Test
	void opensAnIncidentFromABatchAndHandsTheOpeningToTheFollowersAfterItCommits(Scenario scenario) {
		String fingerprint = fingerprint();
		AlertBatch batch = batch(group(), firing(fingerprint, "critical"));

		// Outside any transaction, as the webhook calls it: ingest commits its own.
		scenario.stimulate((transactions) -> this.incidents.ingest(batch))
			.andWaitAtMost(FOLLOW_UP)
			.andWaitForStateChange(() -> this.recorder.changesMentioning(fingerprint))
			.andVerify((changes, ingested) -> {
				assertThat(ingested.outcome()).isEqualTo(Ingested.Outcome.OPENED);
				assertThat(ingested.status()).isEqualTo(IncidentStatus.TRIGGERED);
				assertThat(changes).singleElement().satisfies((change) -> {
					assertThat(change.incident()).isEqualTo(ingested.incident());
					assertThat(change.number()).isOne();
					assertThat(change.status()).isEqualTo(IncidentStatus.TRIGGERED);
					assertThat(change.has(TimelineEventType.INCIDENT_OPENED)).isTrue();
					assertThat(change.has(TimelineEventType.ALERT_FIRED)).isTrue();
				});
			});

		IncidentId id = this.recorder.changesMentioning(fingerprint).getFirst().incident();
		IncidentView view = this.incidents.get(id);
		assertThat(view.status()).isEqualTo(IncidentStatus.TRIGGERED);
		assertThat(view.severity()).isEqualTo(Severity.CRITICAL);
		assertThat(view.title()).isEqualTo("Disk of " + fingerprint + " is full");
		assertThat(view.service()).isEqualTo("storage");
		assertThat(view.team()).isEqualTo("platform");
		assertThat(view.changes()).isOne();
		assertThat(view.milestones().detectedAt()).isEqualTo(this.clock.instant());
		assertThat(view.alerts()).singleElement().satisfies((alert) -> {
			assertThat(alert.fingerprint()).isEqualTo(fingerprint);
			assertThat(alert.status()).isEqualTo(AlertStatus.FIRING);
		});
		assertThat(view.timeline()).extracting(RecordedEvent::type)
			.contains(TimelineEventType.INCIDENT_OPENED, TimelineEventType.ALERT_FIRED);
		assertThat(this.incidents.status(id)).isEqualTo(IncidentStatus.TRIGGERED);
		IncidentLabels labels = this.incidents.labels(id);
		assertThat(labels.groupLabels()).containsEntry("alertname", "DiskFull");
		assertThat(labels.commonLabels()).containsEntry("service", "storage");
		assertThat(labels.alerts()).extracting(AlertSnapshot::fingerprint).containsExactly(fingerprint);
	}

	@Test
	void aResentBatchOnlyMovesLastSeenAndIsNoNewsForTheFollowers(Scenario scenario) {
		String fingerprint = fingerprint();
		AlertBatch batch = batch(group(), firing(fingerprint, "warning"));
		IncidentId id = open(scenario, batch, fingerprint);
		this.clock.advance(Duration.ofMinutes(1));

		Ingested resent = this.incidents.ingest(batch);

		assertThat(resent.incident()).isEqualTo(id);
		assertThat(resent.outcome()).isEqualTo(Ingested.Outcome.ATTACHED);
		assertThat(resent.changedAlerts()).isZero();
		assertThat(resent.unchangedAlerts()).isOne();
		IncidentView view = this.incidents.get(id);
		assertThat(view.changes()).as("no second change with news").isOne();
		assertThat(view.alerts().getFirst().lastSeenAt()).isEqualTo(this.clock.instant());
		// Once no follow-up job of the incident is left, the followers were handed the
		// opening alone.
		await().atMost(FOLLOW_UP).until(() -> followUpJobs(id) == 0);
		assertThat(this.recorder.changesOf(id)).extracting(IncidentChange::number).containsExactly(1);
	}

	@Test
	void acknowledgeResolveAndReopenReachTheFollowersInTheOrderTheyCommitted(Scenario scenario) {
		String fingerprint = fingerprint();
		IncidentId id = open(scenario, batch(group(), firing(fingerprint, "critical")), fingerprint);
		Actor alice = Actor.user("alice");

		this.clock.advance(Duration.ofMinutes(3));
		IncidentView acknowledged = this.incidents.acknowledge(id, alice);
		this.clock.advance(Duration.ofMinutes(7));
		IncidentView resolved = this.incidents.resolve(id, alice);
		this.clock.advance(Duration.ofMinutes(1));

		scenario.stimulate((transactions) -> this.incidents.reopen(id, Actor.user("bob")))
			.andWaitAtMost(FOLLOW_UP)
			.andWaitForStateChange(() -> this.recorder.changesOf(id), (changes) -> changes.size() == 4)
			.andVerify((changes, reopened) -> {
				assertThat(changes).extracting(IncidentChange::number).containsExactly(1, 2, 3, 4);
				assertThat(changes).extracting(IncidentChange::status)
					.containsExactly(IncidentStatus.TRIGGERED, IncidentStatus.ACKNOWLEDGED, IncidentStatus.RESOLVED,
							IncidentStatus.TRIGGERED);
				assertThat(changes.get(1).has(TimelineEventType.ACKNOWLEDGED)).isTrue();
				assertThat(changes.get(2).has(TimelineEventType.RESOLVED)).isTrue();
				assertThat(changes.get(3).has(TimelineEventType.REOPENED)).isTrue();
				assertThat(reopened.status()).isEqualTo(IncidentStatus.TRIGGERED);
				assertThat(reopened.reopenCount()).isOne();
			});

		assertThat(acknowledged.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
		assertThat(acknowledged.milestones().acknowledgedBy()).isEqualTo(alice);
		assertThat(acknowledged.milestones().timeToAcknowledge()).isEqualTo(Duration.ofMinutes(3));
		assertThat(resolved.status()).isEqualTo(IncidentStatus.RESOLVED);
		assertThat(resolved.milestones().timeToResolve()).isEqualTo(Duration.ofMinutes(10));
		// People's changes go to the audit log in the change's transaction (the test's
		// mock request stands in for the console's).
		assertThat(audited(id)).containsExactly("incident.acknowledge", "incident.resolve", "incident.reopen");
	}

	@Test
	void aRefusedTransitionChangesNothingAndHandsNothingOn(Scenario scenario) {
		String fingerprint = fingerprint();
		IncidentId id = open(scenario, batch(group(), firing(fingerprint, "critical")), fingerprint);
		this.incidents.acknowledge(id, Actor.user("alice"));

		assertThatExceptionOfType(IllegalIncidentTransition.class)
			.isThrownBy(() -> this.incidents.acknowledge(id, Actor.user("bob")));
		assertThatExceptionOfType(IllegalIncidentTransition.class)
			.isThrownBy(() -> this.incidents.reopen(id, Actor.user("bob")));

		IncidentView view = this.incidents.get(id);
		assertThat(view.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
		assertThat(view.milestones().acknowledgedBy()).isEqualTo(Actor.user("alice"));
		assertThat(view.changes()).isEqualTo(2);
		assertThat(audited(id)).containsExactly("incident.acknowledge");
		assertThatExceptionOfType(IncidentNotFound.class)
			.isThrownBy(() -> this.incidents.get(new IncidentId(Long.MAX_VALUE)));
	}

	@Test
	void theGroupFiringAgainReopensItsResolvedIncidentWithinTheWindowAndOpensANewOneAfter(Scenario scenario) {
		String group = group();
		String fingerprint = fingerprint();
		Instant started = this.clock.instant().minus(Duration.ofMinutes(2));
		IncidentId id = open(scenario, batch(group, firing(fingerprint, "critical", started)), fingerprint);
		this.clock.advance(Duration.ofMinutes(5));

		Ingested resolved = this.incidents.ingest(batch(group, resolved(fingerprint, started, this.clock.instant())));
		assertThat(resolved.autoResolved()).isTrue();
		assertThat(this.incidents.status(id)).isEqualTo(IncidentStatus.RESOLVED);

		this.clock.advance(Duration.ofMinutes(20));
		Ingested again = this.incidents.ingest(batch(group, firing(fingerprint, "critical", this.clock.instant())));
		assertThat(again.incident()).isEqualTo(id);
		assertThat(again.outcome()).isEqualTo(Ingested.Outcome.REOPENED);
		assertThat(this.incidents.get(id).reopenCount()).isOne();

		this.incidents.ingest(batch(group, resolved(fingerprint, this.clock.instant(), this.clock.instant())));
		this.clock.advance(Duration.ofHours(2));
		Ingested later = this.incidents.ingest(batch(group, firing(fingerprint, "critical", this.clock.instant())));
		assertThat(later.outcome()).isEqualTo(Ingested.Outcome.OPENED);
		assertThat(later.incident()).isNotEqualTo(id);
		assertThat(this.incidents.status(id)).isEqualTo(IncidentStatus.RESOLVED);
	}

	/** Opens an incident and waits until the followers have followed its opening. */
	private IncidentId open(Scenario scenario, AlertBatch batch, String fingerprint) {
		IncidentId[] opened = new IncidentId[1];
		scenario.stimulate((transactions) -> this.incidents.ingest(batch))
			.andWaitAtMost(FOLLOW_UP)
			.andWaitForStateChange(() -> this.recorder.changesMentioning(fingerprint))
			.andVerify((changes, ingested) -> {
				assertThat(ingested.outcome()).isEqualTo(Ingested.Outcome.OPENED);
				opened[0] = ingested.incident();
			});
		return opened[0];
	}

	private long followUpJobs(IncidentId id) {
		return this.jdbc
			.sql("select count(*) from scheduled_tasks where task_name = 'incident-follow-up' and task_instance like ?")
			.param(id.value() + "-%")
			.query(Long.class)
			.single();
	}

	private List<String> audited(IncidentId id) {
		return this.jdbc.sql("select action from audit_event where target = ? order by id")
			.param(id.toString())
			.query(String.class)
			.list();
	}

	private static String group() {
		return "{}:{alertname=\"DiskFull\", run=\"" + UUID.randomUUID() + "\"}";
	}

	private static String fingerprint() {
		return UUID.randomUUID().toString().substring(0, 16);
	}

	private AlertBatch batch(String group, ReceivedAlert alert) {
		return new AlertBatch(group, alert.firing(), "warden", Map.of("alertname", "DiskFull"),
				Map.of("alertname", "DiskFull", "service", "storage", "team", "platform"), Map.of(), null, 0,
				List.of(alert));
	}

	private ReceivedAlert firing(String fingerprint, String severity) {
		return firing(fingerprint, severity, this.clock.instant().minus(Duration.ofMinutes(1)));
	}

	private static ReceivedAlert firing(String fingerprint, String severity, Instant startsAt) {
		return new ReceivedAlert(fingerprint, true,
				Map.of("alertname", "DiskFull", "severity", severity, "service", "storage", "team", "platform",
						"instance", fingerprint),
				Map.of("summary", "Disk of " + fingerprint + " is full"), startsAt, null, null);
	}

	private static ReceivedAlert resolved(String fingerprint, Instant startsAt, Instant endsAt) {
		return new ReceivedAlert(fingerprint, false,
				Map.of("alertname", "DiskFull", "severity", "critical", "service", "storage", "team", "platform",
						"instance", fingerprint),
				Map.of("summary", "Disk of " + fingerprint + " is full"), startsAt, endsAt, null);
	}

	/** The one follower of this context: records every change it is handed. */
	static class Recorder implements IncidentFollower {

		private final List<IncidentChange> changes = new CopyOnWriteArrayList<>();

		@Override
		public String followerName() {
			return "recorder";
		}

		@Override
		public void follow(IncidentChange change) {
			this.changes.add(change);
		}

		/** The changes of the incident, in the order they were followed. */
		List<IncidentChange> changesOf(IncidentId incident) {
			return this.changes.stream().filter((change) -> change.incident().equals(incident)).toList();
		}

		/** The changes with an event about the alert with this fingerprint. */
		List<IncidentChange> changesMentioning(String fingerprint) {
			return this.changes.stream()
				.filter((change) -> change.events()
					.stream()
					.anyMatch((event) -> fingerprint.equals(event.details().get("fingerprint"))))
				.toList();
		}

	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Followers {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

}
