package dev.warden.notifications;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.github.kagkarlsson.scheduler.Clock;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.TestFork;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;
import dev.warden.WardenProcess;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery that outlasts outages, against WireMock standing in for Slack and GreenMail
 * for SMTP, on a clock the tests move: Slack answering 503 for 10 minutes, then rate
 * limiting and resetting connections, and an SMTP server down for 10 minutes end with
 * every message delivered exactly once and in order; a permanent error fails at once with
 * its reason; an outage longer than the horizon ends in a visibly failed, counted
 * notification.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=delivery-outage", "warden.slack.bot-token=xoxb-test-token",
		"warden.slack.timeout=1s", "warden.slack.channel-interval=50ms", "warden.notifications.initial-backoff=1s",
		"warden.notifications.max-backoff=1m", "warden.notifications.give-up-after=2h",
		"db-scheduler.polling-interval=500ms", "spring.mail.properties[mail.smtp.connectiontimeout]=1000",
		"spring.mail.properties[mail.smtp.timeout]=2000" })
class DeliveryOutageIntegrationTests {

	/**
	 * Jobs due this soon after the jobs due now have run are part of the same step (see
	 * {@link #advance}).
	 */
	private static final Duration SETTLED_WITHIN = Duration.ofMillis(250);

	/**
	 * The least real time between two steps of {@link #moveClockUntil}: a message that
	 * Slack's pace holds (a 1 s Retry-After here) needs real time to pass.
	 */
	private static final Duration STEP_PAUSE = Duration.ofMillis(200);

	private static final SlackApi slack = new SlackApi();

	private static final int SMTP_PORT = TestFork.freePort();

	private static GreenMail smtp = startSmtp();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry meters;

	@Autowired
	Scheduler scheduler;

	@Autowired
	Clock schedulerClock;

	WardenClient warden;

