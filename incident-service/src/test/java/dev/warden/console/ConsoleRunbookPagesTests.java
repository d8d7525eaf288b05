package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.Rows;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.runbooks.RunbookCatalog;
import dev.warden.runbooks.RunbookService;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runbook pages over real HTTP with real sign-in: the catalog with match rules, how
 * each runbook starts (and whether automatic runs are paused) and its success rate
 * counted from its runs; a runbook's steps and last runs; a dry-run form that leads to
 * the dry-run page or says what is wrong; and a reload, for admins only, that shows a
 * broken file's problems by file and line while the catalog keeps the last good
 * definition.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-runbooks",
		"warden.console.admin.username=" + ConsoleRunbookPagesTests.ADMIN,
		"warden.console.admin.password=" + ConsoleRunbookPagesTests.PASSWORD })
class ConsoleRunbookPagesTests {

	static final String ADMIN = "runbook-pages-admin";

	static final String PASSWORD = "runbook-pages-password-0123";

	private static final String RESTART = """
			id: pages-restart
			title: Restart the pages database
			description: Restarts the database container, then waits for the alert to resolve.
			match:
			  - alertname="PagesDatabaseDown"
			  - db=~"primary|replica"
			mode: auto
			steps:
			  - name: Restart the database container
			    action: docker.restart
			    timeout: 2m
			    with:
			      selector: {app: pages-db}
			  - name: Wait for the alert to resolve
			    action: verify.resolved
			    with: {within: 5m}
			""";

	private static final String CHECK = """
			id: pages-check
			title: Check the inference API
			mode: manual
			on-failure: leave
			steps:
			  - name: Give it a moment
			    action: wait
			    with: {duration: 30s}
			  - name: Call the health endpoint
			    action: http.check
			    timeout: 1m
			    with: {url: "http://127.0.0.1:9/health", expect-status: 200}
			""";

	private static final String IDLE = """
			id: pages-idle
			title: Idle runbook
			match:
			  - alertname="PagesNeverFires"
			mode: approval
			steps:
			  - name: Wait
			    action: wait
			    with: {duration: 1s}
			""";

	private static final Path RUNBOOKS = runbooks();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RunbookCatalog catalog;

