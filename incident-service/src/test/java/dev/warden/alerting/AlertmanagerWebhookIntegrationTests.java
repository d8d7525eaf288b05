package dev.warden.alerting;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
class AlertmanagerWebhookIntegrationTests {

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

	@ParameterizedTest
	@ValueSource(strings = { "firing.json", "grouped-2-alerts.json", "resolved.json" })
	void mapsRealSamplePayloadFieldByField(String sample) {
		ObjectNode payload = Payloads.sampleInOwnGroup(sample, UUID.randomUUID().toString());
		Instant receivedAt = this.clock.advance(Duration.ofSeconds(1));

		Response response = this.warden.webhook(payload);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("outcome").asString()).isEqualTo("opened");
		JsonNode incident = this.warden.get(response.json().get("location").asString()).json();
		assertThat(incident.get("groupKey").asString()).isEqualTo(payload.get("groupKey").asString());
		assertThat(incident.get("receiver").asString()).isEqualTo(payload.get("receiver").asString());
		assertThat(incident.get("externalUrl").asString()).isEqualTo(payload.get("externalURL").asString());
		assertThat(incident.get("groupLabels")).isEqualTo(payload.get("groupLabels"));
		assertThat(incident.get("commonLabels")).isEqualTo(payload.get("commonLabels"));
		assertThat(incident.get("commonAnnotations")).isEqualTo(payload.get("commonAnnotations"));
		assertThat(incident.get("truncatedAlerts").asInt()).isEqualTo(payload.get("truncatedAlerts").asInt());
		assertThat(incident.get("groupStatus").asString()).isEqualTo(payload.get("status").asString());
		assertThat(incident.get("severity").asString()).isEqualTo("critical");
		assertThat(incident.get("service").asString()).isEqualTo("ai-inference-api");
		assertThat(incident.get("milestones").get("detectedAt").asString()).isEqualTo(receivedAt.toString());
		JsonNode alerts = incident.get("alerts");
		assertThat(alerts).hasSize(payload.get("alerts").size());
		for (JsonNode sent : payload.get("alerts")) {
			JsonNode stored = find(alerts, sent.get("fingerprint").asString());
			assertThat(stored.get("status").asString()).isEqualTo(sent.get("status").asString());
			assertThat(stored.get("labels")).isEqualTo(sent.get("labels"));
			assertThat(stored.get("annotations")).isEqualTo(sent.get("annotations"));
			assertThat(stored.get("alertname").asString()).isEqualTo(sent.get("labels").get("alertname").asString());
			assertThat(Instant.parse(stored.get("startsAt").asString()))
				.isEqualTo(Instant.parse(sent.get("startsAt").asString()));
			if (sent.get("endsAt").asString().startsWith("0001-")) {
				assertThat(stored.get("endsAt").isNull()).as("Go zero time means not ended").isTrue();
			}
			else {
				assertThat(Instant.parse(stored.get("endsAt").asString()))
					.isEqualTo(Instant.parse(sent.get("endsAt").asString()));
			}
			assertThat(stored.get("generatorURL").asString()).isEqualTo(sent.get("generatorURL").asString());
			assertThat(stored.get("firstSeenAt").asString()).isEqualTo(receivedAt.toString());
		}
		if (sample.equals("resolved.json")) {
			assertThat(incident.get("status").asString()).as("first seen resolved: opened and resolved at once")
				.isEqualTo("resolved");
		}
		else {
			assertThat(incident.get("title").asString()).isNotBlank();
			assertThat(incident.get("status").asString()).isEqualTo("triggered");
		}
	}

	@Test
	void titleComesFromTheSummaryAnnotation() {
		ObjectNode payload = Payloads.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());

		JsonNode incident = this.warden.get(this.warden.webhook(payload).json().get("location").asString()).json();

		assertThat(incident.get("title").asString()).isEqualTo("Database port 5432 (primary) is down");
	}

	@Test
	void replayedWebhookOpensNoSecondIncident() {
		ObjectNode payload = Payloads.sampleInOwnGroup("grouped-2-alerts.json", UUID.randomUUID().toString());
		String groupKey = payload.get("groupKey").asString();
		Instant first = this.clock.advance(Duration.ofSeconds(1));
		Response opened = this.warden.webhook(payload);
		Instant last = null;
		for (int i = 0; i < 3; i++) {
			last = this.clock.advance(Duration.ofSeconds(5));
			Response replay = this.warden.webhook(payload);
			assertThat(replay.status()).isEqualTo(200);
			assertThat(replay.json().get("outcome").asString()).isEqualTo("attached");
			assertThat(replay.json().get("changedAlerts").asInt()).isZero();
			assertThat(replay.json().get("unchangedAlerts").asInt()).isEqualTo(2);
		}

		assertThat(Rows.incidentsOfGroup(this.jdbc, groupKey)).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, groupKey)).isEqualTo(2);
		// What the webhook itself writes is there at once.
		JsonNode incident = this.warden.get(opened.json().get("location").asString()).json();
		assertThat(incident.get("alerts")).allSatisfy((alert) -> {
			assertThat(alert.get("firstSeenAt").asString()).isEqualTo(first.toString());
			assertThat(alert.get("lastSeenAt").asString()).isEqualTo(this.clock.instant().toString());
		});
		assertThat(incident.get("lastAlertAt").asString()).isEqualTo(last.toString());
		// Both alerts name a runbook this test's (empty) catalog does not have: each says
		// once why it started nothing (the runbooks follower, after the commit), and the
		// replays add nothing.
		incident = this.warden.awaitFollowedUp(opened.json().get("incident").asLong());
		assertThat(types(incident)).containsExactly("incident.opened", "alert.fired", "alert.fired", "runbook.skipped",
				"runbook.skipped");
	}

	@Test
	void resendAfterTheRepeatGapIsOnTheTimelineOnce() {
		Payloads.Group group = Payloads.group().firing("fp-1", this.clock.instant());
		String location = this.warden.webhook(group.json()).json().get("location").asString();
		this.clock.advance(Duration.ofHours(4));
		this.warden.webhook(group.json());
		this.clock.advance(Duration.ofSeconds(1));
		this.warden.webhook(group.json());

		assertThat(types(this.warden.get(location).json())).containsExactly("incident.opened", "alert.fired",
				"alert.repeated");
	}

	@Test
	void acceptsBasicAuthAsAlertmanagerSendsIt() {
		Payloads.Group group = Payloads.group().firing("fp-basic", this.clock.instant());

		Response response = this.warden.webhookWithBasicAuth(group.json(), "alertmanager",
				IntegrationTest.WEBHOOK_PASSWORD);

		assertThat(response.status()).isEqualTo(200);
		assertThat(Rows.incidentsOfGroup(this.jdbc, group.key())).isEqualTo(1);
	}

	@Test
	void ignoresUnknownFields() {
		Payloads.Group group = Payloads.group().firing("fp-unknown", this.clock.instant());
		ObjectNode payload = group.json();
		payload.put("someFutureField", "x");
		((ObjectNode) payload.get("alerts").get(0)).putObject("futureAlertField").put("a", 1);

		assertThat(this.warden.webhook(payload).status()).isEqualTo(200);
	}

	@Test
	void rejectsWebhookWithoutCredentials() {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden.webhook(HttpRequest.newBuilder()
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Payloads.group().firing("fp", Instant.now()).json().toString())));

		assertUnauthorized(response);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer wrong-token", "Bearer " + IntegrationTest.API_TOKEN, "Bearer ",
			"Basic YWxlcnRtYW5hZ2VyOndyb25n", "Basic not-base64!", "Token " + IntegrationTest.WEBHOOK_TOKEN,
			IntegrationTest.WEBHOOK_TOKEN })
	void rejectsWebhookWithWrongCredentials(String authorization) {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden.webhook(HttpRequest.newBuilder()
			.header("Authorization", authorization)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Payloads.group().firing("fp", Instant.now()).json().toString())));

		assertUnauthorized(response);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void rejectsMalformedJsonSayingWhere() {
		Response response = rejected("{\"version\": \"4\", \"groupKey\": ", 400);

		assertThat(response.json().get("detail").asString()).startsWith("Malformed JSON at line 1, column");
	}

	@Test
	void rejectsWrongVersion() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		payload.put("version", "3");

		Response response = rejected(payload.toString(), 400);

		assertThat(fields(response)).containsExactly("version");
		assertThat(response.json().get("detail").asString()).contains("version 4");
	}

	@Test
	void rejectsMissingRequiredFieldsNamingEach() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		payload.remove("groupKey");
		ObjectNode alert = (ObjectNode) payload.get("alerts").get(0);
		alert.remove("fingerprint");
		alert.remove("startsAt");

		Response response = rejected(payload.toString(), 400);

		assertThat(fields(response)).containsExactly("alerts[0].fingerprint", "alerts[0].startsAt", "groupKey");
		assertThat(response.json().get("errors").get(0).get("pointer").asString()).isEqualTo("/alerts/0/fingerprint");
	}

	@Test
	void rejectsEmptyAlertList() {
		ObjectNode payload = Payloads.group().json();

		assertThat(fields(rejected(payload.toString(), 400))).containsExactly("alerts");
	}

	@Test
	void rejectsBadTimestamps() {
		ObjectNode payload = Payloads.group().firing("fp-1", Instant.now()).firing("fp-2", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("startsAt", "2026-13-45T25:00:00Z");
		((ObjectNode) payload.get("alerts").get(1)).put("endsAt", "yesterday");

		Response response = rejected(payload.toString(), 400);

		assertThat(fields(response)).containsExactly("alerts[0].startsAt", "alerts[1].endsAt");
	}

	@Test
	void rejectsWrongTypesSayingWhere() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("labels", "not an object");

		Response response = rejected(payload.toString(), 400);

		assertThat(fields(response)).containsExactly("alerts[0].labels");
		assertThat(response.json().get("detail").asString()).startsWith("Invalid value at alerts[0].labels");
	}

	@Test
	void rejectsUnknownStatus() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("status", "burning");

		assertThat(fields(rejected(payload.toString(), 400))).containsExactly("alerts[0].status");
	}

	@Test
	void rejectsNullLabelValuesInTheGroup() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("groupLabels")).putNull("alertname");
		((ObjectNode) payload.get("commonAnnotations")).putNull("summary");

		assertThat(rejected(payload.toString(), 400).json().get("detail").asString()).contains("groupLabels")
			.contains("commonAnnotations");
	}

	@Test
	void rejectsTheNulCharacterPostgresqlCannotStore() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0).get("annotations")).put("summary", "bad\u0000byte");

		assertThat(rejected(payload.toString(), 400).json().get("detail").asString()).contains("NUL");
	}

	@Test
	void rejectsTimestampsOutsideYearsOneTo9999() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("startsAt", "+100000-01-01T00:00:00Z");

		assertThat(fields(rejected(payload.toString(), 400))).containsExactly("alerts[0].startsAt");
	}

	@Test
	void rejectsFingerprintsThatDifferOnlyInUnpairedSurrogates() {
		// Stored as UTF-8 both would read "fp-x?": one alert twice, which was a 500 (the
		// alert_once_per_incident constraint) that Alertmanager retried for ever.
		ObjectNode payload = Payloads.group().firing("fp-1", Instant.now()).firing("fp-2", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("fingerprint", "fp-xHIGH");
		((ObjectNode) payload.get("alerts").get(1)).put("fingerprint", "fp-xLOW");

		Response response = rejected(payload.toString().replace("HIGH", "\\uD800").replace("LOW", "\\uDC00"), 400);

		assertThat(fields(response)).containsExactly("alerts[0].fingerprint", "alerts[1].fingerprint");
	}

	@Test
	void rejectsUnpairedSurrogatesNamingTheField() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0).get("annotations")).put("summary", "broken LONE text");
		((ObjectNode) payload.get("commonLabels")).put("service", "LONE");

		Response response = rejected(payload.toString().replace("LONE", "\\uDC00"), 400);

		assertThat(fields(response)).containsExactly("alerts[0].annotations[summary]", "commonLabels[service]");
		assertThat(response.json().get("detail").asString()).contains("unpaired UTF-16 surrogate");
	}

	@Test
	void rejectsTimestampsWhoseInstantIsBeforeYearOne() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0)).put("startsAt", "0001-01-01T00:00:00+14:00");

		assertThat(fields(rejected(payload.toString(), 400))).containsExactly("alerts[0].startsAt");
	}

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void repeatedFingerprintIsOneAlertWhoseLatestStateWinsInAnyOrder(boolean latestFirst) {
		Instant earlier = this.clock.instant().minus(Duration.ofHours(2));
		Instant later = this.clock.instant().minus(Duration.ofHours(1));
		Payloads.Group group = Payloads.group();
		if (latestFirst) {
			group.resolved("fp-twice", later, this.clock.instant())
				.firing("fp-twice", later)
				.firing("fp-twice", earlier);
		}
		else {
			group.firing("fp-twice", earlier)
				.firing("fp-twice", later)
				.resolved("fp-twice", later, this.clock.instant());
		}

		Response response = this.warden.webhook(group.json());

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("changedAlerts").asInt()).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, group.key())).isEqualTo(1);
		JsonNode incident = this.warden.get(response.json().get("location").asString()).json();
		JsonNode alert = incident.get("alerts").get(0);
		assertThat(alert.get("status").asString()).isEqualTo("resolved");
		assertThat(Instant.parse(alert.get("startsAt").asString())).isEqualTo(later);
		assertThat(Instant.parse(incident.get("milestones").get("impactStartedAt").asString())).isEqualTo(later);
	}

	@Test
	void acceptsLongGroupKeysAndLabelValues() {
		Payloads.Group group = Payloads.group().firing("fp-long", this.clock.instant());
		ObjectNode payload = group.json();
		String longKey = "{}:{alertname=\"Test\", id=\"" + "k".repeat(10_000) + "\"}";
		payload.put("groupKey", longKey);
		((ObjectNode) payload.get("commonLabels")).put("service", "s".repeat(5_000));

		Response first = this.warden.webhook(payload);
		Response replay = this.warden.webhook(payload);

		assertThat(first.status()).as(first.toString()).isEqualTo(200);
		assertThat(replay.json().get("outcome").asString()).isEqualTo("attached");
		assertThat(Rows.incidentsOfGroup(this.jdbc, longKey)).isEqualTo(1);
		assertThat(this.warden.get(first.json().get("location").asString()).json().get("groupKey").asString())
			.isEqualTo(longKey);
	}

	@Test
	void rejectsWrongContentType() {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden.webhook(HttpRequest.newBuilder()
			.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN)
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(Payloads.group().firing("fp", Instant.now()).json().toString())));

		assertProblem(response, 415);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void rejectsBodyOverTheLimitByContentLength() {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden.webhook(oversized());

		assertProblem(response, 413);
		assertThat(response.json().get("detail").asString()).contains("limit is 65536 bytes");
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void rejectsChunkedBodyOverTheLimitWhileReading() {
		Rows before = Rows.count(this.jdbc);
		byte[] body = oversized().toString().getBytes(StandardCharsets.UTF_8);

		Response response = this.warden.webhook(HttpRequest.newBuilder()
			.header("Authorization", "Bearer " + IntegrationTest.WEBHOOK_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))));

		assertProblem(response, 413);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	private ObjectNode oversized() {
		ObjectNode payload = Payloads.group().firing("fp", Instant.now()).json();
		((ObjectNode) payload.get("alerts").get(0).get("annotations")).put("description", "x".repeat(70_000));
		return payload;
	}

	private Response rejected(String body, int status) {
		Rows before = Rows.count(this.jdbc);
		Response response = this.warden.webhook(body);
		assertProblem(response, status);
		assertThat(Rows.count(this.jdbc)).as("nothing written").isEqualTo(before);
		return response;
	}

	private static void assertUnauthorized(Response response) {
		assertProblem(response, 401);
		assertThat(response.header("WWW-Authenticate")).contains("Bearer");
	}

	private static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
		assertThat(response.json().get("detail").asString()).isNotBlank();
	}

	private static List<String> fields(Response response) {
		return response.json().get("errors").valueStream().map((error) -> error.get("field").asString()).toList();
	}

	static List<String> types(JsonNode incident) {
		return Timelines.incidentTypes(incident);
	}

	private static JsonNode find(JsonNode alerts, String fingerprint) {
		return alerts.valueStream()
			.filter((alert) -> alert.get("fingerprint").asString().equals(fingerprint))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no alert " + fingerprint + " in " + alerts));
	}

}
