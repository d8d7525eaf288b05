package dev.warden.console;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.GrafanaBodies;
import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident pages over real HTTP with real sign-in: the list shows a webhook-created
 * incident (and its refreshable part alone), filters and searches; the detail page shows
 * the alert, milestones and timeline; a responder acknowledges and resolves with CSRF
 * tokens; a viewer sees but cannot act.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-incidents",
		"warden.console.admin.username=" + ConsoleIncidentPagesTests.ADMIN,
		"warden.console.admin.password=" + ConsoleIncidentPagesTests.PASSWORD })
class ConsoleIncidentPagesTests {

	static final String ADMIN = "pages-admin";

	static final String PASSWORD = "pages-password-0123";

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	WardenClient warden;

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void listShowsAWebhookCreatedIncidentAndFiltersAndSearches() {
		String title = "Pages test " + UUID.randomUUID();
		long incident = open(title);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page list = browser.get("/incidents");
		assertThat(list.status()).as(list.body()).isEqualTo(200);
		assertThat(list.body()).contains(title).contains("INC-" + incident).contains("hx-get=\"/incidents/rows");

		ConsoleBrowser.Page rows = browser.get("/incidents/rows?q=" + title.substring(11));
		assertThat(rows.status()).isEqualTo(200);
		assertThat(rows.body()).contains(title).doesNotContain("<html");

		assertThat(browser.get("/incidents?status=resolved&q=" + title.substring(11)).body()).doesNotContain(title);
		assertThat(browser.get("/incidents?status=triggered&severity=warning&q=" + title.substring(11)).body())
			.contains(title);
		assertThat(browser.get("/incidents?status=nonsense").status()).isEqualTo(400);
		assertThat(browser.get("/incidents?q=" + title.substring(11) + "&page=1").body())
			.as("the pager links back to the first page with the filters")
			.contains("href=\"/incidents?page=0&amp;q=" + title.substring(11).replace(" ", "+") + "\">← Newer</a>");
	}

	@Test
	void detailShowsAlertsMilestonesAndTimelineAndAResponderActs() {
		String title = "Detail test " + UUID.randomUUID();
		long incident = open(title);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident;

		ConsoleBrowser.Page detail = browser.get(path);
		assertThat(detail.status()).isEqualTo(200);
		assertThat(detail.body()).contains(title)
			.contains("InferenceLatencyHigh")
			.contains("Prometheus")
			.contains("Detected")
			.contains("incident.opened")
			.contains("Acknowledge");

		ConsoleBrowser.Page acknowledged = browser.submit(path, path + "/acknowledge", Map.of());
		assertThat(acknowledged.status()).isEqualTo(302);
		assertThat(status(incident)).isEqualTo("acknowledged");
		assertThat(browser.get(path).body()).contains("Acknowledged").contains("incident.acknowledged");

		this.clock.advance(Duration.ofMinutes(3));
		browser.submit(path, path + "/notes", Map.of("text", "Restarted the pods by hand"));
		browser.submit(path, path + "/resolve", Map.of());
		assertThat(status(incident)).isEqualTo("resolved");
		assertThat(browser.get(path + "?kind=incident").body()).contains("Restarted the pods by hand")
			.contains("incident.resolved")
			.doesNotContain("alert.fired");

		assertThat(browser.get(path).body()).contains(path + "/postmortem.pdf");
		ConsoleBrowser.Page printable = browser.get(path + "/postmortem/print");
		assertThat(printable.status()).isEqualTo(200);
		assertThat(printable.body()).contains(title).contains("Restarted the pods by hand");
		ConsoleBrowser.Page pdf = browser.get(path + "/postmortem.pdf");
		assertThat(pdf.status()).isEqualTo(200);
		assertThat(pdf.body()).startsWith("%PDF");
	}

