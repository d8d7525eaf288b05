package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.escalation.OnCall;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.Html.part;
import static dev.warden.console.Html.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The on-call page over real HTTP with real sign-in, on a clock fixed at Sunday
 * 2026-11-22 21:00 UTC: who is on call now and next (worked out by hand below), in the
 * viewer's time zone; a responder adds an override that changes who is on call now and
 * removes it again; bad overrides are refused with the page and the reason, and nothing
 * is stored; a viewer sees the page but cannot post.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-oncall",
		"warden.console.admin.username=" + ConsoleOnCallPagesTests.ADMIN,
		"warden.console.admin.password=" + ConsoleOnCallPagesTests.PASSWORD })
class ConsoleOnCallPagesTests {

	static final String ADMIN = "oncall-admin";

	static final String PASSWORD = "oncall-password-0123";

	/**
	 * console-weekly hands over every Monday 09:00 UTC from 2026-11-16 (bob, then alice);
	 * console-daily every day at 09:00 in Berlin (08:00 UTC) from 2026-11-20 (carol,
	 * dave, carol, ...).
	 */
	private static final String ONCALL = """
			users:
			  - {name: alice, full-name: Alice Archer, email: alice@example.com, time-zone: Europe/Berlin}
			  - {name: bob, full-name: Bob Baker, email: bob@example.com}
			  - {name: carol, full-name: Carol Chen, email: carol@example.com}
			  - {name: dave, full-name: Dave Diaz, email: dave@example.com}
			schedules:
			  - name: console-weekly
			    time-zone: UTC
			    rotations:
			      - {users: [bob, alice], shift: 1w, handoff: 2026-11-16T09:00}
			  - name: console-daily
			    time-zone: Europe/Berlin
			    rotations:
			      - {users: [carol, dave], shift: 1d, handoff: 2026-11-20T09:00}
			escalation-policies:
			  - name: console-policy
			    repeat: 2
			    levels:
			      - delay: 0m
			        notify: {schedules: [console-weekly]}
			      - delay: 15m
			        notify: {users: [carol], slack: ["#console-leads"]}
			""";

	private static final Path FILE = write(ONCALL);

