package dev.warden.notifications;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.WardenProcess;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slack delivery against WireMock standing in for the Web API: one message per incident,
 * updated on change, with replies in its thread; Slack's rate limits, outages, reset
 * connections and slow answers end in exactly one delivered message or a visibly failed
 * one, and the webhook does not wait for Slack.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=slack", "warden.slack.bot-token=xoxb-test-token",
		"warden.slack.timeout=1s", "warden.slack.channel-interval=50ms", "warden.notifications.give-up-after=10m",
		"warden.notifications.initial-backoff=1s", "warden.notifications.max-backoff=2s",
		"warden.notifications.console-url=http://warden.test" })
class SlackNotificationIntegrationTests {

	private static final SlackApi slack = new SlackApi();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Deliveries deliveries;

	WardenClient warden;

	/** Unique per test: the incident's title, so stubs and lookups can match it. */
	String title;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NotificationFiles.register(registry, slack);
	}

	@AfterAll
	static void stop() {
		slack.close();
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.title = "slack-test-" + UUID.randomUUID();
		slack.reset();
	}

	@Test
	void postsOneMessagePerIncidentUpdatesItOnChangeAndRepliesInItsThread() {
		Payloads.Group group = group();
		long incident = open(group);

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		List<Map<String, String>> posts = slack.posts(encoded(this.title));
		assertThat(posts).hasSize(1);
		Map<String, String> post = posts.getFirst();
		assertThat(post.get("channel")).isEqualTo("#it-oncall");
		assertThat(post.get("text")).contains(this.title).contains("#" + incident);
		assertThat(post.get("blocks")).contains("warden_acknowledge")
			.contains("warden_resolve")
			.contains("http://warden.test/incidents/" + incident);
		assertThat(post.get("metadata")).contains("incident:" + incident + ":slack:#it-oncall:message");
		String ts = this.jdbc.sql("select ts from slack_thread where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single();

		// Alertmanager's resend changes nothing: no second message.
		assertThat(this.warden.webhook(group.json()).status()).isEqualTo(200);

		Response ack = this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of());
		assertThat(ack.status()).as(ack.toString()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(slack.calls("chat.update")).anySatisfy((update) -> {
				assertThat(update.get("ts")).isEqualTo(ts);
				assertThat(update.get("channel")).isEqualTo("C0CHANNEL");
				assertThat(update.get("text")).contains("acknowledged");
				assertThat(update.get("blocks")).doesNotContain("warden_acknowledge").contains("warden_resolve");
			});
			assertThat(slack.calls("chat.postMessage")).anySatisfy((reply) -> {
				assertThat(reply.get("thread_ts")).isEqualTo(ts);
				assertThat(reply.get("text")).contains("Acknowledged by");
			});
		});
		assertThat(slack.posts(encoded(this.title))).as("one message for the incident").hasSize(1);
		assertThat(timelineTypes(incident)).contains("incident.routed", "notification.sent");
	}

	@Test
	void declaredIncidentIsRoutedPostedAndEscalatedLikeAnAlertsIncident() {
		Map<String, Object> declaration = Map.of("title", this.title, "severity", "high", "description",
				"Users report answers citing the wrong documents", "labels", Map.of("escalate", "yes"));

		Response declared = this.warden.post("/api/v1/incidents", declaration);

		assertThat(declared.status()).as(declared.toString()).isEqualTo(201);
		long incident = declared.json().get("id").asLong();
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		List<Map<String, String>> posts = slack.posts(encoded(this.title));
		assertThat(posts).hasSize(1);
		assertThat(posts.getFirst().get("channel")).isEqualTo("#it-oncall");
		assertThat(posts.getFirst().get("blocks")).contains("Declared by", "bootstrap",
				"Users report answers citing the wrong documents", "warden_acknowledge", "warden_mitigate");
		// The route for escalate="yes" names the team and runs it-policy, whose first
		// level pages alice at once.
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(timelineTypes(incident)).contains("incident.routed", "incident.escalated"));
		JsonNode detail = this.warden.get("/api/v1/incidents/" + incident).json();
		assertThat(detail.get("team").asString()).isEqualTo("it-team");
		assertThat(detail.get("severity").asString()).isEqualTo("high");
		assertThat(timeline(incident).stream()
			.filter((event) -> event.get("type").asString().equals("incident.escalated"))
			.findFirst()
			.orElseThrow()
			.get("details")
			.get("users")
			.toString()).contains("alice");
	}

	@Test
	void mergeIsSaidOnceInEachIncidentsThreadAndTheMergedCardShowsItResolved() {
		long target = open(group());
		String sourceTitle = this.title + "-merged";
		long source = this.warden.open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(sourceTitle)
			.json());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> status(target, "slack.message").equals("sent")
					&& status(source, "slack.message").equals("sent"));
		String targetTs = threadTs(target);
		String sourceTs = threadTs(source);

		Response merged = this.warden.post("/api/v1/incidents/" + source + "/merge", Map.of("into", target));
		assertThat(merged.status()).as(merged.toString()).isEqualTo(200);

		String into = "Merged into INC-" + target;
		String here = "INC-" + source + " merged into this incident";
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			assertThat(replies(sourceTs)).anySatisfy((reply) -> assertThat(reply.get("text")).contains(into));
			assertThat(replies(targetTs)).anySatisfy((reply) -> assertThat(reply.get("text")).contains(here));
			assertThat(slack.calls("chat.update")).anySatisfy((update) -> {
				assertThat(update.get("ts")).isEqualTo(sourceTs);
				assertThat(update.get("text")).contains("resolved");
			});
		});
		this.warden.awaitFollowedUp(source);
		this.warden.awaitFollowedUp(target);
		assertThat(replies(sourceTs).stream().filter((reply) -> reply.get("text").contains(into))).hasSize(1);
		assertThat(replies(targetTs).stream().filter((reply) -> reply.get("text").contains(here))).hasSize(1);
		assertThat(slack.posts(encoded(sourceTitle)).stream().filter((post) -> post.get("thread_ts") == null))
			.as("no new message, only replies")
			.hasSize(1);
	}

	@Test
	void grafanaAlertIsPostedWithItsValuesAndLinks() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("firing.json", UUID.randomUUID().toString());
		((ObjectNode) body.get("commonAnnotations")).put("summary", this.title);
		((ObjectNode) body.get("alerts").get(0).get("annotations")).put("summary", this.title);
		((ObjectNode) body.get("alerts").get(0)).put("imageURL", "javascript:alert(1)");
		Response response = GrafanaBodies.post(this.warden, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		long incident = response.json().get("incident").asLong();
		// Routing owes the message when it follows the opening, after the answer.
		this.warden.awaitFollowedUp(incident);

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		List<Map<String, String>> posts = slack.posts(encoded(this.title));
		assertThat(posts).hasSize(1);
		// Slack's client writes =, &, < and > as JSON escapes.
		String blocks = posts.getFirst()
			.get("blocks")
			.replace("\\u003d", "=")
			.replace("\\u0026", "&")
			.replace("\\u003c", "<")
			.replace("\\u003e", ">");
		assertThat(blocks)
			.contains("(B=97.31250762939453, C=1)", "|Grafana rule>",
					"<http://grafana.example.internal:3000/d/gpu-overview?orgId=1|Dashboard>",
					"<http://grafana.example.internal:3000/d/gpu-overview?orgId=1&amp;viewPanel=4|Panel>", "|Silence>")
			.doesNotContain("javascript:", "|Image>", "Prometheus");
	}

	@Test
	void batchOfNewAlertsMakesOneReplyNotOnePerAlert() {
		Payloads.Group group = group();
		long incident = open(group);
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		String ts = this.jdbc.sql("select ts from slack_thread where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single();

		ObjectNode batch = group.next()
			.firing("fp-b1-" + ts, this.clock.instant())
			.firing("fp-b2-" + ts, this.clock.instant())
			.firing("fp-b3-" + ts, this.clock.instant())
			.summary(this.title)
			.json();
		assertThat(this.warden.webhook(batch).status()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(replies(ts))
				.anySatisfy((reply) -> assertThat(reply.get("text")).contains("3 alert changes").contains("fp-b2-")));
		WardenProcess.sleep(Duration.ofSeconds(2));
		assertThat(replies(ts)).as("one reply for the batch").hasSize(1);
	}

	@Test
	void incidentThatOpenedResolvedIsAnnouncedWhenItFiresAgain() {
		Payloads.Group group = group();
		ObjectNode resolved = group
			.resolved("fp-late", this.clock.instant().minusSeconds(120), this.clock.instant().minusSeconds(60))
			.summary(this.title)
			.json();
		Response first = this.warden.webhook(resolved);
		long incident = first.json().get("incident").asLong();
		assertThat(first.json().get("status").asString()).isEqualTo("resolved");
		// Once its opening is followed up, an incident that opened resolved owes nothing.
		this.warden.awaitFollowedUp(incident);
		assertThat(this.warden.get("/api/v1/incidents/" + incident + "/notifications").json().size()).isZero();

		ObjectNode firing = group.next().firing("fp-late", this.clock.instant()).summary(this.title).json();
		Response again = this.warden.webhook(firing);
		assertThat(again.json().get("outcome").asString()).isEqualTo("reopened");
		this.warden.awaitFollowedUp(incident);

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).hasSize(1);
	}

	@Test
	void rateLimitedPostWaitsForRetryAfterAndThenPostsOnce() {
		failFirstPost(SlackApi.status(429).withHeader("Retry-After", "2"));
		long incident = open(group());

		await().atMost(Duration.ofSeconds(30)).until(() -> status(incident, "slack.message").equals("sent"));
		List<Map<String, String>> attempts = slack.posts(encoded(this.title));
		assertThat(attempts).hasSize(2);
		long waited = Long.parseLong(attempts.get(1).get("_loggedAt"))
				- Long.parseLong(attempts.get(0).get("_loggedAt"));
		assertThat(waited).as("waited for Retry-After").isGreaterThanOrEqualTo(1900);
		assertThat(attempts(incident, "slack.message")).as("a rate limit costs no attempt").isEqualTo(1);
	}

	@Test
	void serviceUnavailableIsRetriedAndPostsOnce() {
		failFirstPost(SlackApi.status(503));
		long incident = open(group());

		await().atMost(Duration.ofSeconds(30)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).hasSize(2);
		assertThat(attempts(incident, "slack.message")).isEqualTo(2);
		assertThat(slack.calls("conversations.history")).as("a 503 posted nothing: no lookup needed").isEmpty();
	}

	@Test
	void connectionResetAfterThePostLandedIsFoundAndNotPostedAgain() {
		failFirstPost(
				com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
		long incident = open(group());
		landedInHistory(incident, "1763845200.424242");

		await().atMost(Duration.ofSeconds(30)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).as("the post that landed is not repeated").hasSize(1);
		assertThat(this.jdbc.sql("select ts from slack_thread where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single()).isEqualTo("1763845200.424242");
	}

	@Test
	void answerSlowerThanTheTimeoutIsLookedUpAndNotPostedAgain() {
		failFirstPost(okJson("""
				{"ok": true, "channel": "C0CHANNEL", "ts": "1763845200.555555"}""").withFixedDelay(3000));
		long incident = open(group());
		landedInHistory(incident, "1763845200.555555");

		await().atMost(Duration.ofSeconds(30)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).hasSize(1);
		assertThat(slack.calls("conversations.history")).isNotEmpty();
	}

	@Test
	void ambiguousPostThatDidNotLandIsPostedOnceMore() {
		failFirstPost(
				com.github.tomakehurst.wiremock.client.WireMock.aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
		long incident = open(group());

		await().atMost(Duration.ofSeconds(30)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).hasSize(2);
		assertThat(slack.calls("conversations.history")).as("looked up before posting again").isNotEmpty();
	}

	@Test
	void permanentErrorFailsAtOnceVisiblyAndAnAdminCanResend() {
		failFirstPost(SlackApi.slackError("channel_not_found"));
		long incident = open(group());

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("failed"));
		JsonNode failed = notification(incident, "slack.message");
		assertThat(failed.get("attempts").asInt()).isEqualTo(1);
		assertThat(failed.get("lastError").asString()).contains("channel_not_found");
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.failed");
			assertThat(event.get("summary").asString()).contains("#it-oncall").contains("channel_not_found");
		});

		Response resend = this.warden.post("/api/v1/notifications/" + failed.get("id").asLong() + "/resend", Map.of());
		assertThat(resend.status()).as(resend.toString()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(timelineTypes(incident)).contains("notification.resent");
		Response again = this.warden.post("/api/v1/notifications/" + failed.get("id").asLong() + "/resend", Map.of());
		assertThat(again.status()).as("only a failed notification can be resent").isEqualTo(409);
	}

	@Test
	void outageLongerThanTheHorizonEndsInAVisiblyFailedNotification() {
		slack.server.stubFor(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.willReturn(SlackApi.status(503)));
		long incident = open(group());
		await().atMost(Duration.ofSeconds(20)).until(() -> attempts(incident, "slack.message") >= 2);
		assertThat(status(incident, "slack.message")).as("retried, not given up").isEqualTo("pending");

		// Past the 10-minute horizon (give-up-after) the next failed attempt is the last.
		this.clock.advance(Duration.ofMinutes(11));

		await().atMost(Duration.ofSeconds(40)).until(() -> status(incident, "slack.message").equals("failed"));
		int attempts = attempts(incident, "slack.message");
		assertThat(slack.posts(encoded(this.title))).hasSize(attempts);
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.failed");
			assertThat(event.get("summary").asString()).contains("gave up after 11 min")
				.contains("%d attempts".formatted(attempts))
				.contains("503");
			assertThat(event.get("details").get("attempts").asInt()).isEqualTo(attempts);
		});
	}

	@Test
	void sweepReschedulesAPendingNotificationWhoseJobWentMissing() {
		failFirstPost(SlackApi.status(503));
		long incident = open(group());
		await().atMost(Duration.ofSeconds(20)).until(() -> attempts(incident, "slack.message") >= 1);
		long id = notification(incident, "slack.message").get("id").asLong();
		// What a lost race leaves: the notification is owed, but no job will deliver it.
		this.jdbc.sql("delete from scheduled_tasks where task_name = 'notification-delivery' and task_instance = ?")
			.param(String.valueOf(id))
			.update();
		this.clock.advance(Duration.ofMinutes(1));

		assertThat(this.deliveries.sweep()).isGreaterThanOrEqualTo(1);

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.posts(encoded(this.title))).hasSize(2);
	}

	@Test
	void webhookAnswersWithoutWaitingWhileSlackHangs() {
		slack.server.stubFor(SlackApi.method("chat.postMessage")
			.atPriority(1)
			.willReturn(okJson("{\"ok\": true}").withFixedDelay(20_000)));
		long started = System.nanoTime();
		for (int i = 0; i < 5; i++) {
			open(group());
		}
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		// Waiting on Slack would cost each webhook at least Slack's timeout (1 s).
		assertThat(millis).as("5 webhooks answered in %d ms", millis).isLessThan(5000);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(slack.calls("chat.postMessage")).as("Slack was being called meanwhile")
				.isNotEmpty());
	}

	private String threadTs(long incident) {
		return this.jdbc.sql("select ts from slack_thread where incident_id = ?")
			.param(incident)
			.query(String.class)
			.single();
	}

	private static List<Map<String, String>> replies(String threadTs) {
		return slack.calls("chat.postMessage")
			.stream()
			.filter((post) -> threadTs.equals(post.get("thread_ts")))
			.toList();
	}

	/** The first post of this test's incident gets this answer; later ones succeed. */
	private void failFirstPost(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
		String scenario = "first-post-" + this.title;
		slack.server.stubFor(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(answer)
			.willSetStateTo("answered"));
	}

	/** conversations.history shows the incident's message, as if the lost post landed. */
	private void landedInHistory(long incident, String ts) {
		slack.server.stubFor(SlackApi.method("conversations.history").atPriority(1).willReturn(okJson("""
				{"ok": true, "has_more": false, "messages": [
				  {"type": "message", "ts": "%s", "text": "earlier",
				   "metadata": {"event_type": "warden_notification",
				                "event_payload": {"key": "incident:%d:slack:#it-oncall:message"}}}
				]}""".formatted(ts, incident))));
	}

	private Payloads.Group group() {
		return Payloads.group();
	}

	private long open(Payloads.Group group) {
		return this.warden.open(group.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(this.title)
			.json());
	}

	private JsonNode notification(long incident, String kind) {
		return this.warden.get("/api/v1/incidents/" + incident + "/notifications")
			.json()
			.valueStream()
			.filter((each) -> each.get("kind").asString().equals(kind))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no " + kind + " notification for incident " + incident));
	}

	private String status(long incident, String kind) {
		return notification(incident, kind).get("status").asString();
	}

	private int attempts(long incident, String kind) {
		return notification(incident, kind).get("attempts").asInt();
	}

	private List<JsonNode> timeline(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").valueStream().toList();
	}

	private List<String> timelineTypes(long incident) {
		return timeline(incident).stream().map((event) -> event.get("type").asString()).toList();
	}

	/** How the text appears in a form-encoded request body. */
	private static String encoded(String text) {
		return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
	}

}