	@Autowired
	RunbookService runbooks;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@Test
	void catalogListsRunbooksWithTheirMatchRulesAndASuccessRateCountedFromTheirRuns() {
		long first = open("Catalog test " + UUID.randomUUID());
		long second = open("Catalog test " + UUID.randomUUID());
		Instant now = this.clock.instant();
		run("pages-restart", first, "SUCCEEDED", "AUTOMATIC", "warden", now.minusSeconds(3600), 60);
		run("pages-restart", first, "CANCELLED", "MANUAL", "someone", now.minusSeconds(3000), 0);
		run("pages-restart", second, "SUCCEEDED", "AUTOMATIC", "warden", now.minusSeconds(2400), 60);
		run("pages-restart", second, "FAILED", "AUTOMATIC", "warden", now.minusSeconds(600), 120);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page page = browser.get("/runbooks");

		assertThat(page.status()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains("Automatic runs are on").contains("3 runbook(s) loaded, no problems.");
		String restart = row(page.body(), "pages-restart");
		assertThat(restart).contains("href=\"/runbooks/pages-restart\"")
			.contains("Restart the pages database")
			.contains("alertname=&quot;PagesDatabaseDown&quot;")
			.contains("db=~&quot;primary|replica&quot;")
			.contains("⚡ automatic")
			.contains("<td>2</td>");
		// Succeeded of those that succeeded or failed: 2 of 3; the cancelled run is
		// counted apart.
		assertThat(restart).contains("<strong>2 of 3</strong> succeeded").contains("67%").contains("1 cancelled");
		assertThat(restart).as("the newest run is the last one")
			.contains("✖ failed")
			.contains("10 min ago")
			.contains("href=\"/incidents/" + second + "\"");
		assertThat(row(page.body(), "pages-idle")).contains("✋ needs approval")
			.contains("alertname=&quot;PagesNeverFires&quot;")
			.contains("no runs");
		// An alert's runbook label cannot start a runbook without match rules (issue 11).
		assertThat(row(page.body(), "pages-check")).contains("☞ manual only")
			.contains("no match rules: only by hand")
			.doesNotContain("runbook=&quot;pages-check&quot;");
		assertThat(page.body()).contains("action=\"/runbooks/reload\"");
	}

	@Test
	void catalogSaysWhenAutomaticRunsArePausedAndWhy() {
		this.runbooks.pauseAutomaticRuns(true, "pages-operator", "deploy freeze");
		try {
			ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

			ConsoleBrowser.Page page = browser.get("/runbooks");

			assertThat(page.body()).contains("Automatic runs are paused")
				.contains("pages-operator")
				.contains("deploy freeze")
				.doesNotContain("Automatic runs are on");
			assertThat(row(page.body(), "pages-restart")).contains("(paused)");
			assertThat(row(page.body(), "pages-check")).doesNotContain("(paused)");
			assertThat(browser.get("/runbooks/pages-restart").body()).contains("(automatic runs are paused)");
		}
		finally {
			this.runbooks.pauseAutomaticRuns(false, "pages-operator", null);
		}
	}

	@Test
	void runbookPageShowsItsDefinitionStepsAndLastRuns() {
		long incident = open("Detail test " + UUID.randomUUID());
		Instant now = this.clock.instant();
		run("pages-check", incident, "SUCCEEDED", "MANUAL", "pages-responder", now.minusSeconds(900), 90);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page page = browser.get("/runbooks/pages-check");

		assertThat(page.status()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains("Check the inference API")
			.contains("☞ manual only")
			.contains("leave it to people")
			.contains("pages-check.yaml")
			.contains("Give it a moment")
			.contains("<code>wait</code>")
			.contains("<dt>duration</dt>")
			.contains("Call the health endpoint")
			.contains("<code>http.check</code>")
			.contains("http://127.0.0.1:9/health")
			.contains("<td>1 min</td>");
		assertThat(page.body()).contains("Last runs")
			.contains("✔ succeeded")
			.contains("href=\"/incidents/" + incident + "\"")
			.contains("INC-" + incident)
			.contains("1 min 30 s")
			.contains("pages-responder")
			.contains("Dry-run against incident #");
	}

	@Test
	void dryRunFormLeadsToTheDryRunPageOfARealIncident() {
		long incident = open("Dry-run test " + UUID.randomUUID());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page redirect = browser.submit("/runbooks/pages-check", "/runbooks/pages-check/dry-run",
				Map.of("incident", String.valueOf(incident)));

		assertThat(redirect.status()).as(redirect.body()).isEqualTo(302);
		assertThat(redirect.location()).endsWith("/incidents/" + incident + "/runbooks/pages-check/dry-run");
		ConsoleBrowser.Page dryRun = browser.follow(redirect);
		assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
		assertThat(dryRun.body()).contains("Dry run").contains("pages-check").contains("would wait");
	}

	@Test
	void malformedRunIdsInApproveAndCancelAreRefusedWithA400AndChangeNothing() {
		long incident = open("Malformed run ids " + UUID.randomUUID());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident;
		Rows before = Rows.count(this.jdbc);

		for (String action : new String[] { "approve", "cancel" }) {
			for (String id : new String[] { "0", "-3", "abc", "99999999999999999999" }) {
				ConsoleBrowser.Page answer = browser.submit(path, path + "/executions/" + id + "/" + action, Map.of());
				assertThat(answer.status()).as("%s of run '%s'", action, id).isEqualTo(400);
			}
		}
		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
	}

	@Test
	void dryRunAgainstAnUnknownIncidentOrRunbookSaysSoAndChangesNothing() {
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		Rows before = Rows.count(this.jdbc);
		long runs = runs();

		ConsoleBrowser.Page unknown = browser.submit("/runbooks/pages-check", "/runbooks/pages-check/dry-run",
				Map.of("incident", "987654321"));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).contains("There is no incident INC-987654321")
			.contains("role=\"alert\"")
			.contains("value=\"987654321\"");

		ConsoleBrowser.Page notANumber = browser.submit("/runbooks/pages-check", "/runbooks/pages-check/dry-run",
				Map.of("incident", "yesterday"));
		assertThat(notANumber.status()).isEqualTo(400);
		assertThat(notANumber.body()).contains("&#39;yesterday&#39; is not an incident number");

		ConsoleBrowser.Page noRunbook = browser.submit("/runbooks/pages-check", "/runbooks/pages-nope/dry-run",
				Map.of("incident", "1"));
		assertThat(noRunbook.status()).isEqualTo(404);
		assertThat(noRunbook.body()).contains("There is no runbook &#39;pages-nope&#39; in the catalog.");

		ConsoleBrowser.Page missingPage = browser.get("/runbooks/pages-nope");
		assertThat(missingPage.status()).isEqualTo(404);
		assertThat(missingPage.body()).contains("There is no runbook &#39;pages-nope&#39; in the catalog.")
			.contains("href=\"/runbooks/pages-check\"");

		assertThat(Rows.count(this.jdbc)).isEqualTo(before);
		assertThat(runs()).isEqualTo(runs);
	}

	@Test
	void reloadShowsABrokenFilesProblemsByFileAndLineAndKeepsTheLastGoodDefinition() {
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		write("pages-idle.yaml", IDLE.replace("title: Idle runbook", "title: Idle runbook, edited")
			.replace("mode: approval", "mode: sometimes"));
		write("pages-broken.yaml", """
				id: pages-broken
				title: Broken
				steps:
				  - name: Explode
				    action: docker.explode
				""");
		try {
			ConsoleBrowser.Page reloaded = browser.submit("/runbooks", "/runbooks/reload", Map.of());

			assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(302);
			assertThat(reloaded.location()).endsWith("/runbooks");
			ConsoleBrowser.Page page = browser.follow(reloaded);
			assertThat(page.body()).contains("Reloaded the runbooks: 3 loaded, 2 problem(s)")
				.contains("<code>pages-idle.yaml:5</code>")
				.contains("sometimes")
				.contains("<code>pages-broken.yaml:5</code>")
				.contains("docker.explode");
			assertThat(row(page.body(), "pages-idle")).as("the last good definition is kept")
				.contains("Idle runbook")
				.doesNotContain("edited")
				.contains("✋ needs approval");
			assertThat(page.body()).doesNotContain("id=\"runbook-pages-broken\"");
			assertThat(this.catalog.find("pages-idle")).isPresent();

			write("pages-idle.yaml", IDLE);
			delete("pages-broken.yaml");
			ConsoleBrowser.Page fixed = browser.follow(browser.submit("/runbooks", "/runbooks/reload", Map.of()));
			assertThat(fixed.body()).contains("Reloaded the runbooks: 3 loaded, no problems.")
				.doesNotContain("pages-broken.yaml");
		}
		finally {
			write("pages-idle.yaml", IDLE);
			delete("pages-broken.yaml");
			assertThat(this.catalog.reload().problems()).isEmpty();
		}
	}

	@Test
	void onlyAdminsReloadAndViewersSeeNoForms() {
		String viewer = user("viewer");
		String responder = user("responder");
		write("pages-new.yaml", IDLE.replace("pages-idle", "pages-new"));
		try {
			ConsoleBrowser viewing = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD);
			ConsoleBrowser.Page catalogPage = viewing.get("/runbooks");
			assertThat(catalogPage.status()).isEqualTo(200);
			assertThat(catalogPage.body()).contains("pages-restart").doesNotContain("action=\"/runbooks/reload\"");
			ConsoleBrowser.Page runbookPage = viewing.get("/runbooks/pages-check");
			assertThat(runbookPage.status()).isEqualTo(200);
			assertThat(runbookPage.body()).contains("Give it a moment").doesNotContain("/dry-run\"");
			assertThat(viewing.post("/runbooks/reload", Map.of("_csrf", catalogPage.csrfToken())).status())
				.isEqualTo(403);

			ConsoleBrowser responding = new ConsoleBrowser(this.port).signedIn(responder, PASSWORD);
			ConsoleBrowser.Page responderPage = responding.get("/runbooks");
			assertThat(responderPage.body()).doesNotContain("action=\"/runbooks/reload\"");
			assertThat(responding.get("/runbooks/pages-check").body()).contains("/runbooks/pages-check/dry-run\"");
			assertThat(responding.post("/runbooks/reload", Map.of("_csrf", responderPage.csrfToken())).status())
				.isEqualTo(403);

			assertThat(this.catalog.find("pages-new")).as("nobody reloaded").isEmpty();
		}
		finally {
			delete("pages-new.yaml");
		}
	}

