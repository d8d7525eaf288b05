package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.notifications.SlackApi;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failed notification on the incident page, over real HTTP with real sign-in and CSRF
 * tokens, against WireMock standing in for Slack: the page says it failed and why; a
 * responder's Resend delivers it and is audited; a viewer sees no button and is refused.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-resend", "warden.slack.bot-token=xoxb-test-token",
		"warden.slack.timeout=1s", "warden.slack.channel-interval=50ms", "warden.notifications.initial-backoff=1s",
		"warden.notifications.max-backoff=2s", "warden.console.admin.username=" + ConsoleNotificationResendTests.ADMIN,
		"warden.console.admin.password=" + ConsoleNotificationResendTests.PASSWORD })
class ConsoleNotificationResendTests {

	static final String ADMIN = "resend-admin";

	static final String PASSWORD = "resend-password-0123";

	private static final SlackApi slack = new SlackApi();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	WardenClient warden;

	String title;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.slack.methods-url", slack::url);
		registry.add("warden.routing.file", ConsoleNotificationResendTests::routing);
	}

	@AfterAll
	static void stop() {
		slack.close();
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
		this.title = "resend-test-" + UUID.randomUUID();
		slack.reset();
	}

	@Test
	void responderResendsAFailedNotificationFromTheIncidentPage() {
		StubMapping notInChannel = failPosts("not_in_channel");
		long incident = open();
		long failed = awaitFailed(incident);
		String responder = ConsoleUserRows.create(this.jdbc, "responder", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(responder, PASSWORD);
		String path = "/incidents/" + incident;
		String action = path + "/notifications/" + failed + "/resend";

		ConsoleBrowser.Page page = browser.get(path);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("1 notification failed")
			.contains("not_in_channel")
			.contains("action=\"" + action + "\"")
			.contains(">Resend</button>");

		ConsoleBrowser.Page withoutToken = browser.post(action, Map.of());
		assertThat(withoutToken.status()).as("no CSRF token, no resend").isEqualTo(403);
		assertThat(status(incident)).isEqualTo("failed");

		// The bot is invited to the channel; then the responder resends.
		slack.remove(notInChannel);
		ConsoleBrowser.Page resent = browser.submit(path, action, Map.of());
		assertThat(resent.status()).isEqualTo(302);
		assertThat(resent.location()).endsWith(path);
		assertThat(browser.follow(resent).body()).contains("Notification owed again");

		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident).equals("sent"));
		assertThat(slack.carriedOut("chat.postMessage")).as("delivered once")
			.filteredOn((post) -> post.get("text").contains(this.title))
			.hasSize(1);
		assertThat(browser.get(path).body()).doesNotContain("notification failed").doesNotContain(">Resend</button>");
		assertThat(this.jdbc.sql("""
				select actor from audit_event where action = 'notification.resend' and target = ?""")
			.param("notification " + failed)
			.query(String.class)
			.list()).containsExactly(responder);
		assertThat(timelineSummaries(incident)).anyMatch((summary) -> summary.contains("owed again by " + responder));

		ConsoleBrowser.Page again = browser.submit(path, action, Map.of());
		assertThat(again.status()).isEqualTo(302);
		assertThat(browser.follow(again).body()).as("only a failed notification can be resent")
			.contains("only a failed notification can be sent again");
	}

	@Test
	void viewerSeesTheFailureButCannotResend() {
		failPosts("channel_not_found");
		long incident = open();
		long failed = awaitFailed(incident);
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD);
		String path = "/incidents/" + incident;

		ConsoleBrowser.Page page = browser.get(path);
		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("1 notification failed")
			.contains("channel_not_found")
			.doesNotContain("/resend\"")
			.doesNotContain(">Resend</button>");

		ConsoleBrowser.Page refused = browser.post(path + "/notifications/" + failed + "/resend",
				Map.of("_csrf", page.csrfToken()));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(status(incident)).isEqualTo("failed");
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'notification.resend' and target = ?")
			.param("notification " + failed)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void notificationOfAnotherIncidentIsNotResentThroughThisOne() {
		failPosts("channel_not_found");
		long incident = open();
		long failed = awaitFailed(incident);
		long other = this.warden.open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary("Other " + UUID.randomUUID())
			.json());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page answer = browser.submit("/incidents/" + other,
				"/incidents/" + other + "/notifications/" + failed + "/resend", Map.of());

		assertThat(answer.status()).isEqualTo(302);
		assertThat(browser.follow(answer).body()).contains("There is no notification " + failed);
		assertThat(status(incident)).isEqualTo("failed");
	}

	@Test
	void malformedNotificationIdsAreRefusedWithA400AndResendNothing() {
		failPosts("channel_not_found");
		long incident = open();
		long failed = awaitFailed(incident);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident;

		for (String id : new String[] { "0", "-1", "abc", "99999999999999999999" }) {
			ConsoleBrowser.Page answer = browser.submit(path, path + "/notifications/" + id + "/resend", Map.of());
			assertThat(answer.status()).as("notification id '%s'", id).isEqualTo(400);
		}
		assertThat(status(incident)).isEqualTo("failed");
		assertThat(this.jdbc.sql("select count(*) from audit_event where action = 'notification.resend' and target = ?")
			.param("notification " + failed)
			.query(Long.class)
			.single()).isZero();
	}

	private StubMapping failPosts(String error) {
		return slack.stub(post(urlPathEqualTo("/api/chat.postMessage"))
			.withRequestBody(containing(URLEncoder.encode(this.title, StandardCharsets.UTF_8)))
			.atPriority(1)
			.willReturn(okJson("{\"ok\": false, \"error\": \"" + error + "\"}")));
	}

	private long open() {
		return this.warden.open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(30))
			.summary(this.title)
			.json());
	}

	private long awaitFailed(long incident) {
		await().atMost(Duration.ofSeconds(20)).until(() -> status(incident).equals("failed"));
		return message(incident).get("id").asLong();
	}

	private JsonNode message(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/notifications")
			.json()
			.valueStream()
			.filter((each) -> each.get("kind").asString().equals("slack.message"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no Slack message owed for incident " + incident));
	}

	private String status(long incident) {
		return message(incident).get("status").asString();
	}

	private java.util.List<String> timelineSummaries(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident)
			.json()
			.get("timeline")
			.valueStream()
			.map((event) -> event.get("summary").asString())
			.toList();
	}

	/** Every incident goes to {@code #it-oncall}. */
	private static String routing() {
		try {
			Path file = Files.createTempFile("routing-", ".yaml");
			Files.writeString(file, """
					route:
					  name: root
					  notify:
					    slack: ["#it-oncall"]
					""");
			file.toFile().deleteOnExit();
			return file.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
