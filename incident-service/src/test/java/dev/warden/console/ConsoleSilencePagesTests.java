package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.routing.Silence;
import dev.warden.routing.Silences;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.Html.part;
import static dev.warden.console.Html.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The silences page over real HTTP with real sign-in: a silence created on the page is
 * active, in the signed-in user's name, and keeps a matching alert's incident quiet;
 * expiring it moves it to the recently ended; bad silences are refused with the page and
 * the reasons, and nothing is stored; a viewer sees the page but cannot post.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-silences",
		"warden.console.admin.username=" + ConsoleSilencePagesTests.ADMIN,
		"warden.console.admin.password=" + ConsoleSilencePagesTests.PASSWORD })
class ConsoleSilencePagesTests {

	static final String ADMIN = "silences-admin";

	static final String PASSWORD = "silences-password-0123";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Silences silences;

	WardenClient warden;

	/** Labels of this test's own, so that no other test's silence matches its alerts. */
	private final String instance = "fp-" + UUID.randomUUID();

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void silenceCreatedOnThePageIsActiveAndKeepsAMatchingIncidentQuiet() {
		ConsoleBrowser browser = admin();
		Instant now = this.clock.instant();

		ConsoleBrowser.Page created = browser.submit("/silences", "/silences",
				Map.of("matchers", "alertname=\"InferenceLatencyHigh\"\r\n\r\ninstance=" + this.instance, "duration",
						"2h", "comment", "planned maintenance"));

		assertThat(created.status()).as(created.body()).isEqualTo(302);
		Silence silence = mine();
		assertThat(silence.createdBy()).isEqualTo(ADMIN);
		assertThat(silence.startsAt()).isEqualTo(now);
		assertThat(silence.endsAt()).isEqualTo(now.plus(Duration.ofHours(2)));
		assertThat(silence.comment()).isEqualTo("planned maintenance");
		ConsoleBrowser.Page page = browser.follow(created);
		assertThat(text(page.body())).contains("Created silence " + silence.id());
		String active = text(table(page, "active-heading"));
		assertThat(active).contains("alertname=\"InferenceLatencyHigh\" instance=\"" + this.instance + "\"")
			.contains(ADMIN)
			.contains("planned maintenance")
			.contains("in 2 h");
		assertThat(this.silences.activeAt(now)).extracting(Silence::id).contains(silence.id());

		long incident = this.warden.open(
				Payloads.group().firing(this.instance, now.minusSeconds(30)).summary("Silenced on the console").json());

		List<JsonNode> timeline = this.warden.get("/api/v1/incidents/" + incident)
			.json()
			.get("timeline")
			.valueStream()
			.toList();
		assertThat(timeline).anySatisfy((event) -> {
			assertThat(event.get("type").asString()).isEqualTo("notification.suppressed");
			assertThat(event.get("summary").asString()).contains(silence.id().toString())
				.contains("planned maintenance");
		});
	}