	private static final String WEEKLY = "/oncall/console-weekly/overrides";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	OnCall onCall;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.oncall.file", FILE::toString);
	}

	@BeforeEach
	void setUp() {
		this.clock.set(IntegrationTest.START);
		this.jdbc.sql("delete from oncall_override").update();
	}

	@Test
	void showsWhoIsOnCallNowAndNextForEverySchedule() {
		ConsoleBrowser.Page page = admin().get("/oncall");

		assertThat(page.status()).as(page.body()).isEqualTo(200);
		// Bob's week runs from Monday 2026-11-16 09:00 to Monday 2026-11-23 09:00; it is
		// Sunday 21:00: 6 d 12 h in, 12 h to go.
		assertThat(now(page, "console-weekly"))
			.isEqualTo("Bob Baker (bob) since 2026-11-16 09:00:00 UTC (6 d 12 h ago),"
					+ " until 2026-11-23 09:00:00 UTC (in 12 h)");
		assertThat(next(page, "console-weekly"))
			.isEqualTo("Alice Archer (alice) from 2026-11-23 09:00:00 UTC (in 12 h), until 2026-11-30 09:00:00 UTC");
		// Day 3 of the daily rotation (carol, dave, carol): 2026-11-22 08:00 UTC to
		// 2026-11-23 08:00 UTC.
		assertThat(now(page, "console-daily")).isEqualTo("Carol Chen (carol) since 2026-11-22 08:00:00 UTC (13 h ago),"
				+ " until 2026-11-23 08:00:00 UTC (in 11 h)");
		assertThat(next(page, "console-daily"))
			.isEqualTo("Dave Diaz (dave) from 2026-11-23 08:00:00 UTC (in 11 h), until 2026-11-24 08:00:00 UTC");
		assertThat(text(section(page, "console-weekly"))).contains("No override in force or to come.");
		assertThat(text(page.body())).contains("console-policy")
			.contains("1 at once schedules console-weekly")
			.contains("2 15 min users carol, slack #console-leads")
			.contains("runs again from level 1, 2 more times.");
	}

	@Test
	void showsTimesInTheViewersTimeZone() {
		ConsoleBrowser.Page page = admin().get("/oncall", "Cookie", "tz=Europe%2FBerlin");

		assertThat(page.status()).isEqualTo(200);
		assertThat(now(page, "console-daily")).isEqualTo("Carol Chen (carol) since 2026-11-22 09:00:00 CET (13 h ago),"
				+ " until 2026-11-23 09:00:00 CET (in 11 h)");
		assertThat(section(page, "console-weekly")).contains("value=\"2026-11-22T22:00\"")
			.as("the new override's end: when bob's shift ends")
			.contains("value=\"2026-11-23T10:00\"");
	}

	@Test
	void overrideAddedOnThePageChangesWhoIsOnCallNow() {
		ConsoleBrowser browser = admin();

		ConsoleBrowser.Page added = browser.submit("/oncall", WEEKLY,
				Map.of("user", "dave", "from", "2026-11-22T20:00", "to", "2026-11-23T01:00", "reason", "bob is ill"));

		assertThat(added.status()).as(added.body()).isEqualTo(302);
		assertThat(added.location()).endsWith("/oncall");
		assertThat(this.onCall.onCall("console-weekly", this.clock.instant()).orElseThrow().user().name())
			.isEqualTo("dave");
		assertThat(this.jdbc.sql("select created_by from oncall_override").query(String.class).single())
			.isEqualTo(ADMIN);
		ConsoleBrowser.Page page = browser.follow(added);
		assertThat(text(page.body())).contains(
				"Dave Diaz is on call for console-weekly from 2026-11-22 20:00:00 UTC until 2026-11-23 01:00:00 UTC.");
		assertThat(now(page, "console-weekly"))
			.isEqualTo("Dave Diaz (dave) override since 2026-11-22 20:00:00 UTC (1 h ago),"
					+ " until 2026-11-23 01:00:00 UTC (in 4 h)");
		assertThat(next(page, "console-weekly"))
			.isEqualTo("Bob Baker (bob) from 2026-11-23 01:00:00 UTC (in 4 h), until 2026-11-23 09:00:00 UTC");
		assertThat(text(section(page, "console-weekly"))).contains("Dave Diaz (dave) in force")
			.contains("bob is ill")
			.doesNotContain("No override in force or to come.");
		assertThat(now(page, "console-daily")).as("other schedules keep their rotation").startsWith("Carol Chen");
	}

	@Test
	void badOverridesShowTheReasonAndStoreNothing() {
		ConsoleBrowser browser = admin();

		ConsoleBrowser.Page backwards = browser.submit("/oncall", WEEKLY,
				Map.of("user", "dave", "from", "2026-11-23T01:00", "to", "2026-11-22T23:00", "reason", "typo"));
		ConsoleBrowser.Page unknownUser = browser.submit("/oncall", WEEKLY,
				Map.of("user", "mallory", "from", "2026-11-22T22:00", "to", "2026-11-22T23:00"));
		ConsoleBrowser.Page past = browser.submit("/oncall", WEEKLY,
				Map.of("user", "dave", "from", "2026-11-22T18:00", "to", "2026-11-22T19:00"));
		ConsoleBrowser.Page notATime = browser.submit("/oncall", WEEKLY,
				Map.of("user", "dave", "from", "tomorrow", "to", "2026-11-22T23:00"));
		ConsoleBrowser.Page unknownSchedule = browser.submit("/oncall", "/oncall/nope/overrides",
				Map.of("user", "dave", "from", "2026-11-22T22:00", "to", "2026-11-22T23:00"));

		assertThat(backwards.status()).isEqualTo(400);
		assertThat(error(backwards))
			.isEqualTo("The end (2026-11-22 23:00:00 UTC) must be after the start (2026-11-23 01:00:00 UTC).");
		assertThat(section(backwards, "console-weekly")).as("the form as it was posted")
			.contains("value=\"2026-11-23T01:00\"")
			.contains("value=\"typo\"");
		assertThat(unknownUser.status()).isEqualTo(400);
		assertThat(error(unknownUser)).contains("There is no user 'mallory'");
		assertThat(past.status()).isEqualTo(400);
		assertThat(error(past)).startsWith("The end (2026-11-22 19:00:00 UTC) is in the past");
		assertThat(notATime.status()).isEqualTo(400);
		assertThat(error(notATime)).contains("The start 'tomorrow' is not a date and time");
		assertThat(unknownSchedule.status()).isEqualTo(404);
		assertThat(text(unknownSchedule.body())).contains("There is no on-call schedule 'nope'");
		assertThat(this.jdbc.sql("select count(*) from oncall_override").query(Long.class).single()).isZero();
	}

	@Test
	void overrideIsRemovedOnThePage() {
		ConsoleBrowser browser = admin();
		browser.submit("/oncall", WEEKLY, Map.of("user", "dave", "from", "2026-11-22T20:00", "to", "2026-11-23T01:00"));
		long id = this.jdbc.sql("select id from oncall_override").query(Long.class).single();
		assertThat(browser.get("/oncall").body()).contains(WEEKLY + "/" + id + "/delete");

		ConsoleBrowser.Page removed = browser.submit("/oncall", WEEKLY + "/" + id + "/delete", Map.of());

		assertThat(removed.status()).isEqualTo(302);
		assertThat(this.jdbc.sql("select count(*) from oncall_override").query(Long.class).single()).isZero();
		ConsoleBrowser.Page page = browser.follow(removed);
		assertThat(text(page.body())).contains("Removed override " + id + " of console-weekly.");
		assertThat(now(page, "console-weekly")).startsWith("Bob Baker (bob) since 2026-11-16 09:00:00 UTC");
		ConsoleBrowser.Page again = browser.submit("/oncall", WEEKLY + "/" + id + "/delete", Map.of());
		assertThat(again.status()).isEqualTo(404);
		assertThat(text(again.body())).contains("Schedule console-weekly has no override " + id);
	}

	@Test
	void viewerSeesThePageButCannotPost() {
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD);

		ConsoleBrowser.Page page = browser.get("/oncall");
		assertThat(page.status()).isEqualTo(200);
		assertThat(now(page, "console-weekly")).startsWith("Bob Baker");
		assertThat(page.body()).doesNotContain("Add an override").doesNotContain("action=\"" + WEEKLY + "\"");

		ConsoleBrowser.Page refused = browser.post(WEEKLY, Map.of("_csrf", page.csrfToken(), "user", "dave", "from",
				"2026-11-22T20:00", "to", "2026-11-23T01:00"));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(this.jdbc.sql("select count(*) from oncall_override").query(Long.class).single()).isZero();
	}

	@Test
	void postWithoutCsrfTokenIsRefused() {
		ConsoleBrowser.Page refused = admin().post(WEEKLY,
				Map.of("user", "dave", "from", "2026-11-22T20:00", "to", "2026-11-23T01:00"));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(this.jdbc.sql("select count(*) from oncall_override").query(Long.class).single()).isZero();
	}

	@Test
	void readsTheFormsTimesInTheViewersTimeZone() {
		OnCallPages.NewOverride read = new OnCallPages.OverrideForm(" dave ", "2026-11-23T09:30", "2026-11-23T17:00",
				" ")
			.read(new Times(ZoneId.of("Europe/Berlin"), IntegrationTest.START));

		assertThat(read).isEqualTo(new OnCallPages.NewOverride("dave", Instant.parse("2026-11-23T08:30:00Z"),
				Instant.parse("2026-11-23T16:00:00Z"), null));
	}

	private ConsoleBrowser admin() {
		return new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
	}

	/** What the page says about who is on call now for the schedule, as text. */
	private static String now(ConsoleBrowser.Page page, String schedule) {
		return text(part(section(page, schedule), "<dd[^>]*class=\"oncall-now[^\"]*\">(.*?)</dd>"));
	}

	/** What the page says about who is next for the schedule, as text. */
	private static String next(ConsoleBrowser.Page page, String schedule) {
		return text(part(section(page, schedule), "<dd[^>]*class=\"oncall-next[^\"]*\">(.*?)</dd>"));
	}

	/** The page's error message, as text. */
	private static String error(ConsoleBrowser.Page page) {
		return text(part(page.body(), "<p[^>]*role=\"alert\"[^>]*>(.*?)</p>"));
	}

	private static String section(ConsoleBrowser.Page page, String schedule) {
		return part(page.body(), "<section[^>]*id=\"schedule-" + Pattern.quote(schedule) + "\"[^>]*>(.*?)</section>");
	}

	private static Path write(String content) {
		try {
			Path file = Files.createTempFile("console-oncall-", ".yaml");
			Files.writeString(file, content);
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