	@Test
	void responderMarksMitigatedAndCorrectsTheImpactStartOnThePage() {
		long incident = open("Milestones test " + UUID.randomUUID());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident;
		JsonNode milestones = this.warden.get("/api/v1/incidents/" + incident).json().get("milestones");
		Instant detected = Instant.parse(milestones.get("detectedAt").asString());
		this.clock.advance(Duration.ofMinutes(30));
		assertThat(browser.get(path).body()).contains(path + "/mitigate\"", path + "/impact-start\"")
			.doesNotContain("id=\"impact-corrected\"");

		// datetime-local fields, in the viewer's zone (UTC without a tz cookie).
		Instant fixed = detected.plus(Duration.ofMinutes(12)).truncatedTo(ChronoUnit.MINUTES);
		ConsoleBrowser.Page mitigated = browser.submit(path, path + "/mitigate",
				Map.of("at", local(fixed), "note", "Rolled the model back by hand"));
		assertThat(mitigated.status()).isEqualTo(302);
		ConsoleBrowser.Page after = browser.follow(mitigated);
		assertThat(after.body()).contains("Marked mitigated")
			.contains("Mitigated: by " + ADMIN + ": Rolled the model back by hand")
			.doesNotContain(path + "/mitigate\"");
		assertThat(
				this.warden.get("/api/v1/incidents/" + incident).json().get("milestones").get("mitigatedAt").asString())
			.isEqualTo(fixed.toString());

		Instant reported = detected.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);
		ConsoleBrowser.Page refused = browser
			.follow(browser.submit(path, path + "/impact-start", Map.of("at", local(reported), "reason", "")));
		assertThat(refused.body()).contains("needs a reason");
		ConsoleBrowser.Page wrongTime = browser.follow(
				browser.submit(path, path + "/impact-start", Map.of("at", "yesterday", "reason", "a user's report")));
		assertThat(wrongTime.body()).contains("is not a date and time");
		ConsoleBrowser.Page noTime = browser
			.follow(browser.submit(path, path + "/impact-start", Map.of("at", "", "reason", "a user's report")));
		assertThat(noTime.body()).contains("needs the time it started");
		ConsoleBrowser.Page corrected = browser.follow(browser.submit(path, path + "/impact-start",
				Map.of("at", local(reported), "reason", "a user's report at 20:00")));
		assertThat(corrected.body()).contains("Impact start corrected")
			.contains("id=\"impact-corrected\"")
			.contains("incident.impact_start_corrected")
			.contains("a user&#39;s report at 20:00");
		assertThat(this.warden.get("/api/v1/incidents/" + incident)
			.json()
			.get("milestones")
			.get("impactStartedAt")
			.asString()).isEqualTo(reported.toString());
	}

	@Test
	void responderDeclaresAnIncidentOnceEvenWhenTheFormIsSentTwice() {
		String title = "Declared on the page " + UUID.randomUUID();
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		assertThat(browser.get("/incidents").body()).contains("href=\"/incidents/declare\"");
		ConsoleBrowser.Page form = browser.get("/incidents/declare");
		assertThat(form.status()).isEqualTo(200);
		Matcher key = Pattern.compile("name=\"key\" value=\"([^\"]+)\"").matcher(form.body());
		assertThat(key.find()).as(form.body()).isTrue();
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put("key", key.group(1));
		fields.put("title", title);
		fields.put("severity", "high");
		fields.put("service", "");
		fields.put("team", "ml-platform");
		fields.put("description", "Users report <b>wrong</b> answers");
		fields.put("labels", "model=llama-3-70b\nregion = eu-west\n");
		fields.put("impactStartedAt", "");

		ConsoleBrowser.Page declared = browser.submit("/incidents/declare", "/incidents/declare", fields);

		assertThat(declared.status()).as(declared.body()).isEqualTo(302);
		String location = declared.location();
		assertThat(location).matches(".*/incidents/\\d+");
		ConsoleBrowser.Page page = browser.follow(declared);
		assertThat(page.body()).contains("Declared: routing decides who hears about it", title, "id=\"declared\"",
				"Declared by <strong>" + ADMIN + "</strong>", "Users report &lt;b&gt;wrong&lt;/b&gt; answers",
				"/alert-group\"");
		long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
		JsonNode incident = this.warden.get("/api/v1/incidents/" + id).json();
		assertThat(incident.get("declaredBy").asString()).isEqualTo(ADMIN);
		assertThat(incident.get("team").asString()).isEqualTo("ml-platform");
		assertThat(incident.get("groupLabels").toString()).contains("\"model\":\"llama-3-70b\"",
				"\"region\":\"eu-west\"");

		// The same form sent again (a double click, a resend after a timeout).
		ConsoleBrowser.Page again = browser.submit("/incidents/declare", "/incidents/declare", fields);
		assertThat(again.location()).isEqualTo(location);
		assertThat(browser.follow(again).body()).contains("Already declared with this form");
		assertThat(
				this.jdbc.sql("select count(*) from incident where title = ?").param(title).query(Long.class).single())
			.isEqualTo(1);

		Map<String, String> bad = new LinkedHashMap<>(fields);
		bad.put("key", UUID.randomUUID().toString());
		bad.put("labels", "not a label line");
		ConsoleBrowser.Page refused = browser.submit("/incidents/declare", "/incidents/declare", bad);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("is not name=value", title);
		bad.put("labels", "");
		bad.put("title", "");
		assertThat(browser.submit("/incidents/declare", "/incidents/declare", bad).body()).contains("needs a title");
		bad.put("title", title);
		bad.put("severity", "sev1");
		assertThat(browser.submit("/incidents/declare", "/incidents/declare", bad).body())
			.contains("Choose a severity");
		assertThat(
				this.jdbc.sql("select count(*) from incident where title = ?").param(title).query(Long.class).single())
			.isEqualTo(1);
	}

	@Test
	void responderSplitsAnAlertOutMergesItBackAndUnmergesOnThePages() {
		String run = UUID.randomUUID().toString().substring(0, 8);
		Instant startsAt = this.clock.instant().minusSeconds(60);
		long incident = this.warden
			.open(Payloads.group().firing("gpu-" + run, startsAt).firing("api-" + run, startsAt).json());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident;
		assertThat(browser.get(path).body()).contains(path + "/split\"", path + "/merge\"")
			.as("nothing to unmerge")
			.doesNotContain("/unmerge\"", "id=\"merged-into\"");

		ConsoleBrowser.Page split = browser.submit(path, path + "/split", Map.of("fingerprint", "gpu-" + run));
		assertThat(split.status()).isEqualTo(302);
		String splitPath = split.location().substring(split.location().indexOf("/incidents/"));
		assertThat(splitPath).isNotEqualTo(path);
		assertThat(browser.follow(split).body()).contains("Split out of", "id=\"split-from\"", "gpu-" + run);

		ConsoleBrowser.Page merged = browser
			.follow(browser.submit(splitPath, splitPath + "/merge", Map.of("into", "INC-" + incident)));
		assertThat(merged.body()).contains("Merged: its alerts", "id=\"merged-into\"", splitPath + "/unmerge\"");
		assertThat(browser.get(path).body()).contains("<span>instance=gpu-" + run + "</span>",
				"<span>instance=api-" + run + "</span>");

		ConsoleBrowser.Page unmerged = browser.follow(browser.submit(splitPath, splitPath + "/unmerge", Map.of()));
		assertThat(unmerged.body()).contains("Unmerged").doesNotContain("id=\"merged-into\"");
		assertThat(browser.get(path).body()).doesNotContain("<span>instance=gpu-" + run + "</span>")
			.contains("<span>instance=api-" + run + "</span>");

		ConsoleBrowser.Page refused = browser
			.follow(browser.submit(path, path + "/merge", Map.of("into", "not a number")));
		assertThat(refused.body()).contains("is not an incident number");
		assertThat(status(incident)).isEqualTo("triggered");
	}

	@Test
	void viewerSeesButCannotAct() {
		long incident = open("Viewer test " + UUID.randomUUID());
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD);
		String path = "/incidents/" + incident;

		ConsoleBrowser.Page detail = browser.get(path);
		assertThat(detail.status()).isEqualTo(200);
		assertThat(detail.body()).doesNotContain("/acknowledge\"", "/mitigate\"", "/impact-start\"", "/merge\"",
				"/split\"");

		ConsoleBrowser.Page refused = browser.post(path + "/acknowledge", Map.of("_csrf", detail.csrfToken()));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(status(incident)).isEqualTo("triggered");
		assertThat(browser.post(path + "/mitigate", Map.of("_csrf", detail.csrfToken())).status()).isEqualTo(403);
		assertThat(browser
			.post(path + "/impact-start",
					Map.of("_csrf", detail.csrfToken(), "at", "2026-11-22T20:00", "reason", "a viewer's guess"))
			.status()).isEqualTo(403);
		JsonNode milestones = this.warden.get("/api/v1/incidents/" + incident).json().get("milestones");
		assertThat(milestones.get("mitigatedAt").isNull()).isTrue();
		assertThat(milestones.get("impactStartCorrected").asBoolean()).isFalse();

		assertThat(browser.get("/incidents").body()).doesNotContain("/incidents/declare");
		assertThat(browser.get("/incidents/declare").status()).isEqualTo(403);
		String title = "Viewer's declaration " + UUID.randomUUID();
		assertThat(browser
			.post("/incidents/declare",
					Map.of("_csrf", detail.csrfToken(), "title", title, "severity", "critical", "key", "k"))
			.status()).isEqualTo(403);
		assertThat(
				this.jdbc.sql("select count(*) from incident where title = ?").param(title).query(Long.class).single())
			.isZero();
	}

	@Test
	void errorsArePagesInTheConsoleNotJson() {
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page missing = browser.get("/incidents/987654321");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.body()).contains("<html", "404 Not Found", "INC-987654321", "Back to the incidents")
			.doesNotContain("\"detail\"");

		ConsoleBrowser.Page malformed = browser.get("/incidents/not-a-number");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.body()).contains("<html", "400 Bad Request");

		// The API keeps its JSON problems.
		assertThat(this.warden.get("/api/v1/incidents/987654321").status()).isEqualTo(404);
		assertThat(this.warden.get("/api/v1/incidents/987654321").json().get("detail").asString())
			.contains("INC-987654321");
	}

	@Test
	void detailShowsAGrafanaAlertsValuesAndLinksButNoScriptLink() {
		ObjectNode body = GrafanaBodies.sampleInOwnGroup("two-alerts.json", UUID.randomUUID().toString());
		ObjectNode first = (ObjectNode) body.get("alerts").get(0);
		first.put("dashboardURL", "javascript:alert(document.cookie)");
		first.put("panelURL", "http://grafana.example.internal:3000/d/lat?orgId=1&viewPanel=2");
		first.put("imageURL", "data:text/html,<script>alert(1)</script>");
		((ObjectNode) first.get("annotations")).put("summary", "<b>p99</b> above 2 s");
		WardenClient.Response response = GrafanaBodies.post(this.warden, body);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		String page = browser.get("/incidents/" + response.json().get("incident").asLong()).body();

		assertThat(page).contains("Values: A=2.4, C=1", "Values: A=3.25, C=1", ">Grafana rule</a>",
				"href=\"http://grafana.example.internal:3000/d/lat?orgId=1&amp;viewPanel=2\"", ">Panel</a>",
				"href=\"http://grafana.example.internal:3000/alerting/silence/new?alertmanager=grafana&amp;matcher=zone%3Deu-1&amp;orgId=1\"",
				">Silence</a>", "&lt;b&gt;p99&lt;/b&gt; above 2 s");
		assertThat(page).doesNotContain("javascript:alert", "data:text/html", ">Dashboard</a>", ">Image</a>",
				"<b>p99</b>");
	}

	@Test
	void actionWithoutCsrfTokenIsRefused() {
		long incident = open("CSRF test " + UUID.randomUUID());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page refused = browser.post("/incidents/" + incident + "/acknowledge", Map.of());

		assertThat(refused.status()).isEqualTo(403);
		assertThat(status(incident)).isEqualTo("triggered");
	}

	private String status(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident).json().get("status").asString();
	}

	private static String local(Instant instant) {
		return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
	}

	private long open(String title) {
		return this.warden.open(Payloads.firing(title, this.clock.instant().minusSeconds(60)));
	}

}
