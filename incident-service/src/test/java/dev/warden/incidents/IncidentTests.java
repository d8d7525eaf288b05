package dev.warden.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The aggregate's rules, without a database. */
class IncidentTests {

	private static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");

	private static final Actor ALICE = Actor.user("alice");

	private final IncidentPolicy policy = policy(AutoResolve.ALL);

	@Test
	void opensTriggeredWithMilestonesAndTitleFromSummary() {
		Incident incident = Incident.open(batch(firing("a", T0.minusSeconds(30), "critical")), this.policy, T0);

		assertThat(incident.status()).isEqualTo(IncidentStatus.TRIGGERED);
		assertThat(incident.severity()).isEqualTo(Severity.CRITICAL);
		assertThat(incident.title()).isEqualTo("summary of a");
		assertThat(incident.service()).isEqualTo("ai-inference-api");
		assertThat(incident.milestones().detectedAt()).isEqualTo(T0);
		assertThat(incident.milestones().impactStartedAt()).isEqualTo(T0.minusSeconds(30));
		assertThat(types(incident)).containsExactly("incident.opened", "alert.fired");
	}

	@Test
	void acknowledgesTriggeredIncidentOnce() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);

		incident.acknowledge(ALICE, T0.plusSeconds(60));

		assertThat(incident.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
		assertThat(incident.milestones().acknowledgedBy()).isEqualTo(ALICE);
		assertThat(incident.milestones().timeToAcknowledge()).isEqualTo(Duration.ofMinutes(1));
		assertThatExceptionOfType(IllegalIncidentTransition.class)
			.isThrownBy(() -> incident.acknowledge(Actor.user("bob"), T0.plusSeconds(90)));
		assertThat(incident.milestones().acknowledgedBy()).isEqualTo(ALICE);
	}

	@Test
	void resolvedIncidentCannotBeAcknowledgedOrResolvedAgain() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);
		incident.resolve(ALICE, T0.plusSeconds(5), "fixed");

		assertThatExceptionOfType(IllegalIncidentTransition.class)
			.isThrownBy(() -> incident.acknowledge(ALICE, T0.plusSeconds(6)));
		assertThatExceptionOfType(IllegalIncidentTransition.class)
			.isThrownBy(() -> incident.resolve(ALICE, T0.plusSeconds(6), "again"));
		assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
	}

	@Test
	void autoResolvesWhenAllAlertsResolveUnderPolicyAll() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning"), firing("b", T0, "warning")), this.policy,
				T0);

		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, T0.plusSeconds(61));
		assertThat(incident.status()).isEqualTo(IncidentStatus.TRIGGERED);
		incident.receive(batch(resolved("b", T0, T0.plusSeconds(70))), this.policy, T0.plusSeconds(71));

		assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
		assertThat(incident.milestones().resolvedBy()).isEqualTo(Actor.ALERTMANAGER);
		assertThat(incident.milestones().resolvedAt()).isEqualTo(T0.plusSeconds(71));
	}

	@Test
	void autoResolvesOnFirstResolvedAlertUnderPolicyAny() {
		IncidentPolicy any = policy(AutoResolve.ANY);
		Incident incident = Incident.open(batch(firing("a", T0, "warning"), firing("b", T0, "warning")), any, T0);

		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), any, T0.plusSeconds(61));

		assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
	}

	@Test
	void neverAutoResolvesUnderPolicyNever() {
		IncidentPolicy never = policy(AutoResolve.NEVER);
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), never, T0);

		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), never, T0.plusSeconds(61));

		assertThat(incident.status()).isEqualTo(IncidentStatus.TRIGGERED);
		assertThat(types(incident)).endsWith("alert.resolved");
	}

	@Test
	void manuallyReopenedIncidentIsNotResolvedAgainByAReplay() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);
		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, T0.plusSeconds(61));
		incident.reopen(ALICE, T0.plusSeconds(100), "not fixed");

		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, T0.plusSeconds(120));

		assertThat(incident.status()).isEqualTo(IncidentStatus.TRIGGERED);
	}

	@Test
	void tellsNewsFromResends() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);
		Instant resolvedAt = T0.plusSeconds(61);
		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, resolvedAt);
		Instant soon = resolvedAt.plusSeconds(5);

		assertThat(incident.isNews(batch(firing("a", T0, "warning")), this.policy, soon)).as("stale firing resend")
			.isFalse();
		assertThat(incident.isNews(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, soon))
			.as("resolved resend")
			.isFalse();
		assertThat(incident.hasFiringNews(batch(firing("a", T0.plusSeconds(300), "warning")), this.policy, soon))
			.as("fired again, new startsAt")
			.isTrue();
		assertThat(incident.isNews(batch(firing("b", T0, "warning")), this.policy, soon)).as("unknown alert").isTrue();
		assertThat(incident.hasFiringNews(batch(firing("a", T0, "warning")), this.policy,
				resolvedAt.plus(Duration.ofMinutes(11))))
			.as("same occurrence firing long after it resolved: Alertmanager relearned it")
			.isTrue();
	}

	@Test
	void sameOccurrenceFiringLongAfterItResolvedFiresAgain() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning"), firing("b", T0, "warning")), this.policy,
				T0);
		incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy, T0.plusSeconds(61));

		Incident.Reception stale = incident.receive(batch(firing("a", T0, "warning")), this.policy, T0.plusSeconds(70));
		Incident.Reception again = incident.receive(batch(firing("a", T0, "warning")), this.policy,
				T0.plusSeconds(61).plus(Duration.ofMinutes(30)));

		assertThat(stale.changedAlerts()).isZero();
		assertThat(again.changedAlerts()).isEqualTo(1);
		assertThat(incident.alerts().getFirst().status()).isEqualTo(AlertStatus.FIRING);
	}

	@Test
	void alertStillFiringWhenResolvedByHandIsNotNews() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);
		incident.resolve(ALICE, T0.plusSeconds(60), "known issue");

		assertThat(incident.isNews(batch(firing("a", T0, "warning")), this.policy, T0.plusSeconds(61))).isFalse();
		assertThat(incident.isNews(batch(firing("a", T0, "warning")), this.policy, T0.plus(Duration.ofHours(5))))
			.as("a repeat_interval resend hours later")
			.isFalse();
	}

	@Test
	void truncationIsRecordedWhenItChangesNotOnEveryResend() {
		AlertBatch truncated = new AlertBatch("{}:{alertname=\"Test\"}", true, "warden", Map.of(), Map.of(), Map.of(),
				null, 3, List.of(firing("a", T0, "warning")));
		Incident incident = Incident.open(truncated, this.policy, T0);

		incident.receive(truncated, this.policy, T0.plusSeconds(1));
		incident.receive(truncated, this.policy, T0.plusSeconds(2));

		assertThat(types(incident)).containsOnlyOnce("alert.truncated");
		assertThat(incident.truncatedAlerts()).isEqualTo(3);
	}

	@Test
	void alertThatResolvedBeforeTheIncidentWasDetectedChangesNothing() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), policy(AutoResolve.ANY), T0);

		incident.receive(batch(resolved("old", T0.minusSeconds(3600), T0.minusSeconds(600))), policy(AutoResolve.ANY),
				T0.plusSeconds(5));

		assertThat(incident.status()).isEqualTo(IncidentStatus.TRIGGERED);
		assertThat(incident.milestones().impactStartedAt()).isEqualTo(T0);
		assertThat(incident.alerts()).hasSize(2);
	}

	@Test
	void olderOccurrenceArrivingLateChangesNothing() {
		Incident incident = Incident.open(batch(firing("a", T0.plusSeconds(600), "warning")), this.policy, T0);

		Incident.Reception reception = incident.receive(batch(resolved("a", T0, T0.plusSeconds(60))), this.policy,
				T0.plusSeconds(700));

		assertThat(reception.changedAlerts()).isZero();
		assertThat(incident.alerts().getFirst().status()).isEqualTo(AlertStatus.FIRING);
	}

	@Test
	void manualSeverityIsNotRaisedByLaterAlerts() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);
		incident.changeSeverity(ALICE, T0.plusSeconds(1), Severity.INFO);

		incident.receive(batch(firing("b", T0, "critical")), this.policy, T0.plusSeconds(2));

		assertThat(incident.severity()).isEqualTo(Severity.INFO);
	}

	@Test
	void mitigationIsRecordedOnce() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);

		incident.resolve(Actor.ALERTMANAGER, T0.plusSeconds(15), "all alerts resolved");
		incident.mitigate(Actor.SYSTEM, T0.plusSeconds(10), T0.plusSeconds(30), "runbook restart-database succeeded");
		incident.mitigate(Actor.SYSTEM, T0.plusSeconds(20), T0.plusSeconds(40), "again");

		assertThat(incident.milestones().mitigatedAt()).isEqualTo(T0.plusSeconds(10));
		assertThat(types(incident)).containsOnlyOnce("incident.mitigated");
	}

	@Test
	void notesNeedText() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);

		assertThatExceptionOfType(InvalidIncidentInput.class).isThrownBy(() -> incident.addNote(ALICE, T0, "  "));
		assertThatExceptionOfType(InvalidIncidentInput.class)
			.isThrownBy(() -> incident.addNote(ALICE, T0, "x".repeat(10_001)));
	}

	@Test
	void expiresAlertsNotSeenSinceTheCutoffAndResolves() {
		Incident incident = Incident.open(batch(firing("a", T0, "warning")), this.policy, T0);

		boolean expired = incident.expireAlertsNotSeenSince(T0.plusSeconds(1), AutoResolve.ALL, T0.plusSeconds(3600));

		assertThat(expired).isTrue();
		assertThat(incident.alerts().getFirst().status()).isEqualTo(AlertStatus.EXPIRED);
		assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
		assertThat(incident.milestones().resolvedBy()).isEqualTo(Actor.SYSTEM);
	}

	@Test
	void unmappedSeverityFallsBackToTheDefault() {
		assertThat(this.policy.severityOf(Map.of("severity", "PAGE"))).isEqualTo(Severity.CRITICAL);
		assertThat(this.policy.severityOf(Map.of("severity", "whatever"))).isEqualTo(Severity.WARNING);
		assertThat(this.policy.severityOf(Map.of())).isEqualTo(Severity.WARNING);
	}

	private static IncidentPolicy policy(AutoResolve autoResolve) {
		return new IncidentSettings(Duration.ofHours(1), autoResolve, "severity", null, Severity.WARNING, "service",
				"team", Duration.ofMinutes(15), Duration.ofMinutes(10), Duration.ofHours(25), Duration.ofMinutes(5))
			.policy();
	}

	private static AlertBatch batch(ReceivedAlert... alerts) {
		boolean firing = Arrays.stream(alerts).anyMatch(ReceivedAlert::firing);
		return new AlertBatch("{}:{alertname=\"Test\"}", firing, "warden", Map.of("alertname", "Test"),
				Map.of("service", "ai-inference-api"), Map.of(), null, 0, List.of(alerts));
	}

	private static ReceivedAlert firing(String fingerprint, Instant startsAt, String severity) {
		return new ReceivedAlert(fingerprint, true, Map.of("alertname", "Test", "severity", severity),
				Map.of("summary", "summary of " + fingerprint), startsAt, null, null);
	}

	private static ReceivedAlert resolved(String fingerprint, Instant startsAt, Instant endsAt) {
		return new ReceivedAlert(fingerprint, false, Map.of("alertname", "Test", "severity", "warning"),
				Map.of("summary", "summary of " + fingerprint), startsAt, endsAt, null);
	}

	private static List<String> types(Incident incident) {
		return incident.timeline().stream().map((event) -> event.type().name()).toList();
	}

}