	@Test
	void postsWithoutCsrfTokenAreRefused() {
		write("pages-new.yaml", IDLE.replace("pages-idle", "pages-new"));
		try {
			ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

			assertThat(browser.post("/runbooks/reload", Map.of()).status()).isEqualTo(403);
			assertThat(browser.post("/runbooks/pages-check/dry-run", Map.of("incident", "1")).status()).isEqualTo(403);
			assertThat(this.catalog.find("pages-new")).as("nobody reloaded").isEmpty();
		}
		finally {
			delete("pages-new.yaml");
		}
	}

	/** The catalog table's row of one runbook. */
	private static String row(String body, String runbook) {
		int start = body.indexOf("<tr id=\"runbook-" + runbook + "\"");
		assertThat(start).as("row of " + runbook).isNotNegative();
		return body.substring(start, body.indexOf("</tr>", start));
	}

	private long open(String title) {
		return new WardenClient(this.port).open(Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant().minusSeconds(60))
			.summary(title)
			.json());
	}

	/** Records a run as the runbooks module would have; it took {@code seconds}. */
	private void run(String runbook, long incident, String status, String trigger, String by, Instant createdAt,
			long seconds) {
		this.jdbc.sql("""
				insert into runbook_execution (runbook_id, runbook_title, incident_id, status, trigger, requested_by,
				    on_failure, run_timeout_seconds, created_at, started_at, finished_at, outcome)
				values (?, ?, ?, ?, ?, ?, 'LEAVE', 300, ?, ?, ?, ?)""")
			.params(runbook, runbook, incident, status, trigger, by, utc(createdAt), utc(createdAt),
					utc(createdAt.plus(Duration.ofSeconds(seconds))), status.toLowerCase())
			.update();
	}

	private long runs() {
		return this.jdbc.sql("select count(*) from runbook_execution").query(Long.class).single();
	}

	private String user(String role) {
		return ConsoleUserRows.create(this.jdbc, role, PASSWORD);
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	private static Path runbooks() {
		try {
			Path directory = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
			Files.writeString(directory.resolve("pages-restart.yaml"), RESTART);
			Files.writeString(directory.resolve("pages-check.yaml"), CHECK);
			Files.writeString(directory.resolve("pages-idle.yaml"), IDLE);
			return directory;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void write(String file, String yaml) {
		try {
			Files.writeString(RUNBOOKS.resolve(file), yaml);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(String file) {
		try {
			Files.deleteIfExists(RUNBOOKS.resolve(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
