package dev.warden.incidents;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.TestClock;
import dev.warden.Timelines;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

@IntegrationTest
class IncidentLifecycleIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void firingThenResolvedYieldsResolvedIncidentWithMilestones() {
		Instant startsAt = this.clock.instant().minusSeconds(90);
		Payloads.Group group = Payloads.group().firing("fp-1", startsAt);
		Instant detected = this.clock.advance(Duration.ofSeconds(1));
		String location = location(this.warden.webhook(group.json()));
		Instant endsAt = this.clock.advance(Duration.ofMinutes(7));
		Instant resolvedAt = this.clock.advance(Duration.ofSeconds(3));

		Response resolved = this.warden.webhook(group.next().resolved("fp-1", startsAt, endsAt).json());

		assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
		JsonNode incident = this.warden.get(location).json();
		assertThat(incident.get("status").asString()).isEqualTo("resolved");
		JsonNode milestones = incident.get("milestones");
		assertThat(milestones.get("impactStartedAt").asString()).isEqualTo(startsAt.toString());
		assertThat(milestones.get("detectedAt").asString()).isEqualTo(detected.toString());
		assertThat(milestones.get("acknowledgedAt").isNull()).isTrue();
		assertThat(milestones.get("resolvedAt").asString()).isEqualTo(resolvedAt.toString());
		assertThat(milestones.get("resolvedBy").asString()).isEqualTo("alertmanager");
		assertThat(Duration.parse(milestones.get("timeToResolve").asString()))
			.isEqualTo(Duration.between(detected, resolvedAt));
		assertThat(Duration.parse(milestones.get("timeToDetect").asString()))
			.isEqualTo(Duration.between(startsAt, detected));
		assertThat(incident.get("alerts").get(0).get("status").asString()).isEqualTo("resolved");
		assertThat(incident.get("alerts").get(0).get("endsAt").asString()).isEqualTo(endsAt.toString());
		assertThat(types(incident)).containsExactly("incident.opened", "alert.fired", "alert.resolved",
				"incident.resolved");
		JsonNode resolution = incident.get("timeline")
			.valueStream()
			.filter((event) -> event.get("type").asString().equals("incident.resolved"))
			.findFirst()
			.orElseThrow();
		assertThat(resolution.get("actor").asString()).isEqualTo("alertmanager");
		assertThat(resolution.get("actorKind").asString()).isEqualTo("alertmanager");
	}

	@Test
	void alertsOfOneGroupShareOneIncidentThatResolvesWhenAllResolve() {
		Instant startsAt = this.clock.instant();
		Payloads.Group group = Payloads.group().firing("fp-a", startsAt).firing("fp-b", startsAt);
		String location = location(this.warden.webhook(group.json()));
		this.clock.advance(Duration.ofMinutes(1));

		Response oneResolved = this.warden
			.webhook(group.next().resolved("fp-a", startsAt, this.clock.instant()).firing("fp-b", startsAt).json());
		assertThat(oneResolved.json().get("status").asString()).isEqualTo("triggered");
		this.clock.advance(Duration.ofMinutes(1));
		Response bothResolved = this.warden.webhook(group.next()
			.resolved("fp-a", startsAt, startsAt.plusSeconds(60))
			.resolved("fp-b", startsAt, this.clock.instant())
			.json());

		assertThat(bothResolved.json().get("status").asString()).isEqualTo("resolved");
		assertThat(location(bothResolved)).isEqualTo(location);
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
		assertThat(this.warden.get(location).json().get("alerts")).hasSize(2);
	}

	@Test
	void newWorseAlertRaisesSeverity() {
		Instant startsAt = this.clock.instant();
		Payloads.Group group = Payloads.group().firing("fp-warn", startsAt);
		String location = location(this.warden.webhook(group.json()));

		this.warden.webhook(
				group.next().firing("fp-warn", startsAt).alert("fp-crit", "firing", startsAt, null, "critical").json());

		JsonNode incident = this.warden.get(location).json();
		assertThat(incident.get("severity").asString()).isEqualTo("critical");
		assertThat(types(incident)).contains("incident.severity_changed");
	}

	@Test
	void reopensResolvedIncidentWhenItsGroupFiresAgainWithinTheWindow() {
		Payloads.Group group = Payloads.group();
		String location = openAndResolve(group);
		this.clock.advance(Duration.ofMinutes(20));
		Instant refiredAt = this.clock.instant();

		Response again = this.warden.webhook(group.next().firing("fp-1", refiredAt).json());

		assertThat(again.json().get("outcome").asString()).isEqualTo("reopened");
		assertThat(location(again)).isEqualTo(location);
		JsonNode incident = this.warden.get(location).json();
		assertThat(incident.get("status").asString()).isEqualTo("triggered");
		assertThat(incident.get("reopenCount").asInt()).isEqualTo(1);
		assertThat(incident.get("milestones").get("resolvedAt").isNull()).isTrue();
		assertThat(types(incident)).endsWith("incident.reopened", "alert.fired");
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
	}

	@Test
	void opensNewIncidentWhenItsGroupFiresAgainAfterTheWindow() {
		Payloads.Group group = Payloads.group();
		String first = openAndResolve(group);
		this.clock.advance(Duration.ofMinutes(61));

		Response again = this.warden.webhook(group.next().firing("fp-1", this.clock.instant()).json());

		assertThat(again.json().get("outcome").asString()).isEqualTo("opened");
		assertThat(location(again)).isNotEqualTo(first);
		assertThat(this.warden.get(first).json().get("status").asString()).isEqualTo("resolved");
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(2);
	}

	@Test
	void lateResendOfTheFiringNotificationDoesNotReopen() {
		Instant startsAt = this.clock.instant();
		Payloads.Group group = Payloads.group().firing("fp-1", startsAt);
		String location = location(this.warden.webhook(group.json()));
		this.clock.advance(Duration.ofMinutes(2));
		this.warden.webhook(group.next().resolved("fp-1", startsAt, this.clock.instant()).json());
		this.clock.advance(Duration.ofSeconds(2));

		Response late = this.warden.webhook(group.json());

		assertThat(late.json().get("outcome").asString()).isEqualTo("replayed");
		assertThat(this.warden.get(location).json().get("status").asString()).isEqualTo("resolved");
	}

	@Test
	void resendOfAnAlertStillFiringWhenResolvedByHandNeitherReopensNorOpensAnother() {
		Instant startsAt = this.clock.instant();
		Payloads.Group group = Payloads.group().firing("fp-1", startsAt);
		String location = location(this.warden.webhook(group.json()));
		this.warden.post(location + "/resolve", null);
		this.clock.advance(Duration.ofSeconds(2));

		Response haCopy = this.warden.webhook(group.json());
		this.clock.advance(Duration.ofHours(4));
		Response repeatIntervalResend = this.warden.webhook(group.json());

		assertThat(haCopy.json().get("outcome").asString()).isEqualTo("replayed");
		assertThat(repeatIntervalResend.json().get("outcome").asString()).isEqualTo("replayed");
		assertThat(this.warden.get(location).json().get("status").asString()).isEqualTo("resolved");
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, group.key())).isEqualTo(1);
	}

	@Test
	void sameOccurrenceFiringAgainLongAfterItResolvedReopens() {
		Instant startsAt = this.clock.instant();
		Payloads.Group group = Payloads.group().firing("fp-1", startsAt);
		String location = location(this.warden.webhook(group.json()));
		this.clock.advance(Duration.ofMinutes(2));
		this.warden.webhook(group.next().resolved("fp-1", startsAt, this.clock.instant()).json());
		this.clock.advance(Duration.ofMinutes(15));

		Response again = this.warden.webhook(group.json());

		assertThat(again.json().get("outcome").asString()).isEqualTo("reopened");
		assertThat(location(again)).isEqualTo(location);
		assertThat(this.warden.get(location).json().get("alerts").get(0).get("status").asString()).isEqualTo("firing");
	}

	@Test
	void acknowledgesResolvesAndReopensThroughTheApi() {
		String location = location(this.warden.webhook(Payloads.group().firing("fp-1", this.clock.instant()).json()));
		Instant detected = this.clock.instant();
		Instant ackAt = this.clock.advance(Duration.ofMinutes(4));

		Response ack = this.warden.post(location + "/acknowledge", null);

		assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
		assertThat(ack.json().get("status").asString()).isEqualTo("acknowledged");
		assertThat(ack.json().get("milestones").get("acknowledgedAt").asString()).isEqualTo(ackAt.toString());
		assertThat(ack.json().get("milestones").get("acknowledgedBy").asString()).isEqualTo("bootstrap");
		assertThat(Duration.parse(ack.json().get("milestones").get("timeToAcknowledge").asString()))
			.isEqualTo(Duration.between(detected, ackAt));

		this.clock.advance(Duration.ofMinutes(1));
		Response note = this.warden.post(location + "/notes", Map.of("text", "Restarted the primary by hand"));
		assertThat(note.status()).isEqualTo(200);
		assertThat(last(note.json()).get("details").get("text").asString()).isEqualTo("Restarted the primary by hand");

		Response severity = this.warden.post(location + "/severity", Map.of("severity", "critical"));
		assertThat(severity.json().get("severity").asString()).isEqualTo("critical");

		Response resolved = this.warden.post(location + "/resolve", null);
		assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
		assertThat(resolved.json().get("milestones").get("resolvedBy").asString()).isEqualTo("bootstrap");

		Response reopened = this.warden.post(location + "/reopen", null);
		assertThat(reopened.json().get("status").asString()).isEqualTo("triggered");
		assertThat(reopened.json().get("milestones").get("acknowledgedAt").asString())
			.as("the first acknowledgement stays the milestone")
			.isEqualTo(ackAt.toString());
		assertThat(types(reopened.json())).containsExactly("incident.opened", "alert.fired", "incident.acknowledged",
				"incident.note_added", "incident.severity_changed", "incident.resolved", "incident.reopened");
	}

	@Test
	void invalidTransitionsAreConflicts() {
		String location = location(this.warden.webhook(Payloads.group().firing("fp-1", this.clock.instant()).json()));
		assertThat(this.warden.post(location + "/reopen", null).status()).isEqualTo(409);
		this.warden.post(location + "/acknowledge", null);

		Response again = this.warden.post(location + "/acknowledge", null);

		assertThat(again.status()).isEqualTo(409);
		assertThat(again.contentType()).startsWith("application/problem+json");
		assertThat(again.json().get("detail").asString()).contains("is acknowledged and cannot be acknowledged");
		this.warden.post(location + "/resolve", null);
		assertThat(this.warden.post(location + "/resolve", null).status()).isEqualTo(409);
		Response lateAck = this.warden.post(location + "/acknowledge", null);
		assertThat(lateAck.status()).as("a resolve is never undone by a late ack").isEqualTo(409);
		assertThat(this.warden.get(location).json().get("status").asString()).isEqualTo("resolved");
	}

	@Test
	void manualReopenIsRefusedWhileTheGroupHasAnotherOpenIncident() {
		Payloads.Group group = Payloads.group();
		String first = openAndResolve(group);
		this.clock.advance(Duration.ofHours(2));
		this.warden.webhook(group.next().firing("fp-1", this.clock.instant()).json());

		Response reopen = this.warden.post(first + "/reopen", null);

		assertThat(reopen.status()).isEqualTo(409);
		assertThat(reopen.json().get("detail").asString()).contains("already open for the same alert group");
	}

	@Test
	void unknownIncidentIsNotFound() {
		Response response = this.warden.get("/api/v1/incidents/999999999");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
	}

	@Test
	void badRequestsToTheApiSayWhatIsWrong() {
		String location = location(this.warden.webhook(Payloads.group().firing("fp-1", this.clock.instant()).json()));

		assertThat(this.warden.post(location + "/notes", Map.of("text", " ")).status()).isEqualTo(400);
		Response severity = this.warden.post(location + "/severity", Map.of("severity", "apocalyptic"));
		assertThat(severity.status()).isEqualTo(400);
		assertThat(severity.json().get("detail").asString()).contains("'apocalyptic' is not one of");
		assertThat(this.warden.get("/api/v1/incidents?sort=title").status()).isEqualTo(400);
		assertThat(this.warden.get("/api/v1/incidents?size=0").status()).isEqualTo(400);
		assertThat(this.warden.get("/api/v1/incidents?from=yesterday").status()).isEqualTo(400);
		assertThat(this.warden.get("/api/v1/incidents?from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z").status())
			.isEqualTo(400);
		assertThat(this.warden.get("/api/v1/incidents/0").status()).isEqualTo(400);
	}

	@Test
	void listsIncidentsFilteredAndPaged() {
		String service = "svc-" + System.nanoTime();
		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			Payloads.Group group = Payloads.group().firing("fp-" + i, this.clock.instant());
			var payload = group.json();
			((ObjectNode) payload.get("commonLabels")).put("service", service);
			this.warden.webhook(payload);
		}

		JsonNode firstPage = this.warden.get("/api/v1/incidents?service=" + service + "&size=2&status=triggered")
			.json();
		JsonNode secondPage = this.warden.get("/api/v1/incidents?service=" + service + "&size=2&page=1").json();
		JsonNode none = this.warden.get("/api/v1/incidents?service=" + service + "&severity=critical").json();

		assertThat(firstPage.get("totalItems").asLong()).isEqualTo(3);
		assertThat(firstPage.get("items")).hasSize(2);
		assertThat(secondPage.get("items")).hasSize(1);
		assertThat(firstPage.get("items").get(0).get("milestones").get("detectedAt").asString())
			.isGreaterThan(firstPage.get("items").get(1).get("milestones").get("detectedAt").asString());
		assertThat(none.get("totalItems").asLong()).isZero();
	}

	@Test
	void apiNeedsAnApiToken() {
		assertThat(this.warden.getAnonymously("/api/v1/incidents").status()).isEqualTo(401);
		Response withWebhookToken = this.warden.send(HttpRequest.newBuilder(this.warden.uri("/api/v1/incidents"))
			.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN));
		assertThat(withWebhookToken.status()).isEqualTo(401);
		assertThat(withWebhookToken.contentType()).startsWith("application/problem+json");
		assertThat(this.warden.get("/api/v1/incidents").status()).isEqualTo(200);
	}

	private String openAndResolve(Payloads.Group group) {
		Instant startsAt = this.clock.instant();
		String location = location(this.warden.webhook(group.next().firing("fp-1", startsAt).json()));
		this.clock.advance(Duration.ofMinutes(5));
		Response resolved = this.warden.webhook(group.next().resolved("fp-1", startsAt, this.clock.instant()).json());
		assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
		return location;
	}

	private static String location(Response response) {
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		return response.json().get("location").asString();
	}

	private static JsonNode last(JsonNode incident) {
		JsonNode timeline = incident.get("timeline");
		return timeline.get(timeline.size() - 1);
	}

	private static List<String> types(JsonNode incident) {
		return Timelines.incidentTypes(incident);
	}

}