	@Test
	void silenceStartingLaterIsUpcomingAndTheEndCanBeATime() {
		ConsoleBrowser browser = admin();

		ConsoleBrowser.Page created = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "startsAt", "2026-11-23T01:00", "duration", "2h",
						"endsAt", "2026-11-23T03:30", "comment", "night maintenance"));

		assertThat(created.status()).as(created.body()).isEqualTo(302);
		Silence silence = mine();
		assertThat(silence.startsAt()).isEqualTo(Instant.parse("2026-11-23T01:00:00Z"));
		assertThat(silence.endsAt()).as("the end time wins over the duration")
			.isEqualTo(Instant.parse("2026-11-23T03:30:00Z"));
		ConsoleBrowser.Page page = browser.get("/silences", "Cookie", "tz=Europe%2FBerlin");
		assertThat(text(table(page, "pending-heading"))).contains(this.instance)
			.contains("2026-11-23 02:00:00 CET")
			.contains("2026-11-23 04:30:00 CET");
		assertThat(this.silences.activeAt(this.clock.instant())).extracting(Silence::id).doesNotContain(silence.id());
	}

	@Test
	void expiringMovesTheSilenceOutOfTheActiveOnes() {
		ConsoleBrowser browser = admin();
		browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "1h", "comment", "short one"));
		Silence silence = mine();
		String expire = "/silences/" + silence.id() + "/expire";
		assertThat(table(browser.get("/silences"), "active-heading")).contains(expire);

		ConsoleBrowser.Page expired = browser.submit("/silences", expire, Map.of());

		assertThat(expired.status()).isEqualTo(302);
		assertThat(this.silences.activeAt(this.clock.instant())).extracting(Silence::id).doesNotContain(silence.id());
		ConsoleBrowser.Page page = browser.follow(expired);
		assertThat(text(page.body())).contains("Expired silence " + silence.id());
		assertThat(page.body()).doesNotContain(expire);
		assertThat(text(table(page, "expired-heading"))).contains(this.instance).contains("expired by " + ADMIN);
		ConsoleBrowser.Page again = browser.submit("/silences", expire, Map.of());
		assertThat(again.status()).isEqualTo(409);
		assertThat(error(again))
			.isEqualTo("Silence " + silence.id() + " was already expired by " + ADMIN + " at 2026-11-22 21:00:00 UTC.");
		ConsoleBrowser.Page unknown = browser.submit("/silences", "/silences/" + UUID.randomUUID() + "/expire",
				Map.of());
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(error(unknown)).contains("There is no silence");
	}

	@Test
	void badSilencesShowTheReasonsAndStoreNothing() {
		ConsoleBrowser browser = admin();
		long before = count();

		ConsoleBrowser.Page badMatcher = browser.submit("/silences", "/silences",
				Map.of("matchers", "alertname=\"DiskFull\"\n\n=oops", "duration", "2h", "comment", "typo on line 3"));
		ConsoleBrowser.Page noMatchers = browser.submit("/silences", "/silences",
				Map.of("matchers", " \n ", "duration", "2h", "comment", "nothing"));
		ConsoleBrowser.Page badRegex = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=~\"(\"", "duration", "2h", "comment", "bad regex"));
		ConsoleBrowser.Page lookahead = browser.submit("/silences", "/silences", Map.of("matchers",
				"alertname=\"DiskFull\"\ninstance=~\"(?=db).*\"", "duration", "2h", "comment", "RE2 has no lookahead"));
		ConsoleBrowser.Page endInThePast = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "endsAt", "2026-11-22T20:00", "comment", "too late"));
		ConsoleBrowser.Page endBeforeStart = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "startsAt", "2026-11-23T02:00", "endsAt",
						"2026-11-23T01:00", "comment", "backwards"));
		ConsoleBrowser.Page badDuration = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "soon", "comment", "when?"));
		ConsoleBrowser.Page bareNumber = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "30", "comment", "30 what?"));
		ConsoleBrowser.Page noComment = browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "2h", "comment", ""));

		assertThat(bareNumber.status()).as("a duration without a unit").isEqualTo(400);
		assertThat(error(bareNumber)).contains("The duration '30' is not one like 30m, 2h or 3d.");
		assertThat(badMatcher.status()).isEqualTo(400);
		assertThat(error(badMatcher)).contains("Line 3: ").contains("expected a label name");
		assertThat(badMatcher.body()).as("the form as it was posted").contains("typo on line 3");
		assertThat(noMatchers.status()).isEqualTo(400);
		assertThat(error(noMatchers)).contains("at least one matcher is required");
		assertThat(badRegex.status()).isEqualTo(400);
		assertThat(error(badRegex)).contains("is not a valid regular expression");
		assertThat(lookahead.status()).isEqualTo(400);
		assertThat(error(lookahead)).contains("Line 2: ", "instance=~\"(?=db).*\"", "RE2");
		assertThat(endInThePast.status()).isEqualTo(400);
		assertThat(error(endInThePast)).contains("The end (2026-11-22 20:00:00 UTC) is in the past.");
		assertThat(endBeforeStart.status()).isEqualTo(400);
		assertThat(error(endBeforeStart))
			.contains("The end (2026-11-23 01:00:00 UTC) must be after the start (2026-11-23 02:00:00 UTC).");
		assertThat(badDuration.status()).isEqualTo(400);
		assertThat(error(badDuration)).contains("The duration 'soon' is not one like 30m, 2h or 3d.");
		assertThat(noComment.status()).isEqualTo(400);
		assertThat(error(noComment)).contains("comment is required");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void viewerSeesThePageButCannotPost() {
		admin().submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "1h", "comment", "seen by a viewer"));
		Silence silence = mine();
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD);
		long before = count();

		ConsoleBrowser.Page page = browser.get("/silences");
		assertThat(page.status()).isEqualTo(200);
		assertThat(text(table(page, "active-heading"))).contains("seen by a viewer");
		assertThat(page.body()).doesNotContain("Create silence").doesNotContain("/expire\"");

		ConsoleBrowser.Page create = browser.post("/silences", Map.of("_csrf", page.csrfToken(), "matchers",
				"instance=" + this.instance, "duration", "1h", "comment", "viewer"));
		ConsoleBrowser.Page expire = browser.post("/silences/" + silence.id() + "/expire",
				Map.of("_csrf", page.csrfToken()));
		assertThat(create.status()).isEqualTo(403);
		assertThat(expire.status()).isEqualTo(403);
		assertThat(count()).isEqualTo(before);
		assertThat(this.silences.activeAt(this.clock.instant())).extracting(Silence::id).contains(silence.id());
	}

	@Test
	void withoutAnAlertmanagerTheSilenceHoldsInWardenOnlyAndThePageSaysSo() {
		ConsoleBrowser browser = admin();
		browser.submit("/silences", "/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "1h", "comment", "Warden only"));
		Silence silence = mine();

		assertThat(silence.alertmanager()).as("not copied anywhere").isNull();
		assertThat(this.jdbc.sql("select count(*) from scheduled_tasks where task_name = 'alertmanager-silence-sync'")
			.query(Long.class)
			.single()).as("no job churns").isZero();
		ConsoleBrowser.Page page = browser.get("/silences");
		assertThat(text(page.body())).contains("No Alertmanager is configured");
		assertThat(text(table(page, "active-heading"))).contains("Warden only").doesNotContain("Alertmanager");
		JsonNode listing = this.warden.get("/api/v1/silences/alertmanager").json();
		assertThat(listing.get("configured").asBoolean()).isFalse();
		assertThat(listing.get("silences").isEmpty()).isTrue();
		assertThat(this.warden.get("/api/v1/silences/" + silence.id()).json().get("alertmanager").isNull()).isTrue();
	}

	@Test
	void postWithoutCsrfTokenIsRefused() {
		long before = count();

		ConsoleBrowser.Page refused = admin().post("/silences",
				Map.of("matchers", "instance=" + this.instance, "duration", "1h", "comment", "no token"));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(count()).isEqualTo(before);
	}

	private ConsoleBrowser admin() {
		return new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
	}

	/** This test's one silence. */
	private Silence mine() {
		List<Silence> mine = this.silences.list(null)
			.stream()
			.filter((silence) -> silence.matchers().stream().anyMatch((m) -> m.value().equals(this.instance)))
			.toList();
		assertThat(mine).hasSize(1);
		return mine.getFirst();
	}

	private long count() {
		return this.jdbc.sql("select count(*) from silence").query(Long.class).single();
	}

	/** The table under the heading with this id. */
	private static String table(ConsoleBrowser.Page page, String heading) {
		return part(page.body(), "<table[^>]*aria-labelledby=\"" + heading + "\"[^>]*>(.*?)</table>");
	}

	/**
	 * The page's error messages, as text: the form's when it has any, else the page's.
	 */
	private static String error(ConsoleBrowser.Page page) {
		String form = "<div[^>]*role=\"alert\"[^>]*>(.*?)</div>";
		return text(part(page.body(), Pattern.compile(form, Pattern.DOTALL).matcher(page.body()).find() ? form
				: "<p[^>]*role=\"alert\"[^>]*>(.*?)</p>"));
	}

}
