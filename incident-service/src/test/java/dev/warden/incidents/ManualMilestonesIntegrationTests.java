package dev.warden.incidents;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Milestones a person sets over the API: "mitigated" when they fixed it by hand, and a
 * corrected impact start (with a reason) that later alerts no longer move. Both go on the
 * timeline and to the audit log; bad input is a 400 that changes nothing.
 */
@IntegrationTest
class ManualMilestonesIntegrationTests {

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
	void mitigatedByHandSetsTheMilestoneOnceOnTheTimelineAndInTheAuditLog() {
		long incident = open(this.clock.instant().minusSeconds(120));
		Instant detected = detected(incident);
		this.clock.advance(Duration.ofMinutes(10));
		Instant fixed = detected.plus(Duration.ofMinutes(4));

		Response mitigated = this.warden.post(path(incident, "mitigate"),
				Map.of("at", fixed.toString(), "note", "rolled the model back to v41"));

		assertThat(mitigated.status()).as(mitigated.body()).isEqualTo(200);
		JsonNode milestones = mitigated.json().get("milestones");
		assertThat(milestones.get("mitigatedAt").asString()).isEqualTo(fixed.toString());
		assertThat(Duration.parse(milestones.get("timeToMitigate").asString())).isEqualTo(Duration.ofMinutes(4));
		assertThat(mitigated.json().get("status").asString()).as("mitigated is a milestone, not a status")
			.isEqualTo("triggered");
		JsonNode event = event(mitigated.json(), "incident.mitigated");
		assertThat(event.get("actor").asString()).isEqualTo("bootstrap");
		assertThat(event.get("summary").asString()).isEqualTo("Mitigated: by bootstrap: rolled the model back to v41");
		assertThat(event.get("details").get("mitigatedAt").asString()).isEqualTo(fixed.toString());
		assertThat(audited(incident)).contains("incident.mitigate");

		Response again = this.warden.post(path(incident, "mitigate"), Map.of());
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.json().get("detail").asString()).contains("already mitigated at " + fixed);
		assertThat(events(incident, "incident.mitigated")).isEqualTo(1);
	}

	@Test
	void mitigatedWithoutATimeIsNow() {
		long incident = open(this.clock.instant().minusSeconds(60));
		Instant now = this.clock.advance(Duration.ofMinutes(3));

		Response mitigated = this.warden.post(path(incident, "mitigate"), null);

		assertThat(mitigated.status()).as(mitigated.body()).isEqualTo(200);
		assertThat(mitigated.json().get("milestones").get("mitigatedAt").asString()).isEqualTo(now.toString());
		assertThat(event(mitigated.json(), "incident.mitigated").get("summary").asString())
			.isEqualTo("Mitigated: by bootstrap");
	}

	@Test
	void mitigatedAfterTheResolutionIsAtTheLatestTheResolution() {
		long incident = open(this.clock.instant().minusSeconds(60));
		Instant resolved = this.clock.advance(Duration.ofMinutes(3));
		assertThat(this.warden.post(path(incident, "resolve"), Map.of()).status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(20));

		assertRefused(incident, "mitigate", Map.of("at", resolved.plusSeconds(1).toString()), 400,
				"comes before the resolution");
		Response mitigated = this.warden.post(path(incident, "mitigate"), null);

		assertThat(mitigated.status()).as(mitigated.body()).isEqualTo(200);
		assertThat(mitigated.json().get("milestones").get("mitigatedAt").asString()).isEqualTo(resolved.toString());
		assertThat(mitigated.json().get("status").asString()).isEqualTo("resolved");
	}

	@Test
	void badMitigationsAreRefusedAndChangeNothing() {
		long incident = open(this.clock.instant().minusSeconds(60));
		Instant detected = detected(incident);
		Instant now = this.clock.advance(Duration.ofMinutes(5));

		assertRefused(incident, "mitigate", Map.of("at", now.plusSeconds(60).toString()), 400,
				"cannot be in the future");
		assertRefused(incident, "mitigate", Map.of("at", detected.minusSeconds(1).toString()), 400,
				"comes after detection");
		assertRefused(incident, "mitigate", Map.of("note", "x".repeat(1_001)), 400, "note");
		assertRefused(incident, "mitigate", Map.of("at", "yesterday"), 400, null);
		assertThat(this.warden.post("/api/v1/incidents/999999999/mitigate", Map.of()).status()).isEqualTo(404);

		JsonNode after = this.warden.get(path(incident, "")).json();
		assertThat(after.get("milestones").get("mitigatedAt").isNull()).isTrue();
		assertThat(events(incident, "incident.mitigated")).isZero();
		assertThat(audited(incident)).doesNotContain("incident.mitigate");
	}

	@Test
	void correctedImpactStartStaysWhenEarlierAlertsArrive() {
		Instant firstAlert = this.clock.instant().minusSeconds(300);
		Payloads.Group group = Payloads.group().firing("fp-" + UUID.randomUUID(), firstAlert);
		long incident = this.warden.open(group.json());
		Instant detected = detected(incident);
		Instant reported = firstAlert.minus(Duration.ofMinutes(25));

		Response corrected = this.warden.post(path(incident, "impact-start"),
				Map.of("at", reported.toString(), "reason", "users reported wrong answers from 09:15"));

		assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
		JsonNode milestones = corrected.json().get("milestones");
		assertThat(milestones.get("impactStartedAt").asString()).isEqualTo(reported.toString());
		assertThat(milestones.get("impactStartCorrected").asBoolean()).isTrue();
		assertThat(Duration.parse(milestones.get("timeToDetect").asString()))
			.isEqualTo(Duration.between(reported, detected));
		JsonNode event = event(corrected.json(), "incident.impact_start_corrected");
		assertThat(event.get("details").get("from").asString()).isEqualTo(firstAlert.toString());
		assertThat(event.get("details").get("to").asString()).isEqualTo(reported.toString());
		assertThat(event.get("details").get("reason").asString()).isEqualTo("users reported wrong answers from 09:15");
		assertThat(audited(incident)).contains("incident.impact_start");

		// An alert of the same group that started even earlier: the person's value holds.
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.warden
			.webhook(group.next().firing("fp-" + UUID.randomUUID(), reported.minus(Duration.ofHours(1))).json())
			.status()).isEqualTo(200);
		JsonNode after = this.warden.get(path(incident, "")).json();
		assertThat(after.get("alerts")).hasSize(2);
		assertThat(after.get("milestones").get("impactStartedAt").asString()).isEqualTo(reported.toString());
	}

	@Test
	void impactStartIsNotCorrectedWithoutAReasonOrAfterDetection() {
		Instant firstAlert = this.clock.instant().minusSeconds(60);
		long incident = open(firstAlert);
		Instant detected = detected(incident);

		assertRefused(incident, "impact-start", Map.of("at", detected.minusSeconds(600).toString()), 400, "reason");
		assertRefused(incident, "impact-start", Map.of("at", detected.minusSeconds(600).toString(), "reason", " "), 400,
				"reason");
		assertRefused(incident, "impact-start", Map.of("reason", "no time"), 400, "at");
		assertRefused(incident, "impact-start",
				Map.of("at", detected.minus(Duration.ofDays(367)).toString(), "reason", "a typo in the year"), 400,
				"at most 366 days before detection");
		assertRefused(incident, "impact-start", Map.of("at", "-5000-01-01T00:00:00Z", "reason", "far back"), 400, null);
		assertRefused(incident, "impact-start",
				Map.of("at", detected.plusSeconds(1).toString(), "reason", "after detection"), 400,
				"cannot start after Warden detected it");

		JsonNode after = this.warden.get(path(incident, "")).json();
		assertThat(after.get("milestones").get("impactStartedAt").asString()).isEqualTo(firstAlert.toString());
		assertThat(after.get("milestones").get("impactStartCorrected").asBoolean()).isFalse();
		assertThat(events(incident, "incident.impact_start_corrected")).isZero();
	}

	@Test
	void aReadOnlyTokenCannotSetMilestones() {
		long incident = open(this.clock.instant().minusSeconds(60));
		String reader = this.warden
			.post("/api/v1/tokens", Map.of("name", "milestone-reader-" + UUID.randomUUID().toString().substring(0, 8),
					"scopes", List.of("read")))
			.json()
			.get("token")
			.asString();

		assertThat(postAs(reader, path(incident, "mitigate"), "{}").status()).isEqualTo(403);
		assertThat(postAs(reader, path(incident, "impact-start"),
				"{\"at\":\"%s\",\"reason\":\"reader\"}".formatted(this.clock.instant().minusSeconds(600)))
			.status()).isEqualTo(403);
		assertThat(events(incident, "incident.mitigated")).isZero();
		assertThat(events(incident, "incident.impact_start_corrected")).isZero();
	}

	@Test
	void analyticsUseTheCorrectedImpactStartAndTheMitigationByHand() {
		String service = "svc-manual-" + UUID.randomUUID();
		ObjectNode payload = Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(120))
			.json();
		((ObjectNode) payload.get("commonLabels")).put("service", service);
		((ObjectNode) payload.get("alerts").get(0).get("labels")).put("service", service);
		long incident = this.warden.open(payload);
		Instant detected = detected(incident);
		String analytics = "/api/v1/analytics?service=" + service + "&from=" + detected.minus(Duration.ofHours(1))
				+ "&to=" + detected.plus(Duration.ofHours(1));
		this.clock.advance(Duration.ofMinutes(10));

		JsonNode before = this.warden.get(analytics).json().get("responseTimes").get("overall");
		assertThat(before.get("incidents").asLong()).isEqualTo(1);
		assertThat(before.get("mttd").get("p50").get("seconds").asDouble()).as("from the alert's startsAt")
			.isEqualTo(120.0);
		assertThat(before.get("mttm").get("count").asLong()).isZero();

		assertThat(this.warden
			.post(path(incident, "impact-start"),
					Map.of("at", detected.minus(Duration.ofMinutes(30)).toString(), "reason", "users saw it first"))
			.status()).isEqualTo(200);
		assertThat(this.warden.post(path(incident, "mitigate"), Map.of("at", detected.plusSeconds(240).toString()))
			.status()).isEqualTo(200);

		JsonNode after = this.warden.get(analytics).json().get("responseTimes").get("overall");
		assertThat(after.get("mttd").get("count").asLong()).isEqualTo(1);
		assertThat(after.get("mttd").get("p50").get("seconds").asDouble()).as("from the corrected start")
			.isEqualTo(1800.0);
		assertThat(after.get("mttm").get("count").asLong()).isEqualTo(1);
		assertThat(after.get("mttm").get("mean").get("seconds").asDouble()).isEqualTo(240.0);
		assertThat(after.get("mttm").get("mean").get("iso").asString()).isEqualTo("PT4M");
		String csv = this.warden.get(analytics.replace("/api/v1/analytics?", "/api/v1/analytics/response-times.csv?"))
			.body();
		assertThat(csv.lines().skip(1).findFirst().orElseThrow()).endsWith(",1,1800,1800,1800,1,240,240,240");
	}

	private Response postAs(String token, String path, String json) {
		return this.warden.send(HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private void assertRefused(long incident, String action, Map<String, Object> body, int status, String detail) {
		Response refused = this.warden.post(path(incident, action), body);
		assertThat(refused.status()).as(refused.body()).isEqualTo(status);
		assertThat(refused.contentType()).startsWith("application/problem+json");
		if (detail != null) {
			assertThat(refused.json().get("detail").asString()).contains(detail);
		}
	}

	private long open(Instant startsAt) {
		return this.warden.open(Payloads.group().firing("fp-" + UUID.randomUUID(), startsAt).json());
	}

	private Instant detected(long incident) {
		return Instant.parse(this.warden.get(path(incident, "")).json().get("milestones").get("detectedAt").asString());
	}

	private static String path(long incident, String action) {
		return "/api/v1/incidents/" + incident + (action.isEmpty() ? "" : "/" + action);
	}

	private static JsonNode event(JsonNode incident, String type) {
		return incident.get("timeline")
			.valueStream()
			.filter((event) -> event.get("type").asString().equals(type))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + type + " in " + incident.get("timeline")));
	}

	private long events(long incident, String type) {
		return this.jdbc.sql("select count(*) from timeline_event where incident_id = ? and type = ?")
			.params(incident, type)
			.query(Long.class)
			.single();
	}

	private List<String> audited(long incident) {
		return this.jdbc.sql("select action from audit_event where target = ? order by id")
			.param(new IncidentId(incident).toString())
			.query(String.class)
			.list();
	}

}