	String title;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		NotificationFiles.register(registry, slack);
		registry.add("spring.mail.host", () -> "127.0.0.1");
		registry.add("spring.mail.port", () -> SMTP_PORT);
	}

	@AfterAll
	static void stop() {
		slack.close();
		if (smtp != null) {
			smtp.stop();
		}
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.title = "outage-test-" + UUID.randomUUID();
		slack.reset();
		if (smtp == null) {
			smtp = startSmtp();
		}
	}

	@Test
	void slackDownForTenMinutesThenRateLimitingAndResettingDeliversEveryMessageOnceAndInOrder() {
		StubMapping outage = slack
			.stub(SlackApi.method("chat.postMessage").atPriority(1).willReturn(SlackApi.status(503)));
		StubMapping updatesDown = slack
			.stub(SlackApi.method("chat.update").atPriority(1).willReturn(SlackApi.status(503)));
		double rateLimited = counter("slack", "rate_limited");
		List<Long> incidents = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			long incident = open(Payloads.group(), this.title + " #" + i);
			incidents.add(incident);
			act(incident, "acknowledge", Map.of());
			act(incident, "notes", Map.of("text", "first finding " + i));
			act(incident, "notes", Map.of("text", "second finding " + i));
			act(incident, "resolve", Map.of());
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> incidents.stream().allMatch((incident) -> slackNotifications(incident).size() == 5));

		for (int step = 0; step < 20; step++) {
			advance(Duration.ofSeconds(30));
		}

		for (long incident : incidents) {
			List<JsonNode> owed = slackNotifications(incident);
			assertThat(owed).as("nothing given up after 10 minutes of 503s")
				.allSatisfy((each) -> assertThat(each.get("status").asString()).isEqualTo("pending"));
			JsonNode message = owed.getFirst();
			assertThat(message.get("kind").asString()).isEqualTo("slack.message");
			assertThat(message.get("attempts").asInt()).as("the message kept trying").isGreaterThanOrEqualTo(5);
			assertThat(message.get("lastError").asString()).contains("503");
			assertThat(owed.subList(1, owed.size())).as("replies wait for their thread: no attempt yet")
				.allSatisfy((reply) -> assertThat(reply.get("attempts").asInt()).isZero());
		}
		assertThat(slack.carriedOut("chat.postMessage")).as("nothing was posted during the outage").isEmpty();

		// Slack comes back, rate limiting the first call and resetting the second.
		slack.remove(outage);
		slack.remove(updatesDown);
		String scenario = "recovery-" + this.title;
		slack.stub(SlackApi.method("chat.postMessage")
			.atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(SlackApi.status(429).withHeader("Retry-After", "1"))
			.willSetStateTo("limited"));
		slack.stub(SlackApi.method("chat.postMessage")
			.atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs("limited")
			.willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
			.willSetStateTo("recovered"));
		moveClockUntil(Duration.ofSeconds(20),
				() -> incidents.stream()
					.allMatch((incident) -> slackNotifications(incident).stream()
						.allMatch((each) -> each.get("status").asString().equals("sent"))));

		List<Map<String, String>> posts = slack.carriedOut("chat.postMessage");
		List<Map<String, String>> updates = slack.carriedOut("chat.update");
		for (long incident : incidents) {
			String ts = threadTs(incident);
			List<Integer> tops = positions(posts, "incident:" + incident + ":slack:#it-oncall:message");
			assertThat(tops).as("incident %d posted exactly once", incident).hasSize(1);
			int top = tops.getFirst();
			List<Map<String, String>> replies = posts.stream()
				.filter((post) -> post.get("metadata").contains("incident:" + incident + ":event:"))
				.toList();
			assertThat(replies).as("each of the 4 replies of incident %d once", incident).hasSize(4);
			assertThat(replies).allSatisfy((reply) -> {
				assertThat(reply.get("thread_ts")).isEqualTo(ts);
				assertThat(posts.indexOf(reply)).as("a reply after its thread's message").isGreaterThan(top);
			});
			assertThat(replies.stream().map((reply) -> eventId(reply.get("metadata"))).toList())
				.as("replies in the order their events happened")
				.isSorted()
				.doesNotHaveDuplicates();
			assertThat(replies.get(0).get("text")).contains("Acknowledged");
			assertThat(replies.get(1).get("text")).contains("Note by");
			assertThat(replies.get(3).get("text")).contains("Resolved");
			List<Map<String, String>> cardUpdates = updates.stream()
				.filter((update) -> ts.equals(update.get("ts")))
				.toList();
			// Card updates coalesce: a card first posted after the incident resolved
			// already shows it resolved and needs no update; otherwise its last update
			// does.
			String newestCard = cardUpdates.isEmpty() ? posts.get(top).get("text") : cardUpdates.getLast().get("text");
			assertThat(newestCard).as("the newest rendering of the card of incident %d", incident)
				.containsIgnoringCase("resolved");
		}
		assertThat(counter("slack", "rate_limited")).as("the 429 was waited out, not counted as an attempt")
			.isGreaterThan(rateLimited);
		assertThat(timelineTypes(incidents.getFirst())).doesNotContain("notification.failed");
	}

	@Test
	void smtpDownForTenMinutesDeliversEveryEmailOnceAndInOrder() throws Exception {
		smtp.stop();
		smtp = null;
		ObjectNode firing = Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(this.title)
			.json();
		// Runs the escalation policy: alice is emailed at once.
		((ObjectNode) firing.get("commonLabels")).put("escalate", "yes");
		((ObjectNode) firing.get("alerts").get(0).get("labels")).put("escalate", "yes");
		long incident = this.warden.open(firing);
		await().atMost(Duration.ofSeconds(30)).until(() -> kinds(incident).contains("email.escalated"));
		act(incident, "resolve", Map.of());
		await().atMost(Duration.ofSeconds(30)).until(() -> emails(incident).size() == 4);

		for (int step = 0; step < 20; step++) {
			advance(Duration.ofSeconds(30));
		}

		List<JsonNode> owed = emails(incident);
		assertThat(owed).as("nothing given up after 10 minutes without SMTP")
			.allSatisfy((each) -> assertThat(each.get("status").asString()).isEqualTo("pending"));
		assertThat(owed).filteredOn((each) -> !each.get("kind").asString().equals("email.resolved"))
			.as("the first email to each address kept trying")
			.hasSize(2)
			.allSatisfy((each) -> {
				assertThat(each.get("attempts").asInt()).isGreaterThanOrEqualTo(4);
				assertThat(each.get("lastError").asString()).contains(String.valueOf(SMTP_PORT));
			});
		assertThat(owed).filteredOn((each) -> each.get("kind").asString().equals("email.resolved"))
			.as("the resolved emails wait for the earlier ones to their address")
			.hasSize(2)
			.allSatisfy((each) -> assertThat(each.get("attempts").asInt()).isZero());

		smtp = startSmtp();
		moveClockUntil(Duration.ofSeconds(20),
				() -> emails(incident).stream().allMatch((each) -> each.get("status").asString().equals("sent")));
		WardenProcess.sleep(Duration.ofSeconds(2));

		assertThat(subjectsTo("oncall@example.com")).as("opened, then resolved, once each")
			.satisfiesExactly((subject) -> assertThat(subject).doesNotStartWith("Resolved:").contains(this.title),
					(subject) -> assertThat(subject).startsWith("Resolved:").contains(this.title));
		assertThat(subjectsTo("alice@example.com")).as("escalated, then resolved, once each")
			.satisfiesExactly((subject) -> assertThat(subject).startsWith("Escalated:").contains(this.title),
					(subject) -> assertThat(subject).startsWith("Resolved:").contains(this.title));
	}

	@Test
	void permanentErrorFailsAtOnceWithItsReasonAndResendDeliversTheMessageAndItsReplies() {
		StubMapping notInChannel = slack.stub(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.willReturn(SlackApi.slackError("not_in_channel")));
		long incident = open(Payloads.group(), this.title);

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("failed"));
		JsonNode failed = notification(incident, "slack.message");
		assertThat(failed.get("attempts").asInt()).isEqualTo(1);
		assertThat(failed.get("lastError").asString()).isEqualTo("not_in_channel");
		assertThat(slack.posts(encoded(this.title))).as("tried once").hasSize(1);
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.failed");
			assertThat(event.get("summary").asString()).contains("#it-oncall").contains("not_in_channel");
			assertThat(event.get("details").get("permanent").asBoolean()).isTrue();
		});
		act(incident, "acknowledge", Map.of());
		// The reply is owed by the notifications follower, after the acknowledgement.
		this.warden.awaitFollowedUp(incident);
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.reply").equals("failed"));
		assertThat(notification(incident, "slack.reply").get("lastError").asString()).contains("never posted");

		// The bot is invited to the channel.
		slack.remove(notInChannel);
		Response resend = this.warden.post("/api/v1/notifications/" + failed.get("id").asLong() + "/resend", Map.of());
		assertThat(resend.status()).as(resend.toString()).isEqualTo(200);

		await().atMost(Duration.ofSeconds(30))
			.until(() -> status(incident, "slack.message").equals("sent")
					&& status(incident, "slack.reply").equals("sent"));
		List<Map<String, String>> posts = slack.carriedOut("chat.postMessage");
		int top = positions(posts, "incident:" + incident + ":slack:#it-oncall:message").getFirst();
		List<Integer> replies = positions(posts, "incident:" + incident + ":event:");
		assertThat(replies).as("the reply once, after the message").singleElement().satisfies((reply) -> {
			assertThat(reply).isGreaterThan(top);
			assertThat(posts.get(reply).get("text")).contains("Acknowledged");
		});
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.resent");
			assertThat(event.get("summary").asString()).contains("with 1 thread reply");
		});
	}

	@Test
	void outageLongerThanTheHorizonEndsInAVisiblyFailedCountedNotification() {
		slack.stub(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.willReturn(SlackApi.status(503)));
		double failedBefore = counter("slack", "failed");
		Instant owed = this.clock.instant();
		long incident = open(Payloads.group(), this.title);
		await().atMost(Duration.ofSeconds(20)).until(() -> attempts(incident, "slack.message") >= 1);

		for (int step = 0; step < 11; step++) {
			advance(Duration.ofMinutes(10));
			assertThat(status(incident, "slack.message")).as("still trying within the 2 h horizon")
				.isEqualTo("pending");
		}
		moveClockUntil(Duration.ofMinutes(5), () -> status(incident, "slack.message").equals("failed"));

		JsonNode failed = notification(incident, "slack.message");
		assertThat(failed.get("lastError").asString()).startsWith("gave up after 2 h").contains("HTTP 503");
		assertThat(Duration.between(owed, Instant.parse(failed.get("failedAt").asString())))
			.isGreaterThanOrEqualTo(Duration.ofHours(2));
		assertThat(timeline(incident)).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.failed");
			assertThat(event.get("summary").asString()).contains("gave up after").contains("503");
			assertThat(event.get("details").get("permanent").asBoolean()).isFalse();
		});
		assertThat(counter("slack", "failed")).as("counted for the WardenNotificationsFailed alert")
			.isEqualTo(failedBefore + 1);
	}

	@Test
	void cardUpdatesBackOffWhileSlackFailsThemAndCatchUpAfterwards() {
		long incident = open(Payloads.group(), this.title);
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident, "slack.message").equals("sent"));
		String ts = threadTs(incident);
		StubMapping updatesDown = slack
			.stub(SlackApi.method("chat.update").atPriority(1).willReturn(SlackApi.status(503)));
		act(incident, "acknowledge", Map.of());
		act(incident, "resolve", Map.of());

		// Five minutes of 503s, in steps of 5 s: an update every 2 s would be 150 calls,
		// one per step 60.
		for (int step = 0; step < 60; step++) {
			advance(Duration.ofSeconds(5));
		}
		long failedUpdates = slack.calls("chat.update")
			.stream()
			.filter((update) -> ts.equals(update.get("ts")))
			.count();
		assertThat(failedUpdates).as("updates were tried, backing off").isBetween(3L, 20L);
		assertThat(updateFailures(incident)).isGreaterThanOrEqualTo(3);

		slack.remove(updatesDown);
		moveClockUntil(Duration.ofSeconds(30),
				() -> slack.carriedOut("chat.update").stream().anyMatch((update) -> ts.equals(update.get("ts"))));
		List<Map<String, String>> updated = slack.carriedOut("chat.update")
			.stream()
			.filter((update) -> ts.equals(update.get("ts")))
			.toList();
		assertThat(updated.getLast().get("text")).containsIgnoringCase("resolved");
		assertThat(updateFailures(incident)).as("an update that went through starts the count again").isZero();
	}

	@Test
	void rateLimitedPostIsPostedAgainWithoutLookingForIt() {
		// A first post warms up the connection: a cold one on a loaded machine can time
		// out, and a post that timed out is rightly looked for.
		long warmUp = open(Payloads.group(), this.title + " warm-up");
		await().atMost(Duration.ofSeconds(30)).until(() -> status(warmUp, "slack.message").equals("sent"));
		slack.reset();
		String scenario = "limited-" + this.title;
		slack.stub(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.inScenario(scenario)
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(SlackApi.status(429).withHeader("Retry-After", "1"))
			.willSetStateTo("answered"));
		long incident = open(Payloads.group(), this.title);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> notification(incident, "slack.message").get("lastError").asString("").contains("429"));

		moveClockUntil(Duration.ofSeconds(2), () -> status(incident, "slack.message").equals("sent"));

		assertThat(slack.posts(encoded(this.title))).as("the 429, then the post").hasSize(2);
		assertThat(slack.calls("conversations.history")).as("a 429 posted nothing: nothing to look for").isEmpty();
		assertThat(attempts(incident, "slack.message")).isEqualTo(1);
	}

	@Test
	void rateLimitedAtTheHorizonStillGetsARealLastAttempt() {
		StubMapping outage = slack.stub(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.willReturn(SlackApi.status(503)));
		long incident = open(Payloads.group(), this.title);
		await().atMost(Duration.ofSeconds(20)).until(() -> attempts(incident, "slack.message") >= 1);
		for (int step = 0; step < 11; step++) {
			advance(Duration.ofMinutes(10));
		}
		assertThat(status(incident, "slack.message")).isEqualTo("pending");

		// The attempt due at the 2 h horizon is rate limited.
		slack.remove(outage);
		StubMapping limited = slack.stub(SlackApi.method("chat.postMessage")
			.withRequestBody(containing(encoded(this.title)))
			.atPriority(1)
			.willReturn(SlackApi.status(429).withHeader("Retry-After", "10")));
		advance(Duration.ofMinutes(15));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> notification(incident, "slack.message").get("lastError").asString("").contains("429"));
		WardenProcess.sleep(Duration.ofSeconds(1));
		assertThat(status(incident, "slack.message")).as("a 429 is no attempt: not given up on it")
			.isEqualTo("pending");

		slack.remove(limited);
		// Slack's pace holds the channel for the 10 s of its Retry-After in real time
		// while the clock moves on past the horizon: a second between steps of 90 s, as
		// many steps as take well over 10 s, and never the clock past the hour of grace
		// (30 steps are 45 minutes).
		moveClockUntil(Duration.ofSeconds(90), Duration.ofSeconds(1), 30,
				() -> status(incident, "slack.message").equals("sent"));
		assertThat(slack.carriedOut("chat.postMessage")
			.stream()
			.filter((post) -> post.get("text").contains(this.title))
			.count()).isEqualTo(1);
	}

	/**
	 * Moves the clock a step at a time, letting the jobs due run, until the condition
	 * holds. Steps are at least {@link #STEP_PAUSE} apart in real time: Slack's pace is
	 * real time (a {@code Retry-After} is waited on the wall clock, whatever Warden's
	 * clock says), so a message held by it goes only once that much real time has passed.
	 */
	private void moveClockUntil(Duration step, BooleanSupplier condition) {
		moveClockUntil(step, STEP_PAUSE, 60, condition);
	}

	private void moveClockUntil(Duration step, Duration pause, int steps, BooleanSupplier condition) {
		for (int i = 0; i < steps && !condition.getAsBoolean(); i++) {
			if (i > 0) {
				WardenProcess.sleep(pause);
			}
			advance(step);
		}
		assertThat(condition.getAsBoolean()).as("condition met within %d steps of %s", steps, step).isTrue();
	}

	/**
	 * Moves the clock and lets the jobs due at the new clock run: wakes db-scheduler's
	 * poller rather than waiting for its next poll, then waits until no job is running
	 * and none is due within {@link #SETTLED_WITHIN} on the scheduler's clock (the test
	 * clock plus the real time since the context started, see {@link IntegrationTest}). A
	 * job due later than that is a backoff (at least half of the 1 s initial one), which
	 * the next move of the clock makes due; one due sooner is a message waiting for its
	 * turn at Slack's pace, or one moved forward by the message before it, and runs as
	 * part of this step.
	 */
	private void advance(Duration step) {
		this.clock.advance(step);
		this.scheduler.triggerCheckForDueExecutions();
		await().atMost(Duration.ofSeconds(30))
			.pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(50))
			.until(this::jobsSettled);
	}

	private boolean jobsSettled() {
		Instant soon = this.schedulerClock.now().plus(SETTLED_WITHIN);
		return this.jdbc.sql("select not exists (select 1 from scheduled_tasks where picked or execution_time <= ?)")
			.param(Timestamp.from(soon))
			.query(Boolean.class)
			.single();
	}

	private double counter(String channel, String outcome) {
		var counter = this.meters.find("warden.notifications").tags("channel", channel, "outcome", outcome).counter();
		return (counter != null) ? counter.count() : 0;
	}

	private long open(Payloads.Group group, String title) {
		return this.warden
			.open(group.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30)).summary(title).json());
	}

	private void act(long incident, String action, Map<String, String> body) {
		Response response = this.warden.post("/api/v1/incidents/" + incident + "/" + action, body);
		assertThat(response.status()).as(response.toString()).isBetween(200, 201);
	}

	private List<JsonNode> notifications(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/notifications").json().valueStream().toList();
	}

	private List<JsonNode> slackNotifications(long incident) {
		return notifications(incident).stream()
			.filter((each) -> each.get("channel").asString().equals("slack"))
			.toList();
	}

	private List<JsonNode> emails(long incident) {
		return notifications(incident).stream()
			.filter((each) -> each.get("channel").asString().equals("email"))
			.toList();
	}

	private List<String> kinds(long incident) {
		return notifications(incident).stream().map((each) -> each.get("kind").asString()).toList();
	}

	private JsonNode notification(long incident, String kind) {
		return notifications(incident).stream()
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

	private String threadTs(long incident) {
		return this.jdbc.sql("select ts from slack_thread where incident_id = ? and channel = '#it-oncall'")
			.param(incident)
			.query(String.class)
			.single();
	}

	private int updateFailures(long incident) {
		return this.jdbc
			.sql("select update_failures from slack_thread where incident_id = ? and channel = '#it-oncall'")
			.param(incident)
			.query(Integer.class)
			.single();
	}

	private List<JsonNode> timeline(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("timeline").valueStream().toList();
	}

	private List<String> timelineTypes(long incident) {
		return timeline(incident).stream().map((event) -> event.get("type").asString()).toList();
	}

	/** Where the posts carrying this idempotency key (or key prefix) are in the list. */
	private static List<Integer> positions(List<Map<String, String>> posts, String key) {
		List<Integer> found = new ArrayList<>();
		for (int i = 0; i < posts.size(); i++) {
			String metadata = posts.get(i).get("metadata");
			if (metadata != null && metadata.contains(key)) {
				found.add(i);
			}
		}
		return found;
	}

	/** The event id in a reply's key, {@code incident:<id>:event:<event>:slack:...}. */
	private static long eventId(String metadata) {
		int start = metadata.indexOf(":event:") + ":event:".length();
		return Long.parseLong(metadata.substring(start, metadata.indexOf(':', start)));
	}

	private List<String> subjectsTo(String address) {
		return Arrays.stream(smtp.getReceivedMessages()).filter((message) -> {
			try {
				return message.getSubject().contains(this.title)
						&& Arrays.stream(message.getRecipients(Message.RecipientType.TO))
							.anyMatch((to) -> to.toString().equals(address));
			}
			catch (jakarta.mail.MessagingException ex) {
				throw new IllegalStateException(ex);
			}
		}).map(DeliveryOutageIntegrationTests::subject).toList();
	}

	private static String subject(MimeMessage message) {
		try {
			return message.getSubject();
		}
		catch (jakarta.mail.MessagingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** How the text appears in a form-encoded request body. */
	private static String encoded(String text) {
		return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
	}

	private static GreenMail startSmtp() {
		GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
		mail.start();
		return mail;
	}

}
