package dev.warden.alerting;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grafana's webhook contact point through the real HTTP stack into PostgreSQL, with
 * bodies in the shape Grafana documents: the same grouping, idempotency, credentials and
 * refusals as the Alertmanager webhook, and Grafana's values and links kept per alert.
 */
@IntegrationTest
class GrafanaWebhookIntegrationTests {

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
	void firingBodyOpensAnIncidentKeepingValuesAndLinks() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		Instant receivedAt = this.clock.advance(Duration.ofSeconds(1));

		Response response = GrafanaBodies.post(this.warden, body);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("outcome").asString()).isEqualTo("opened");
		JsonNode incident = this.warden.get(response.json().get("location").asString()).json();
		assertThat(incident.get("groupKey").asString()).isEqualTo("grafana:1:" + body.get("groupKey").asString());
		assertThat(incident.get("title").asString()).isEqualTo("GPU 0 memory above 95%");
		assertThat(incident.get("status").asString()).isEqualTo("triggered");
		assertThat(incident.get("severity").asString()).isEqualTo("critical");
		assertThat(incident.get("service").asString()).isEqualTo("ai-inference-api");
		assertThat(incident.get("receiver").asString()).isEqualTo("warden");
		assertThat(incident.get("externalUrl").asString()).isEqualTo("http://grafana.example.internal:3000/");
		assertThat(incident.get("commonLabels")).isEqualTo(body.get("commonLabels"));
		assertThat(incident.get("milestones").get("detectedAt").asString()).isEqualTo(receivedAt.toString());
		JsonNode sent = body.get("alerts").get(0);
		JsonNode alert = incident.get("alerts").get(0);
		assertThat(alert.get("fingerprint").asString()).isEqualTo(sent.get("fingerprint").asString());
		assertThat(alert.get("status").asString()).isEqualTo("firing");
		assertThat(alert.get("labels")).isEqualTo(sent.get("labels"));
		assertThat(alert.get("annotations")).isEqualTo(sent.get("annotations"));
		assertThat(Instant.parse(alert.get("startsAt").asString()))
			.isEqualTo(Instant.parse("2026-11-22T20:51:03.157076Z"));
		assertThat(alert.get("endsAt").isNull()).isTrue();
		assertThat(alert.get("generatorURL").asString()).isEqualTo(sent.get("generatorURL").asString());
		JsonNode grafana = alert.get("grafana");
		assertThat(numbers(grafana.get("values"))).isEqualTo(Map.of("B", 97.31250762939453, "C", 1.0));
		assertThat(grafana.get("valueString").asString()).isEqualTo(sent.get("valueString").asString());
		assertThat(grafana.get("dashboardURL").asString()).isEqualTo(sent.get("dashboardURL").asString());
		assertThat(grafana.get("panelURL").asString()).isEqualTo(sent.get("panelURL").asString());
		assertThat(grafana.get("silenceURL").asString()).isEqualTo(sent.get("silenceURL").asString());
		assertThat(grafana.get("imageURL").isNull()).isTrue();
		// Kept in PostgreSQL, not only in the answer.
		Map<String, Object> row = this.jdbc
			.sql("select grafana_values::text as v, dashboard_url, panel_url from alert where fingerprint = ?")
			.param(sent.get("fingerprint").asString())
			.query()
			.singleRow();
		assertThat(row.get("v").toString()).contains("\"B\": 97.31250762939453").contains("\"C\": 1");
		assertThat(row.get("panel_url")).isEqualTo(sent.get("panelURL").asString());
		JsonNode fired = this.warden.awaitFollowedUp(response.json().get("incident").asLong())
			.get("timeline")
			.valueStream()
			.filter((event) -> event.get("type").asString().equals("alert.fired"))
			.findFirst()
			.orElseThrow();
		assertThat(fired.get("details").get("values").asString()).isEqualTo("B=97.31250762939453, C=1");
	}

	@Test
	void resolvedBodyResolvesTheAlertAndKeepsItsLastValues() {
		String suffix = UUID.randomUUID().toString();
		this.clock.advance(Duration.ofSeconds(1));
		Response opened = GrafanaBodies.post(this.warden, GrafanaBodies.sampleInOwnGroup("firing.json", suffix));
		this.clock.advance(Duration.ofSeconds(30));

		Response resolved = GrafanaBodies.post(this.warden, GrafanaBodies.sampleInOwnGroup("resolved.json", suffix));

		assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);
		assertThat(resolved.json().get("incident").asLong()).isEqualTo(opened.json().get("incident").asLong());
		assertThat(resolved.json().get("changedAlerts").asInt()).isEqualTo(1);
		assertThat(resolved.json().get("status").asString()).isEqualTo("resolved");
		JsonNode incident = this.warden.get(resolved.json().get("location").asString()).json();
		assertThat(incident.get("alerts")).hasSize(1);
		JsonNode alert = incident.get("alerts").get(0);
		assertThat(alert.get("status").asString()).isEqualTo("resolved");
		assertThat(Instant.parse(alert.get("endsAt").asString()))
			.isEqualTo(Instant.parse("2026-11-22T21:04:33.157076Z"));
		assertThat(alert.get("grafana").get("values").get("B").asDouble()).isEqualTo(61.5);
		assertThat(incident.get("status").asString()).isEqualTo("resolved");
	}

	@Test
	void multiAlertBodyPutsEachAlertWithItsOwnValuesOnOneIncident() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("two-alerts.json", UUID.randomUUID().toString());

		Response response = GrafanaBodies.post(this.warden, body);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.json().get("changedAlerts").asInt()).isEqualTo(2);
		assertThat(Rows.incidentsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(body))).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(body))).isEqualTo(2);
		JsonNode alerts = this.warden.get(response.json().get("location").asString()).json().get("alerts");
		for (JsonNode sent : body.get("alerts")) {
			JsonNode stored = find(alerts, sent.get("fingerprint").asString());
			assertThat(stored.get("labels")).isEqualTo(sent.get("labels"));
			assertThat(numbers(stored.get("grafana").get("values"))).isEqualTo(numbers(sent.get("values")));
			assertThat(stored.get("grafana").get("valueString").asString())
				.isEqualTo(sent.get("valueString").asString());
			assertThat(stored.get("grafana").get("dashboardURL").isNull()).as("Grafana's empty string: no link")
				.isTrue();
		}
	}

	@Test
	void bodyWithoutTheOptionalFieldsIsTakenIn() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("minimal.json", UUID.randomUUID().toString());

		Response response = GrafanaBodies.post(this.warden, body);

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		JsonNode incident = this.warden.get(response.json().get("location").asString()).json();
		assertThat(incident.get("groupKey").asString()).as("no orgId")
			.isEqualTo("grafana:" + body.get("groupKey").asString());
		assertThat(incident.get("title").asString()).isEqualTo("DatasourceNoData");
		JsonNode grafana = incident.get("alerts").get(0).get("grafana");
		assertThat(grafana.get("values").isEmpty()).isTrue();
		assertThat(grafana.get("valueString").isNull()).isTrue();
		assertThat(grafana.get("silenceURL").isNull()).isTrue();
	}

	@Test
	void sameBodyAgainOpensNothingAndChangesNothingButLastSeen() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("two-alerts.json", UUID.randomUUID().toString());
		this.clock.advance(Duration.ofSeconds(1));
		Response opened = GrafanaBodies.post(this.warden, body);
		Rows.awaitFollowUps(this.jdbc);
		long events = events(opened);

		for (int i = 0; i < 3; i++) {
			this.clock.advance(Duration.ofSeconds(5));
			Response replay = GrafanaBodies.post(this.warden, body);
			assertThat(replay.status()).isEqualTo(200);
			assertThat(replay.json().get("outcome").asString()).isEqualTo("attached");
			assertThat(replay.json().get("incident").asLong()).isEqualTo(opened.json().get("incident").asLong());
			assertThat(replay.json().get("changedAlerts").asInt()).isZero();
			assertThat(replay.json().get("unchangedAlerts").asInt()).isEqualTo(2);
		}

		assertThat(Rows.incidentsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(body))).isEqualTo(1);
		assertThat(Rows.alertsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(body))).isEqualTo(2);
		assertThat(events(opened)).as("no timeline event for a resend").isEqualTo(events);
		JsonNode incident = this.warden.get(opened.json().get("location").asString()).json();
		assertThat(incident.get("alerts")).allSatisfy(
				(alert) -> assertThat(alert.get("lastSeenAt").asString()).isEqualTo(this.clock.instant().toString()));
	}

	@Test
	void resendWithNewValuesKeepsTheLatestValuesWithoutAnEvent() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		Response opened = GrafanaBodies.post(this.warden, body);
		Rows.awaitFollowUps(this.jdbc);
		long events = events(opened);
		((ObjectNode) body.get("alerts").get(0).get("values")).put("B", 98.5);
		this.clock.advance(Duration.ofSeconds(5));

		Response resent = GrafanaBodies.post(this.warden, body);

		assertThat(resent.json().get("changedAlerts").asInt()).isZero();
		JsonNode alert = this.warden.get(opened.json().get("location").asString()).json().get("alerts").get(0);
		assertThat(alert.get("grafana").get("values").get("B").asDouble()).isEqualTo(98.5);
		assertThat(events(opened)).isEqualTo(events);
	}

	@Test
	void alertsOfOneGroupKeyShareAnIncidentAndOtherKeysOrgsAndAlertmanagerDoNot() {
		String suffix = UUID.randomUUID().toString();
		ObjectNode first = GrafanaBodies.sampleInOwnGroup("firing.json", suffix);
		ObjectNode second = GrafanaBodies.sampleInOwnGroup("firing.json", suffix);
		((ObjectNode) second.get("alerts").get(0)).put("fingerprint", "second-" + suffix);
		((ObjectNode) second.get("alerts").get(0).get("labels")).put("gpu", "1");
		ObjectNode otherKey = GrafanaBodies.sampleInOwnGroup("firing.json", suffix + "-other");
		ObjectNode otherOrg = GrafanaBodies.sampleInOwnGroup("firing.json", suffix);
		otherOrg.put("orgId", 2);
		ObjectNode alertmanager = Payloads.sampleInOwnGroup("firing.json", suffix);
		alertmanager.put("groupKey", first.get("groupKey").asString());

		long incident = GrafanaBodies.post(this.warden, first).json().get("incident").asLong();
		Response attached = GrafanaBodies.post(this.warden, second);
		long elsewhere = GrafanaBodies.post(this.warden, otherKey).json().get("incident").asLong();
		long inOrg2 = GrafanaBodies.post(this.warden, otherOrg).json().get("incident").asLong();
		long fromAlertmanager = this.warden.webhook(alertmanager).json().get("incident").asLong();

		assertThat(attached.json().get("outcome").asString()).isEqualTo("attached");
		assertThat(attached.json().get("incident").asLong()).isEqualTo(incident);
		assertThat(Rows.alertsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(first))).isEqualTo(2);
		assertThat(List.of(elsewhere, inOrg2, fromAlertmanager)).doesNotContain(incident).doesNotHaveDuplicates();
		assertThat(this.warden.get("/api/v1/incidents/" + inOrg2).json().get("groupKey").asString())
			.isEqualTo("grafana:2:" + first.get("groupKey").asString());
	}

	@Test
	void acceptsBasicAuthAsTheContactPointSendsIt() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());

		Response response = GrafanaBodies.post(this.warden, body.toString(),
				"Basic " + basic("grafana:" + IntegrationTest.GRAFANA_PASSWORD));

		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(Rows.incidentsOfGroup(this.jdbc, GrafanaBodies.storedGroupKey(body))).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer " + IntegrationTest.WEBHOOK_TOKEN,
			"Basic " + "YWxlcnRtYW5hZ2VyOnRlc3Qtd2ViaG9vay1wYXNzd29yZA==", "Bearer " + IntegrationTest.API_TOKEN,
			"Bearer wrong-token", "Bearer ", "Basic Z3JhZmFuYTp3cm9uZw==", "Basic not-base64!",
			"Token " + IntegrationTest.GRAFANA_TOKEN, IntegrationTest.GRAFANA_TOKEN, "" })
	void refusesOtherCredentialsAlertmanagersAmongThem(String authorization) {
		Rows before = Rows.count(this.jdbc);
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());

		Response response = GrafanaBodies.post(this.warden, body.toString(),
				authorization.isEmpty() ? null : authorization);

		assertProblem(response, 401);
		assertThat(response.header("WWW-Authenticate")).contains("Bearer").contains("Basic");
		assertThat(response.json().get("detail").asString()).contains("Grafana");
		assertThat(Rows.count(this.jdbc)).as("nothing written").isEqualTo(before);
	}

	@Test
	void grafanasCredentialsDoNotOpenTheAlertmanagerWebhook() {
		Rows before = Rows.count(this.jdbc);
		String body = Payloads.sampleInOwnGroup("firing.json", UUID.randomUUID().toString()).toString();

		for (String authorization : List.of("Bearer " + IntegrationTest.GRAFANA_TOKEN,
				"Basic " + basic("grafana:" + IntegrationTest.GRAFANA_PASSWORD))) {
			Response response = this.warden.webhook(HttpRequest.newBuilder()
				.header("Authorization", authorization)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body)));
			assertProblem(response, 401);
		}
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void grafanaBodyPostedToTheAlertmanagerWebhookIsToldWhereToGo() {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden
			.webhook(GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString()));

		assertProblem(response, 400);
		assertThat(response.json().get("detail").asString()).contains("/api/v1/alerts/grafana");
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	static Stream<Arguments> malformedBodies() {
		return Stream.of(arguments("Alertmanager's version", (body) -> body.put("version", "4"), "version"),
				arguments("no version", (body) -> body.remove("version"), "version"),
				arguments("no groupKey", (body) -> body.remove("groupKey"), "groupKey"),
				arguments("no alerts", (body) -> body.remove("alerts"), "alerts"),
				arguments("empty alerts", (body) -> body.putArray("alerts"), "alerts"),
				arguments("alerts not a list", (body) -> body.put("alerts", "firing"), "alerts"),
				arguments("a null alert", (body) -> body.withArray("alerts").addNull(), "alerts[1]"),
				arguments("Grafana's state as a status", (body) -> body.put("status", "alerting"), "status"),
				arguments("an alert's status pending", (body) -> alert(body).put("status", "pending"),
						"alerts[0].status"),
				arguments("no labels", (body) -> alert(body).remove("labels"), "alerts[0].labels"),
				arguments("no fingerprint", (body) -> alert(body).remove("fingerprint"), "alerts[0].fingerprint"),
				arguments("no startsAt", (body) -> alert(body).remove("startsAt"), "alerts[0].startsAt"),
				arguments("startsAt not a time", (body) -> alert(body).put("startsAt", "an hour ago"),
						"alerts[0].startsAt"),
				arguments("values a string", (body) -> alert(body).put("values", "B=97"), "alerts[0].values"),
				arguments("values a list", (body) -> alert(body).putArray("values").add(97), "alerts[0].values"),
				arguments("a value an object", (body) -> values(body).putObject("B").put("value", 97),
						"alerts[0].values.B"),
				arguments("a value a word", (body) -> values(body).put("B", "high"), "alerts[0].values.B"),
				arguments("a value null", (body) -> values(body).putNull("B"), "alerts[0].values[B]"),
				arguments("a value NaN", (body) -> values(body).put("B", "NaN"), "alerts[0].values[B]"),
				arguments("a value infinite", (body) -> values(body).put("B", "Infinity"), "alerts[0].values[B]"),
				arguments("a blank refId", (body) -> values(body).put(" ", 1), "alerts[0].values[ ]"),
				arguments("too many values",
						(body) -> java.util.stream.IntStream.range(0, 101).forEach((i) -> values(body).put("R" + i, i)),
						"alerts[0].values"),
				arguments("a link too long",
						(body) -> alert(body).put("dashboardURL", "https://grafana.example/" + "d".repeat(9000)),
						"alerts[0].dashboardURL"),
				arguments("a NUL in a link", (body) -> alert(body).put("panelURL", "https://grafana.example/\u0000"),
						"alerts[0].panelURL"),
				arguments("a NUL in the valueString", (body) -> alert(body).put("valueString", "[ value=1 \u0000]"),
						"alerts[0].valueString"),
				arguments("orgId negative", (body) -> body.put("orgId", -1), "orgId"),
				arguments("orgId a word", (body) -> body.put("orgId", "main"), "orgId"),
				arguments("labels a list", (body) -> alert(body).putArray("labels"), "alerts[0].labels"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedBodies")
	void refusesMalformedBodiesSayingWhereAndWritingNothing(String name, Consumer<ObjectNode> breaks, String field) {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		String group = GrafanaBodies.storedGroupKey(body);
		breaks.accept(body);

		Response response = refused(body.toString(), 400);

		assertThat(fields(response)).as(response.toString()).contains(field);
		assertThat(Rows.incidentsOfGroup(this.jdbc, group)).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "null", "[]", "42", "{", "{\"version\": \"1\", \"groupKey\": ",
			"{\"version\":\"1\",\"alerts\":[{}]}", "{\"a\":NaN}", "\"version\"" })
	void refusesBodiesThatAreNoGrafanaBody(String body) {
		refused(body, 400);
	}

	@Test
	void refusesWrongContentType() {
		Rows before = Rows.count(this.jdbc);

		Response response = this.warden.send(HttpRequest.newBuilder(this.warden.uri(GrafanaBodies.PATH))
			.header("Authorization", "Bearer " + IntegrationTest.GRAFANA_TOKEN)
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString(GrafanaBodies.sample("firing.json").toString())));

		assertProblem(response, 415);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void refusesBodiesOverItsLimitWhetherTheLengthIsSaidOrNot() {
		Rows before = Rows.count(this.jdbc);
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		alert(body).put("valueString", "x".repeat(70_000));
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);

		Response withLength = GrafanaBodies.post(this.warden, body.toString(),
				"Bearer " + IntegrationTest.GRAFANA_TOKEN);
		Response chunked = this.warden.send(HttpRequest.newBuilder(this.warden.uri(GrafanaBodies.PATH))
			.header("Authorization", "Bearer " + IntegrationTest.GRAFANA_TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));

		assertProblem(withLength, 413);
		assertThat(withLength.json().get("detail").asString()).contains("limit is 65536 bytes");
		assertProblem(chunked, 413);
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	private Response refused(String body, int status) {
		Rows before = Rows.count(this.jdbc);
		Response response = GrafanaBodies.post(this.warden, body, "Bearer " + IntegrationTest.GRAFANA_TOKEN);
		assertProblem(response, status);
		assertThat(Rows.count(this.jdbc)).as("nothing written").isEqualTo(before);
		return response;
	}

	/** The incident's alert events: background jobs append events of their own. */
	private long events(Response webhook) {
		return this.jdbc.sql("select count(*) from timeline_event where incident_id = ? and type like 'alert.%'")
			.param(webhook.json().get("incident").asLong())
			.query(Long.class)
			.single();
	}

	private static Arguments arguments(String name, Consumer<ObjectNode> breaks, String field) {
		return Arguments.of(name, breaks, field);
	}

	private static ObjectNode alert(ObjectNode body) {
		return (ObjectNode) body.get("alerts").get(0);
	}

	private static ObjectNode values(ObjectNode body) {
		return (ObjectNode) alert(body).get("values");
	}

	private static Map<String, Double> numbers(JsonNode values) {
		Map<String, Double> numbers = new java.util.TreeMap<>();
		values.properties().forEach((entry) -> numbers.put(entry.getKey(), entry.getValue().asDouble()));
		return numbers;
	}

	private static String basic(String credentials) {
		return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertProblem(Response response, int status) {
		assertThat(response.status()).as(response.toString()).isEqualTo(status);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("status").asInt()).isEqualTo(status);
		assertThat(response.json().get("detail").asString()).isNotBlank();
	}

	private static List<String> fields(Response response) {
		JsonNode errors = response.json().get("errors");
		return (errors != null) ? errors.valueStream().map((error) -> error.get("field").asString()).toList()
				: List.of();
	}

	private static JsonNode find(JsonNode alerts, String fingerprint) {
		return alerts.valueStream()
			.filter((alert) -> alert.get("fingerprint").asString().equals(fingerprint))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no alert " + fingerprint + " in " + alerts));
	}

}
