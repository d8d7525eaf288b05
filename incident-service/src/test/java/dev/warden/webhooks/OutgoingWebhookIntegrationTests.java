package dev.warden.webhooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.WardenProcess;
import dev.warden.console.ConsoleBrowser;
import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentChange;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.RecordedEvent;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Outgoing webhooks against WireMock standing in for the receivers (a rollback pipeline,
 * a ticket system), on loopback: each delivery is signed as documented (checked here with
 * the test's own HMAC), carries its idempotency key, is retried on 503, timeouts and
 * reset connections until it lands once, fails visibly on a 400, and goes only to
 * subscriptions whose events and label matchers want it; bad subscriptions are refused
 * and nothing is stored.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=webhooks", "db-scheduler.polling-interval=200ms",
		"warden.webhooks.initial-backoff=200ms", "warden.webhooks.max-backoff=1s", "warden.webhooks.give-up-after=10m",
		"warden.notifications.console-url=http://warden.test",
		"WARDEN_WEBHOOK_TEST_FILE_SECRET=" + OutgoingWebhookIntegrationTests.FILE_SECRET,
		"warden.console.admin.username=" + OutgoingWebhookIntegrationTests.ADMIN,
		"warden.console.admin.password=" + OutgoingWebhookIntegrationTests.PASSWORD })
class OutgoingWebhookIntegrationTests {

	static final String FILE_SECRET = "file-secret-0123456789abcdef";

	static final String ADMIN = "webhooks-admin";

