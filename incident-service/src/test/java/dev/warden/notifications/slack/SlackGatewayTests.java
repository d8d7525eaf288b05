package dev.warden.notifications.slack;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.warden.RunsAlone;
import dev.warden.TestFork;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The gateway against a fake Slack Web API: what it sends, and how each way a call can
 * fail reaches the caller. The Slack client sends form-encoded bodies, with booleans as
 * {@code 1} and {@code 0}.
 */
@RunsAlone
@Isolated
class SlackGatewayTests {

	private static final String POSTED = """
			{"ok": true, "channel": "C0AIONCALL", "ts": "1700000000.000100"}
			""";

	/**
	 * The gateway's read timeout: long enough for a cold first call on a loaded 2-core
	 * machine (500 ms was not), short enough that the timeout tests stay quick.
	 */
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final WireMockServer slack = new WireMockServer(wireMockConfig().dynamicPort());

	/** Where the gateway's paces live, as they do in Warden. */
	private static PaceDatabase database;

	private SlackGateway gateway;

	@BeforeAll
	static void startDatabase() {
		database = new PaceDatabase();
	}

	@AfterAll
	static void stopDatabase() {
		database.close();
	}

	@BeforeEach
	void start() {
		database.forgetPaces();
		this.slack.start();
		this.gateway = gateway(this.slack.port(), Duration.ofMillis(10));
	}

	@AfterEach
	void stop() {
		this.gateway.close();
		this.slack.stop();
	}

	@Test
	void postsTextBlocksAndIdempotencyKeyAndAnswersWhereTheMessageIs() {
		answer("chat.postMessage", POSTED);

		Posted posted = this.gateway
			.post(new SlackPost("#ai-oncall", null, "[CRITICAL] Database port down", blocks(), "incident-42"));

		assertThat(posted).isEqualTo(new Posted("C0AIONCALL", "1700000000.000100"));
		this.slack
			.verify(postRequestedFor(urlEqualTo("/api/chat.postMessage"))
				.withHeader("Authorization", equalTo("Bearer xoxb-test"))
				.withHeader("Content-Type", equalTo("application/x-www-form-urlencoded"))
				.withFormParam("channel", equalTo("#ai-oncall"))
				.withFormParam("text", equalTo("[CRITICAL] Database port down"))
				.withFormParam("blocks", matchingJsonPath("$[0].text.text", equalTo("*Database* is down")))
				.withFormParam("metadata", equalToJson(
						"{\"event_type\": \"warden_notification\", \"event_payload\": {\"key\": \"incident-42\"}}"))
				.withFormParam("unfurl_links", equalTo("0"))
				.withFormParam("unfurl_media", equalTo("0"))
				.withoutFormParam("thread_ts"));
		assertThat(this.slack.getAllServeEvents()).as("only the post, no other call").hasSize(1);
	}

	@Test
	void postsRepliesInTheThreadAndLeavesOutEmptyBlocks() {
		answer("chat.postMessage", POSTED);

		this.gateway.post(new SlackPost("C0AIONCALL", "1700000000.000100", "Acknowledged by Ada", List.of(),
				"incident-42-acknowledged"));

		this.slack.verify(
				postRequestedFor(urlEqualTo("/api/chat.postMessage")).withFormParam("channel", equalTo("C0AIONCALL"))
					.withFormParam("text", equalTo("Acknowledged by Ada"))
					.withoutFormParam("blocks"));
		LoggedRequest request = this.slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage"))).getFirst();
		assertThat(request.formParameter("thread_ts").values()).isNotEmpty().containsOnly("1700000000.000100");
	}