	static final String PASSWORD = "webhooks-password-0123";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final WireMockServer receiver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));

	static {
		receiver.start();
	}

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	IncidentService incidents;

	@Autowired
	WebhookFollower follower;

	WardenClient warden;

	/** Unique per test: its subscription's name, path and label value. */
	String id;

	String secret;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.webhooks.file", () -> file("""
				webhooks:
				  - name: file-rollback
				    url: http://127.0.0.1:%d/file-rollback
				    events: [opened]
				    match: ['hook="file"']
				    secret-env: WARDEN_WEBHOOK_TEST_FILE_SECRET
				    timeout: 2s
				""".formatted(receiver.port())).toString());
	}

	/**
	 * Each test's subscription goes with it: one without matchers would take the next
	 * tests' incidents too.
	 */
	@AfterEach
	void unsubscribe() {
		send("DELETE", "/api/v1/webhooks/" + this.id, IntegrationTest.API_TOKEN, null);
	}

	@AfterAll
	static void stop() {
		receiver.stop();
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.id = "hook-" + UUID.randomUUID().toString().substring(0, 8);
		this.secret = "secret-" + UUID.randomUUID();
	}

	@Test
	void signedEventIsDeliveredOnceAfterA503() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), null);
		failFirst(aResponse().withStatus(503).withBody("busy"));

		long incident = this.warden.open(payload(this.id));

		JsonNode delivery = awaitDelivery(incident, "delivered");
		List<LoggedRequest> requests = requests();
		assertThat(requests).hasSize(2);
		String key = "incident:%d:event:%d:webhook:%s".formatted(incident, delivery.get("eventId").asLong(), this.id);
		assertThat(delivery.get("idempotencyKey").asString()).isEqualTo(key);
		assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
		assertThat(delivery.get("attemptLog")).extracting((attempt) -> attempt.get("responseStatus").asInt())
			.containsExactly(503, 200);
		assertThat(delivery.get("attemptLog").get(0).get("error").asString()).isEqualTo("HTTP 503: busy");
		for (LoggedRequest request : requests) {
			assertThat(request.getHeader("Idempotency-Key")).isEqualTo(key);
			assertThat(request.getHeader("X-Warden-Event")).isEqualTo("opened");
			assertThat(request.getHeader("Content-Type")).startsWith("application/json");
			assertSigned(request, this.secret);
		}
		assertThat(requests.get(1).getBodyAsString()).as("every attempt sends the same body")
			.isEqualTo(requests.get(0).getBodyAsString());
		JsonNode body = json.readTree(requests.get(1).getBodyAsString());
		assertThat(body.get("id").asString()).isEqualTo(key);
		assertThat(body.get("event").asString()).isEqualTo("opened");
		assertThat(body.get("subscription").asString()).isEqualTo(this.id);
		assertThat(body.get("actor").asString()).isEqualTo("alertmanager:alertmanager");
		JsonNode about = body.get("incident");
		assertThat(about.get("id").asLong()).isEqualTo(incident);
		assertThat(about.get("ref").asString()).isEqualTo("INC-" + incident);
		assertThat(about.get("title").asString()).isEqualTo("webhook-test-" + this.id);
		assertThat(about.get("status").asString()).isEqualTo("triggered");
		assertThat(about.get("severity").asString()).isNotBlank();
		assertThat(about.get("labels").get("hook").asString()).isEqualTo(this.id);
		assertThat(about.get("labels").get("service").asString()).isEqualTo("ai-inference-api");
		assertThat(about.get("milestones").get("detectedAt").asString()).isNotBlank();
		assertThat(about.get("url").asString()).isEqualTo("http://warden.test/incidents/" + incident);

		// Delivered means done: nothing more is sent.
		WardenProcess.sleep(Duration.ofSeconds(1));
		assertThat(requests()).hasSize(2);
		assertThat(timelineTypes(incident)).contains("webhook.delivered");
	}

	@Test
	void attemptThatTimesOutIsRetriedWithTheSameKey() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), "500ms");
		failFirst(aResponse().withStatus(200).withFixedDelay(1500));

		long incident = this.warden.open(payload(this.id));

		JsonNode delivery = awaitDelivery(incident, "delivered");
		assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
		JsonNode first = delivery.get("attemptLog").get(0);
		assertThat(first.get("responseStatus").isNull()).isTrue();
		assertThat(first.get("error").asString()).contains("no answer within 500 ms");
		List<LoggedRequest> requests = requests();
		assertThat(requests).hasSize(2);
		assertThat(requests.get(0).getHeader("Idempotency-Key"))
			.isEqualTo(requests.get(1).getHeader("Idempotency-Key"));
	}

	@Test
	void resetConnectionIsRetried() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), null);
		failFirst(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

		long incident = this.warden.open(payload(this.id));

		JsonNode delivery = awaitDelivery(incident, "delivered");
		assertThat(delivery.get("attempts").asInt()).isEqualTo(2);
		assertThat(delivery.get("attemptLog").get(0).get("error").asString()).startsWith("connection failed");
		assertThat(requests()).hasSize(2);
	}

	@Test
	void refusalIsAVisiblePermanentFailure() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), null);
		receiver.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(400).withBody("bad payload")));

		long incident = this.warden.open(payload(this.id));

		JsonNode delivery = awaitDelivery(incident, "failed");
		assertThat(delivery.get("attempts").asInt()).isEqualTo(1);
		assertThat(delivery.get("lastError").asString()).isEqualTo("HTTP 400: bad payload");
		assertThat(delivery.get("failedAt").isNull()).isFalse();
		WardenProcess.sleep(Duration.ofSeconds(1));
		assertThat(requests()).as("a 400 is not retried").hasSize(1);
		JsonNode failed = timeline(incident).stream()
			.filter((event) -> event.get("type").asString().equals("webhook.failed"))
			.findFirst()
			.orElseThrow();
		assertThat(failed.get("summary").asString()).contains(this.id, "HTTP 400");
		assertThat(failed.get("details").get("permanent").asBoolean()).isTrue();
	}

	@Test
	void labelMatchersPickTheIncidents() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\"", "service=~\"ai-.*\""), null);
		receiver.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(204)));

		long other = this.warden.open(payload(this.id + "-other"));
		long matching = this.warden.open(payload(this.id));

		awaitDelivery(matching, "delivered");
		assertThat(deliveries(other)).as("an incident the matchers do not match owes nothing").isEmpty();
		assertThat(requests()).hasSize(1);
	}

	@Test
	void onlySubscribedEventsAreDelivered() {
		subscribe(List.of("resolved"), List.of("hook=\"" + this.id + "\""), null);
		receiver.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(200)));

		long incident = this.warden.open(payload(this.id));
		assertThat(deliveries(incident)).as("opened is not subscribed").isEmpty();

		Response resolved = this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of());
		assertThat(resolved.status()).as(resolved.toString()).isEqualTo(200);

		JsonNode delivery = awaitDelivery(incident, "delivered");
		assertThat(delivery.get("event").asString()).isEqualTo("resolved");
		assertThat(deliveries(incident)).hasSize(1);
		JsonNode body = json.readTree(requests().getFirst().getBodyAsString());
		assertThat(body.get("event").asString()).isEqualTo("resolved");
		assertThat(body.get("actor").asString()).as("the API token that resolved it").isEqualTo("bootstrap");
		assertThat(body.get("incident").get("status").asString()).isEqualTo("resolved");
		assertThat(body.get("incident").get("milestones").get("resolvedAt").asString()).isNotBlank();
	}

	@Test
	void replayedFollowUpOwesNothingTwice() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), null);
		receiver.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(200)));
		long incident = this.warden.open(payload(this.id));
		JsonNode delivery = awaitDelivery(incident, "delivered");
		RecordedEvent opened = this.incidents.get(new IncidentId(incident))
			.timeline()
			.stream()
			.filter((event) -> event.type().equals(TimelineEventType.INCIDENT_OPENED))
			.findFirst()
			.orElseThrow();
		IncidentChange change = new IncidentChange(new IncidentId(incident), 1,
				this.incidents.status(new IncidentId(incident)), List.of(opened));

		// A follow-up job run again (after a crash, or by another instance).
		this.follower.follow(change);
		this.follower.follow(change);

		WardenProcess.sleep(Duration.ofSeconds(1));
		assertThat(deliveries(incident)).hasSize(1);
		assertThat(this.jdbc.sql("select count(*) from webhook_delivery where idempotency_key = ?")
			.param(delivery.get("idempotencyKey").asString())
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(requests()).as("one request for the one event").hasSize(1);
	}

	@Test
	void runbookFinishedAndMergedEventsAreDelivered() {
		subscribe(List.of("runbook_finished", "merged"), List.of("hook=\"" + this.id + "\""), null);
		receiver.stubFor(post(urlPathEqualTo(path())).willReturn(aResponse().withStatus(200)));
		long incident = this.warden.open(payload(this.id));
		assertThat(deliveries(incident)).isEmpty();

		// As the runbooks module records a run's end.
		this.incidents.record(new IncidentId(incident),
				new TimelineEntry(new TimelineEventType("runbook.finished"), Actor.SYSTEM,
						"Runbook restart-inference finished: succeeded (alert resolved)",
						Map.of("execution", 7, "outcome", "succeeded", "reason", "alert resolved")));
		// A real merge of another incident into this one.
		long other = this.warden.open(payload("other-" + this.id));
		assertThat(this.warden.post("/api/v1/incidents/" + other + "/merge", Map.of("into", incident)).status())
			.isEqualTo(200);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(deliveries(incident)).extracting((each) -> each.get("status").asString())
				.containsExactly("delivered", "delivered"));
		assertThat(deliveries(incident)).extracting((each) -> each.get("event").asString())
			.containsExactly("runbook_finished", "merged");
		JsonNode finished = requests().stream()
			.map((request) -> json.readTree(request.getBodyAsString()))
			.filter((body) -> body.get("event").asString().equals("runbook_finished"))
			.findFirst()
			.orElseThrow();
		assertThat(finished.get("summary").asString()).contains("restart-inference");
		assertThat(finished.get("details").get("outcome").asString()).isEqualTo("succeeded");
	}

	@Test
	void fileSubscriptionSignsWithTheSecretFromTheEnvironment() {
		receiver.stubFor(post(urlPathEqualTo("/file-rollback")).willReturn(aResponse().withStatus(202)));

		long incident = this.warden.open(payload("file"));

		JsonNode delivery = awaitDelivery(incident, "delivered");
		assertThat(delivery.get("subscription").asString()).isEqualTo("file-rollback");
		LoggedRequest request = receiver.findAll(postRequestedFor(urlPathEqualTo("/file-rollback")))
			.stream()
			.filter((each) -> each.getHeader("Idempotency-Key").equals(delivery.get("idempotencyKey").asString()))
			.findFirst()
			.orElseThrow();
		assertSigned(request, FILE_SECRET);
		JsonNode listed = this.warden.get("/api/v1/webhooks").json();
		assertThat(listed.get("problems").size()).isZero();
		JsonNode file = find(listed, "file-rollback");
		assertThat(file.get("source").asString()).isEqualTo("file");
		assertThat(file.get("events").toString()).isEqualTo("[\"opened\"]");
		assertThat(listed.toString()).doesNotContain(FILE_SECRET);
	}

	@Test
	void secretIsNeverAnsweredListedOrAudited() {
		Response created = subscribe(List.of("opened"), List.of(), "5s");

		assertThat(created.body()).doesNotContain(this.secret).doesNotContain("secret");
		assertThat(created.json().get("source").asString()).isEqualTo("api");
		assertThat(created.json().get("timeout").asString()).isEqualTo("PT5S");
		assertThat(created.json().get("createdBy").asString()).isEqualTo("bootstrap");
		Response listed = this.warden.get("/api/v1/webhooks");
		assertThat(listed.status()).isEqualTo(200);
		assertThat(find(listed.json(), this.id).get("url").asString()).endsWith(path());
		assertThat(listed.body()).doesNotContain(this.secret);
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'webhook.create' and target = ?")
			.param("webhook " + this.id)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("select count(*) from audit_event where coalesce(details::text, '') like ?")
			.param("%" + this.secret + "%")
			.query(Long.class)
			.single()).isZero();

		Response deleted = send("DELETE", "/api/v1/webhooks/" + this.id, IntegrationTest.API_TOKEN, null);
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(find(this.warden.get("/api/v1/webhooks").json(), this.id)).isNull();
		assertThat(send("DELETE", "/api/v1/webhooks/" + this.id, IntegrationTest.API_TOKEN, null).status())
			.isEqualTo(404);
	}

	@Test
	void refusesBadSubscriptionsAndStoresNothing() {
		subscribe(List.of("opened"), List.of(), null);
		long before = count();
		String url = "http://127.0.0.1:" + receiver.port() + "/hooks/x";

		Map<String, String> refused = new LinkedHashMap<>();
		refused.put(body("ftp://127.0.0.1/x", "[\"opened\"]", "[]", "\"" + this.secret + "\""),
				"must be http or https");
		refused.put(body("file:///etc/passwd", "[\"opened\"]", "[]", "\"" + this.secret + "\""),
				"must be http or https");
		refused.put(body("not a url", "[\"opened\"]", "[]", "\"" + this.secret + "\""), "is not a URL");
		refused.put(body("http://user:pw@127.0.0.1/x", "[\"opened\"]", "[]", "\"" + this.secret + "\""),
				"must not hold credentials");
		refused.put(body(url, "[\"exploded\"]", "[]", "\"" + this.secret + "\""), "'exploded' is not an event");
		refused.put(body(url, "[]", "[]", "\"" + this.secret + "\""), "events is missing");
		refused.put(body(url, "[\"opened\"]", "[\"service=~\\\"(\\\"\"]", "\"" + this.secret + "\""),
				"not a valid regular expression");
		refused.put(body(url, "[\"opened\"]", "[\"no operator\"]", "\"" + this.secret + "\""), "match:");
		refused.put(body(url, "[\"opened\"]", "[]", "null"), "secret is missing");
		refused.put(body(url, "[\"opened\"]", "[]", "\"short\""), "16 to 512 characters");
		refused.put("{\"name\":\"Bad Name\",\"url\":\"" + url + "\",\"events\":[\"opened\"],\"secret\":\"" + this.secret
				+ "\"}", "must be lower-case");
		refused.put(
				"{\"name\":\"" + this.id + "-t\",\"url\":\"" + url
						+ "\",\"events\":[\"opened\"],\"timeout\":\"2h\",\"secret\":\"" + this.secret + "\"}",
				"timeout");
		refused.put("{\"name\":\"" + this.id + "-e\",\"url\":\"" + url + "\",\"events\":\"opened\",\"secret\":\""
				+ this.secret + "\"}", "events");
		refused.put("{not json", "Malformed JSON");

		refused.forEach((body, reason) -> {
			Response response = send("POST", "/api/v1/webhooks", IntegrationTest.API_TOKEN, body);
			assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
			assertThat(response.contentType()).startsWith("application/problem+json");
			assertThat(response.json().get("detail").asString()).as(body).contains(reason);
		});
		Response taken = send("POST", "/api/v1/webhooks", IntegrationTest.API_TOKEN, "{\"name\":\"" + this.id
				+ "\",\"url\":\"" + url + "\",\"events\":[\"opened\"],\"secret\":\"" + this.secret + "\"}");
		assertThat(taken.status()).as(taken.toString()).isEqualTo(409);
		Response fileName = send("POST", "/api/v1/webhooks", IntegrationTest.API_TOKEN,
				"{\"name\":\"file-rollback\",\"url\":\"" + url + "\",\"events\":[\"opened\"],\"secret\":\""
						+ this.secret + "\"}");
		assertThat(fileName.status()).as(fileName.toString()).isEqualTo(409);
		assertThat(send("DELETE", "/api/v1/webhooks/file-rollback", IntegrationTest.API_TOKEN, null).status())
			.isEqualTo(409);

		Response issued = this.warden.post("/api/v1/tokens",
				Map.of("name", "not-admin-" + this.id, "scopes", List.of("read", "respond", "automate")));
		String notAdmin = issued.json().get("token").asString();
		Response create = send("POST", "/api/v1/webhooks", notAdmin, "{\"name\":\"" + this.id + "-x\",\"url\":\"" + url
				+ "\",\"events\":[\"opened\"],\"secret\":\"" + this.secret + "\"}");
		assertThat(create.status()).isEqualTo(403);
		assertThat(create.json().get("requiredScope").asString()).isEqualTo("admin");
		assertThat(send("GET", "/api/v1/webhooks", notAdmin, null).status()).isEqualTo(403);
		assertThat(send("DELETE", "/api/v1/webhooks/" + this.id, notAdmin, null).status()).isEqualTo(403);
		assertThat(count()).isEqualTo(before);
		assertThat(find(this.warden.get("/api/v1/webhooks").json(), this.id)).isNotNull();
	}

	@Test
	void incidentPageShowsEachDeliveryAndItsAttempts() {
		subscribe(List.of("opened"), List.of("hook=\"" + this.id + "\""), null);
		failFirst(aResponse().withStatus(502));
		long incident = this.warden.open(payload(this.id));
		long delivery = awaitDelivery(incident, "delivered").get("id").asLong();

		ConsoleBrowser.Page page = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD)
			.get("/incidents/" + incident);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Outgoing webhooks", "id=\"webhook-" + delivery + "\"", this.id, "delivered",
				"1: HTTP 502", "2: HTTP 200");
		assertThat(page.body().indexOf("Outgoing webhooks")).as("just before the notifications")
			.isLessThan(page.body().indexOf("id=\"notifications\""));
	}

	@Test
	void deliveriesOfAnUnknownIncidentAre404() {
		Response response = this.warden.get("/api/v1/incidents/987654321/webhooks");
		Response zero = this.warden.get("/api/v1/incidents/0/webhooks");

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(zero.status()).isEqualTo(404);
	}

	private Response subscribe(List<String> events, List<String> match, String timeout) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("name", this.id);
		request.put("url", "http://127.0.0.1:" + receiver.port() + path());
		request.put("events", events);
		request.put("match", match);
		request.put("secret", this.secret);
		if (timeout != null) {
			request.put("timeout", timeout);
		}
		Response created = this.warden.post("/api/v1/webhooks", request);
		assertThat(created.status()).as(created.toString()).isEqualTo(201);
		return created;
	}

	private String body(String url, String events, String match, String secret) {
		return "{\"name\":\"%s-%s\",\"url\":\"%s\",\"events\":%s,\"match\":%s,\"secret\":%s}".formatted(this.id,
				UUID.randomUUID().toString().substring(0, 4), url, events, match, secret);
	}

	/** The receiver fails the first request as given, then answers 200. */
	private void failFirst(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
		receiver.stubFor(post(urlPathEqualTo(path())).inScenario(this.id)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(first)
			.willSetStateTo("up"));
		receiver.stubFor(post(urlPathEqualTo(path())).inScenario(this.id)
			.whenScenarioStateIs("up")
			.willReturn(aResponse().withStatus(200)));
	}

	private String path() {
		return "/hooks/" + this.id;
	}

	private List<LoggedRequest> requests() {
		return receiver.findAll(postRequestedFor(urlPathEqualTo(path())));
	}

	/** An Alertmanager payload of a new group whose alerts are labelled hook=value. */
	private ObjectNode payload(String hook) {
		ObjectNode payload = Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant())
			.summary("webhook-test-" + hook)
			.json();
		((ObjectNode) payload.get("commonLabels")).put("hook", hook);
		payload.get("alerts").forEach((alert) -> ((ObjectNode) alert.get("labels")).put("hook", hook));
		return payload;
	}

	/** The incident's deliveries to this test's subscription, or to the file's. */
	private List<JsonNode> deliveries(long incident) {
		Response response = this.warden.get("/api/v1/incidents/" + incident + "/webhooks");
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		List<JsonNode> deliveries = new ArrayList<>();
		response.json().forEach((delivery) -> {
			String subscription = delivery.get("subscription").asString();
			if (subscription.equals(this.id) || subscription.equals("file-rollback")) {
				deliveries.add(delivery);
			}
		});
		return deliveries;
	}

	private JsonNode awaitDelivery(long incident, String status) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> deliveries(incident).stream()
				.anyMatch((delivery) -> delivery.get("status").asString().equals(status)));
		return deliveries(incident).stream()
			.filter((delivery) -> delivery.get("status").asString().equals(status))
			.findFirst()
			.orElseThrow();
	}

	private List<JsonNode> timeline(long incident) {
		List<JsonNode> events = new ArrayList<>();
		this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").forEach(events::add);
		return events;
	}

	private List<String> timelineTypes(long incident) {
		return timeline(incident).stream().map((event) -> event.get("type").asString()).toList();
	}

	private long count() {
		return this.jdbc.sql("select count(*) from webhook_subscription").query(Long.class).single();
	}

	private Response send(String method, String path, String token, String body) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.warden.uri(path))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		return this.warden.send(request);
	}

	private static JsonNode find(JsonNode listing, String name) {
		for (JsonNode subscription : listing.get("subscriptions")) {
			if (subscription.get("name").asString().equals(name)) {
				return subscription;
			}
		}
		return null;
	}

	/** Checks the signature as a receiver would, with this test's own HMAC. */
	private static void assertSigned(LoggedRequest request, String secret) {
		String timestamp = request.getHeader("X-Warden-Timestamp");
		assertThat(timestamp).matches("\\d{10}");
		String expected;
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			byte[] signed = (timestamp + "." + new String(request.getBody(), StandardCharsets.UTF_8))
				.getBytes(StandardCharsets.UTF_8);
			expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(signed));
		}
		catch (GeneralSecurityException ex) {
			throw new AssertionError(ex);
		}
		assertThat(request.getHeader("X-Warden-Signature")).isEqualTo(expected);
	}

	private static Path file(String content) {
		try {
			Path file = Files.createTempFile("webhooks-", ".yaml");
			Files.writeString(file, content);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