	@Test
	void updatesTextAndBlocks() {
		answer("chat.update", """
				{"ok": true, "channel": "C0AIONCALL", "ts": "1700000000.000100"}
				""");

		this.gateway.update("C0AIONCALL", "1700000000.000100", "[CRITICAL] Database port down (resolved)", blocks());

		this.slack.verify(postRequestedFor(urlEqualTo("/api/chat.update"))
			.withHeader("Authorization", equalTo("Bearer xoxb-test"))
			.withFormParam("channel", equalTo("C0AIONCALL"))
			.withFormParam("ts", equalTo("1700000000.000100"))
			.withFormParam("text", equalTo("[CRITICAL] Database port down (resolved)"))
			.withFormParam("blocks", matchingJsonPath("$[0].text.text", equalTo("*Database* is down"))));
	}

	@Test
	void tooManyRequestsIsRateLimitedForAsLongAsSlackSays() {
		this.slack.stubFor(post("/api/chat.postMessage")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7").withBody("")));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.RATE_LIMITED);
		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
		assertThat(failure.reason()).isEqualTo("HTTP 429");
		assertThat(this.slack.getAllServeEvents()).as("not retried").hasSize(1);
	}

	@Test
	void ratelimitedErrorIsRateLimited() {
		this.slack.stubFor(post("/api/chat.postMessage")
			.willReturn(okJson("{\"ok\": false, \"error\": \"ratelimited\"}").withHeader("Retry-After", "3")));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.RATE_LIMITED);
		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(3));
		assertThat(failure.reason()).isEqualTo("ratelimited");
	}

	@Test
	void serverErrorIsTransient() {
		this.slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(503).withBody("down")));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.TRANSIENT);
		assertThat(failure.reason()).isEqualTo("HTTP 503");
		assertThat(failure.retryAfter()).isEmpty();
		assertThat(this.slack.getAllServeEvents()).as("not retried").hasSize(1);
	}

	@Test
	void connectionResetAfterThePostWasSentIsAmbiguous() {
		this.slack
			.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.AMBIGUOUS);
		assertThat(failure.reason()).isEqualTo("connection reset");
		assertThat(this.slack.getAllServeEvents()).as("not retried").hasSize(1);
	}

	@Test
	void answerLaterThanTheTimeoutIsAmbiguous() {
		this.slack.stubFor(post("/api/chat.postMessage")
			.willReturn(okJson(POSTED).withFixedDelay((int) TIMEOUT.multipliedBy(4).toMillis())));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.AMBIGUOUS);
		assertThat(failure.reason()).isEqualTo("read timed out");
		assertThat(this.slack.getAllServeEvents()).as("not retried").hasSize(1);
	}

	@Test
	void updateAnsweredTooLateIsTransient() {
		this.slack.stubFor(post("/api/chat.update")
			.willReturn(okJson(POSTED).withFixedDelay((int) TIMEOUT.multipliedBy(4).toMillis())));

		SlackFailure failure = catchThrowableOfType(SlackFailure.class,
				() -> this.gateway.update("C0AIONCALL", "1700000000.000100", "text", List.of()));

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.TRANSIENT);
		assertThat(failure.reason()).isEqualTo("read timed out");
	}

	@Test
	void refusedConnectionIsTransient() throws IOException {
		int closedPort = TestFork.freePort();
		try (SlackGateway unreachable = gateway(closedPort, Duration.ZERO)) {
			SlackFailure failure = catchThrowableOfType(SlackFailure.class,
					() -> unreachable.post(new SlackPost("C0AIONCALL", null, "text", List.of(), "incident-42")));

			assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.TRANSIENT);
			assertThat(failure.reason()).isEqualTo("connection refused");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "channel_not_found", "not_in_channel", "is_archived", "invalid_auth", "not_authed",
			"token_revoked", "account_inactive", "invalid_blocks", "msg_too_long", "an_error_nobody_has_seen_yet" })
	void errorsRetryingCannotFixArePermanent(String error) {
		answer("chat.postMessage", "{\"ok\": false, \"error\": \"" + error + "\"}");

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.PERMANENT);
		assertThat(failure.reason()).isEqualTo(error);
	}

	@Test
	void missingScopeSaysWhichScopeIsNeeded() {
		answer("chat.postMessage", """
				{"ok": false, "error": "missing_scope", "needed": "chat:write", "provided": "channels:read"}
				""");

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.PERMANENT);
		assertThat(failure.reason()).isEqualTo("missing_scope (needs chat:write)");
	}

	@Test
	void clientErrorIsPermanent() {
		this.slack.stubFor(post("/api/chat.postMessage").willReturn(aResponse().withStatus(404)));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.PERMANENT);
		assertThat(failure.reason()).isEqualTo("HTTP 404");
	}

	@Test
	void internalErrorOnAPostIsAmbiguousButOnAnUpdateTransient() {
		answer("chat.postMessage", "{\"ok\": false, \"error\": \"internal_error\"}");
		answer("chat.update", "{\"ok\": false, \"error\": \"internal_error\"}");

		SlackFailure post = postFails();
		SlackFailure update = catchThrowableOfType(SlackFailure.class,
				() -> this.gateway.update("C0AIONCALL", "1700000000.000100", "text", List.of()));

		assertThat(post.kind()).isEqualTo(SlackFailure.Kind.AMBIGUOUS);
		assertThat(update.kind()).isEqualTo(SlackFailure.Kind.TRANSIENT);
		assertThat(update.reason()).isEqualTo("internal_error");
	}

	@Test
	void findsATopLevelPostByItsKeyResolvingTheChannelName() {
		channelsInTwoPages();
		answer("conversations.history", """
				{"ok": true, "has_more": false, "messages": [
				  {"type": "message", "ts": "1700000000.000300", "text": "another incident",
				   "metadata": {"event_type": "warden_notification", "event_payload": {"key": "incident-7"}}},
				  {"type": "message", "ts": "1700000000.000200", "text": "ours",
				   "metadata": {"event_type": "warden_notification", "event_payload": {"key": "incident-42"}}},
				  {"type": "message", "ts": "1700000000.000100", "text": "incident-42, said a person"}
				]}
				""");
		Instant since = Instant.parse("2023-11-14T22:13:20.250Z");

		assertThat(this.gateway.findPosted("#ai-oncall", null, "incident-42", since))
			.contains(new Posted("C0AIONCALL", "1700000000.000200"));
		assertThat(this.gateway.findPosted("#ai-oncall", null, "incident-42", since)).isPresent();

		this.slack.verify(2,
				postRequestedFor(urlEqualTo("/api/conversations.history"))
					.withFormParam("channel", equalTo("C0AIONCALL"))
					.withFormParam("oldest", equalTo("1699999940.250000"))
					.withFormParam("include_all_metadata", equalTo("1"))
					.withFormParam("limit", equalTo("200")));
		this.slack.verify(postRequestedFor(urlEqualTo("/api/conversations.list"))
			.withFormParam("types", equalTo("public_channel,private_channel"))
			.withFormParam("exclude_archived", equalTo("1")));
		assertThat(this.slack.findAll(postRequestedFor(urlEqualTo("/api/conversations.list"))))
			.as("both pages once; the second lookup uses the cache")
			.hasSize(2);
	}

	@Test
	void findsAReplyByItsKeyInTheThread() {
		answer("conversations.replies", """
				{"ok": true, "has_more": false, "messages": [
				  {"type": "message", "ts": "1700000000.000100", "text": "the incident",
				   "metadata": {"event_type": "warden_notification", "event_payload": {"key": "incident-42"}}},
				  {"type": "message", "ts": "1700000000.000500", "thread_ts": "1700000000.000100",
				   "text": "Acknowledged by Ada",
				   "metadata": {"event_type": "warden_notification",
				                "event_payload": {"key": "incident-42-acknowledged"}}}
				]}
				""");

		assertThat(this.gateway.findPosted("C0AIONCALL", "1700000000.000100", "incident-42-acknowledged",
				Instant.parse("2023-11-14T22:13:20Z")))
			.contains(new Posted("C0AIONCALL", "1700000000.000500"));

		this.slack.verify(postRequestedFor(urlEqualTo("/api/conversations.replies"))
			.withFormParam("channel", equalTo("C0AIONCALL"))
			.withFormParam("ts", equalTo("1700000000.000100"))
			.withFormParam("include_all_metadata", equalTo("1")));
		assertThat(this.slack.findAll(postRequestedFor(urlEqualTo("/api/conversations.list"))))
			.as("an ID needs no lookup")
			.isEmpty();
	}

	@Test
	void findsNothingWhenNoMessageCarriesTheKey() {
		answer("conversations.history", """
				{"ok": true, "has_more": false, "messages": [
				  {"type": "message", "ts": "1700000000.000300", "text": "another incident",
				   "metadata": {"event_type": "warden_notification", "event_payload": {"key": "incident-7"}}},
				  {"type": "message", "ts": "1700000000.000200", "text": "someone else's",
				   "metadata": {"event_type": "deploy", "event_payload": {"key": "incident-42"}}}
				]}
				""");

		assertThat(this.gateway.findPosted("C0AIONCALL", null, "incident-42", Instant.parse("2023-11-14T22:13:20Z")))
			.isEmpty();
	}

	@Test
	void followsHistoryPages() {
		this.slack.stubFor(post("/api/conversations.history").atPriority(1)
			.withFormParam("cursor", equalTo("next"))
			.willReturn(okJson("""
					{"ok": true, "has_more": false, "messages": [
					  {"type": "message", "ts": "1700000000.000200",
					   "metadata": {"event_type": "warden_notification", "event_payload": {"key": "incident-42"}}}
					]}
					""")));
		this.slack.stubFor(post("/api/conversations.history").atPriority(5).willReturn(okJson("""
				{"ok": true, "has_more": true, "response_metadata": {"next_cursor": "next"}, "messages": [
				  {"type": "message", "ts": "1700000000.000300", "text": "newer"}
				]}
				""")));

		assertThat(this.gateway.findPosted("C0AIONCALL", null, "incident-42", Instant.parse("2023-11-14T22:13:20Z")))
			.contains(new Posted("C0AIONCALL", "1700000000.000200"));
	}

	@Test
	void failedLookupIsAFailure() {
		this.slack.stubFor(post("/api/conversations.history").willReturn(aResponse().withStatus(500)));

		SlackFailure failure = catchThrowableOfType(SlackFailure.class, () -> this.gateway.findPosted("C0AIONCALL",
				null, "incident-42", Instant.parse("2023-11-14T22:13:20Z")));

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.TRANSIENT);
		assertThat(failure.reason()).isEqualTo("HTTP 500");
	}

	@Test
	void unknownChannelNameIsPermanent() {
		channelsInTwoPages();

		SlackFailure failure = catchThrowableOfType(SlackFailure.class,
				() -> this.gateway.findPosted("#nowhere", null, "incident-42", Instant.parse("2023-11-14T22:13:20Z")));

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.PERMANENT);
		assertThat(failure.reason()).contains("channel_not_found", "#nowhere");
	}

	@Test
	void spacesTurnsToPostInOneChannelByTheChannelIntervalWhetherPostedByNameOrById() {
		Duration interval = Duration.ofMillis(200);
		answer("chat.postMessage", POSTED);
		try (SlackGateway paced = gateway(this.slack.port(), interval, 1, 1)) {
			long start = System.nanoTime();
			paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);
			Posted first = paced.post(new SlackPost("#ai-oncall", null, "first", List.of(), "incident-42"));
			// The next turn is within the gateway's patience: waited for, not refused. A
			// reply goes to the channel's ID, paced by the name its message went to.
			paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);
			paced.post(new SlackPost(first.channelId(), first.ts(), "second", List.of(), "incident-42-reply",
					"#ai-oncall"));
			paced.awaitTurnToPost("ai-oncall", Urgency.FIRST_MESSAGE);
			paced.post(new SlackPost("#ai-oncall", null, "third", List.of(), "incident-44"));
			Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

			// Turns are spaced from one another (Slack counts calls, not their answers).
			assertThat(elapsed).isGreaterThanOrEqualTo(interval.multipliedBy(2));
			assertThat(this.slack.findAll(postRequestedFor(urlEqualTo("/api/chat.postMessage")))).hasSize(3);
		}
	}

	@Test
	void twoGatewaysOnOneDatabaseShareTheChannelsPace() {
		Duration interval = Duration.ofSeconds(10);
		try (SlackGateway one = gateway(this.slack.port(), interval, 3, 1);
				SlackGateway other = gateway(this.slack.port(), interval, 3, 1)) {
			one.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);
			other.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);
			one.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);

			SlackBusy busy = catchThrowableOfType(SlackBusy.class,
					() -> other.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE));

			assertThat(busy).as("the burst of 3 is the channel's, not each instance's").isNotNull();
			assertThat(busy.retryIn()).isGreaterThan(Duration.ofSeconds(9)).isLessThanOrEqualTo(interval);
		}
	}

	@Test
	void aTurnTheDatabaseCannotGrantIsBusyAndSendsNothing() throws IOException {
		int closedPort = TestFork.freePort();
		org.postgresql.ds.PGSimpleDataSource unreachable = new org.postgresql.ds.PGSimpleDataSource();
		unreachable.setURL("jdbc:postgresql://127.0.0.1:" + closedPort + "/postgres");
		unreachable.setConnectTimeout(1);
		try (SlackGateway paced = new SlackGateway(
				new SlackSettings("xoxb-test", "secret", URI.create("http://localhost:" + this.slack.port() + "/api/"),
						TIMEOUT, Duration.ofSeconds(1), null, null, null),
				new SlackPaces(unreachable))) {

			SlackBusy page = catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE));
			SlackBusy update = catchThrowableOfType(SlackBusy.class,
					() -> paced.update("C0AIONCALL", "1700000000.000100", "text", blocks()));

			assertThat(page).as("not a failure: the delivery comes back, spending no attempt").isNotNull();
			assertThat(page.retryIn()).isEqualTo(SlackGateway.PACING_UNAVAILABLE_RETRY);
			assertThat(update.retryIn()).isEqualTo(SlackGateway.PACING_UNAVAILABLE_RETRY);
			assertThat(this.slack.getAllServeEvents()).as("nothing goes to Slack unpaced").isEmpty();
		}
	}

	@Test
	void aTurnFurtherAwayThanThePatienceIsRefusedWithItsWaitAndTakesNothing() {
		Duration interval = Duration.ofSeconds(2);
		try (SlackGateway paced = gateway(this.slack.port(), interval, 2, 1)) {
			paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);
			paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE);

			SlackBusy busy = catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("#ai-oncall", Urgency.FIRST_MESSAGE));

			assertThat(busy.retryIn()).isGreaterThan(SlackGateway.PATIENCE).isLessThanOrEqualTo(interval);
			assertThat(this.slack.getAllServeEvents()).as("a turn is no call").isEmpty();
		}
	}

	@Test
	void firstMessagesMayUseTheWholeBurstButRepliesOnlyTheirShare() {
		try (SlackGateway paced = gateway(this.slack.port(), Duration.ofSeconds(10), 4, 1)) {
			paced.awaitTurnToPost("C0AIONCALL", Urgency.FOLLOW_UP);
			SlackBusy reply = catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FOLLOW_UP));
			assertThat(reply).as("a second reply would eat into the pages' share").isNotNull();

			for (int i = 0; i < 3; i++) {
				paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE);
			}
			assertThat(catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE)))
				.as("the burst is spent")
				.isNotNull();
			// Another channel has its own pace.
			paced.awaitTurnToPost("C0OTHER", Urgency.FOLLOW_UP);
		}
	}

	@Test
	void aReplyRefusedIsToldToComeBackWhenItMayUseTheWholeBurst() {
		// A burst larger than the starvation limit, so that refilling the pages' share
		// takes longer than the limit.
		int burst = SlackGateway.REPLY_STARVATION_INTERVALS + 10;
		try (SlackGateway paced = gateway(this.slack.port(), Duration.ofSeconds(10), burst, 1)) {
			for (int i = 0; i < burst; i++) {
				paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE);
			}

			SlackBusy reply = catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FOLLOW_UP));

			// Not the (burst - 1) × 10 s until the channel has refilled to its pages'
			// share.
			assertThat(reply.retryIn()).isEqualTo(Duration.ofSeconds(10 * SlackGateway.REPLY_STARVATION_INTERVALS));
		}
	}

	@Test
	void aChannelBusyWithPagesStillLetsItsRepliesThrough() {
		Duration interval = Duration.ofMillis(100);
		try (SlackGateway paced = gateway(this.slack.port(), interval, 5, 1)) {
			for (int i = 0; i < 5; i++) {
				paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE);
			}
			long started = System.nanoTime();
			int refused = 0;
			boolean replied = false;
			while (!replied && System.nanoTime() - started < Duration.ofSeconds(5).toNanos()) {
				// Pages as fast as the channel takes them: its turns are always booked.
				catchThrowableOfType(SlackBusy.class, () -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE));
				SlackBusy busy = catchThrowableOfType(SlackBusy.class,
						() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FOLLOW_UP));
				replied = busy == null;
				refused += replied ? 0 : 1;
			}

			assertThat(refused).as("replies are held back at first").isPositive();
			assertThat(replied).as("but not for ever").isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - started))
				.isGreaterThanOrEqualTo(interval.multipliedBy(SlackGateway.REPLY_STARVATION_INTERVALS - 1));
		}
	}

	@ParameterizedTest
	@CsvSource({ "0, PT1S", "-3, PT1S", "1, PT1S", "7, PT7S", "3600, PT1H", "7200, PT1H",
			"99999999999999999999999999, PT1H" })
	void retryAfterIsHeldBetweenASecondAndAnHour(String header, Duration wait) {
		this.slack.stubFor(post("/api/chat.postMessage")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", header).withBody("")));

		SlackFailure failure = postFails();

		assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.RATE_LIMITED);
		assertThat(failure.retryAfter()).contains(wait);
	}

	@Test
	void ratelimitedErrorWithRetryAfterZeroWaitsASecond() {
		this.slack.stubFor(post("/api/chat.update")
			.willReturn(okJson("{\"ok\": false, \"error\": \"ratelimited\"}").withHeader("Retry-After", "0")));

		SlackFailure failure = catchThrowableOfType(SlackFailure.class,
				() -> this.gateway.update("C0AIONCALL", "1700000000.000100", "text", blocks()));

		assertThat(failure.retryAfter()).contains(Duration.ofSeconds(1));
	}

	@Test
	void retryAfterThatIsNoNumberOfSecondsIsIgnored() {
		assertThat(SlackGateway.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT")).isNull();
		assertThat(SlackGateway.retryAfter(" 12 ")).isEqualTo(Duration.ofSeconds(12));
		assertThat(SlackGateway.retryAfter(null)).isNull();
	}

	@Test
	void updatesAreNotHeldToThePostingPace() {
		answer("chat.update", """
				{"ok": true, "channel": "C0AIONCALL", "ts": "1700000000.000100"}
				""");
		try (SlackGateway paced = gateway(this.slack.port(), Duration.ofSeconds(10), 1, 1)) {
			paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE);
			assertThat(catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE)))
				.isNotNull();

			for (int i = 0; i < 5; i++) {
				paced.update("C0AIONCALL", "1700000000.000100", "update " + i, blocks());
			}

			assertThat(this.slack.findAll(postRequestedFor(urlEqualTo("/api/chat.update")))).hasSize(5);
		}
	}

	@Test
	void updatesArePacedForTheWorkspaceAtTheirOwnRate() {
		answer("chat.update", """
				{"ok": true, "channel": "C0AIONCALL", "ts": "1700000000.000100"}
				""");
		for (int i = 0; i < SlackGateway.TIER3_BURST; i++) {
			this.gateway.update("C0AIONCALL", "1700000000.000100", "update " + i, blocks());
		}

		SlackBusy busy = catchThrowableOfType(SlackBusy.class,
				() -> this.gateway.update("C0OTHER", "1700000000.000200", "one too many", blocks()));

		// 50 a minute: the next turn within 1.2 s.
		assertThat(busy.retryIn()).isGreaterThan(SlackGateway.PATIENCE).isLessThanOrEqualTo(Duration.ofMillis(1200));
		assertThat(this.slack.findAll(postRequestedFor(urlEqualTo("/api/chat.update"))))
			.hasSize(SlackGateway.TIER3_BURST);
	}

	@Test
	void tooManyRequestsPausesTheChannelForRetryAfter() {
		this.slack.stubFor(post("/api/chat.postMessage")
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3").withBody("")));
		try (SlackGateway paced = gateway(this.slack.port(), Duration.ofMillis(100), 10, 3)) {
			paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE);
			catchThrowableOfType(SlackFailure.class,
					() -> paced.post(new SlackPost("C0AIONCALL", null, "text", List.of(), "incident-42")));

			SlackBusy busy = catchThrowableOfType(SlackBusy.class,
					() -> paced.awaitTurnToPost("C0AIONCALL", Urgency.FIRST_MESSAGE));

			assertThat(busy.retryIn()).isGreaterThan(Duration.ofMillis(2500))
				.isLessThanOrEqualTo(Duration.ofSeconds(3));
		}
	}

	@Test
	void withoutBotTokenNothingIsSent() {
		try (SlackGateway disabled = new SlackGateway(
				new SlackSettings(" ", null, URI.create("http://localhost:" + this.slack.port() + "/api/"), TIMEOUT,
						Duration.ZERO, null, null, null),
				new SlackPaces(database.dataSource()))) {
			assertThat(disabled.enabled()).isFalse();
			SlackFailure failure = catchThrowableOfType(SlackFailure.class,
					() -> disabled.post(new SlackPost("C0AIONCALL", null, "text", List.of(), "incident-42")));

			assertThat(failure.kind()).isEqualTo(SlackFailure.Kind.PERMANENT);
			assertThat(this.slack.getAllServeEvents()).isEmpty();
		}
		assertThat(this.gateway.enabled()).isTrue();
	}

	private SlackFailure postFails() {
		return catchThrowableOfType(SlackFailure.class,
				() -> this.gateway.post(new SlackPost("C0AIONCALL", null, "text", List.of(), "incident-42")));
	}

	private void answer(String method, String json) {
		this.slack.stubFor(post("/api/" + method).willReturn(okJson(json)));
	}

	private void channelsInTwoPages() {
		this.slack.stubFor(post("/api/conversations.list").atPriority(5).willReturn(okJson("""
				{"ok": true, "channels": [{"id": "C0GENERAL", "name": "general"}],
				 "response_metadata": {"next_cursor": "page-2"}}
				""")));
		this.slack.stubFor(post("/api/conversations.list").atPriority(1)
			.withFormParam("cursor", equalTo("page-2"))
			.willReturn(okJson("""
					{"ok": true, "channels": [{"id": "C0AIONCALL", "name": "ai-oncall"}],
					 "response_metadata": {"next_cursor": ""}}
					""")));
	}

	private static List<LayoutBlock> blocks() {
		return List
			.of(SectionBlock.builder().text(MarkdownTextObject.builder().text("*Database* is down").build()).build());
	}

	private static SlackGateway gateway(int port, Duration channelInterval) {
		return gateway(port, channelInterval, null, null);
	}

	private static SlackGateway gateway(int port, Duration channelInterval, Integer burst, Integer replyBurst) {
		return new SlackGateway(new SlackSettings("xoxb-test", "secret",
				URI.create("http://localhost:" + port + "/api/"), TIMEOUT, channelInterval, burst, replyBurst, null),
				new SlackPaces(database.dataSource()));
	}

}
