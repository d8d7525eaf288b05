package dev.warden.console;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.TestFork;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postmortem pages over real HTTP with real sign-in: a resolved webhook-created
 * incident's postmortem shows its facts and a form; saves become revisions (in the page,
 * the history and the Markdown), a save from an older revision or with oversize text is
 * refused with the typed text kept; an open incident has no postmortem yet; viewers read
 * but cannot save; the printable page links its stylesheet.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-postmortem",
		"warden.console.admin.username=" + ConsolePostmortemPagesTests.ADMIN,
		"warden.console.admin.password=" + ConsolePostmortemPagesTests.PASSWORD })
class ConsolePostmortemPagesTests {

	static final String ADMIN = "postmortem-admin";

	static final String PASSWORD = "postmortem-password-0123";

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
	void resolvedIncidentShowsItsFactsAndTheForm() {
		String title = "Postmortem page " + UUID.randomUUID();
		long incident = openAndResolve(title, "Scaled the workers to three");
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";

		assertThat(browser.get("/incidents/" + incident).body()).contains("href=\"" + path + "\"");
		ConsoleBrowser.Page page = browser.get(path);

		assertThat(page.status()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains(title)
			.contains("Impact started")
			.contains("Detected")
			.contains("Time to resolve")
			.contains("InferenceLatencyHigh")
			.contains("Scaled the workers to three")
			.contains("incident.resolved")
			.contains("name=\"rootCause\"")
			.contains("name=\"actionItems[2].owner\"")
			.doesNotContain("name=\"actionItems[3].owner\"")
			.contains("href=\"" + path + ".md\"")
			.contains("href=\"" + path + ".pdf\"")
			.contains("href=\"" + path + "/print\"")
			.contains("href=\"" + path + "/revisions\"")
			.doesNotContain("<style")
			.doesNotContain(" style=");
		assertThat(inputValue(page, "baseRevision")).isEqualTo("0");
	}

	@Test
	void savesARevisionShownOnReloadInTheHistoryAndInTheMarkdown() {
		long incident = openAndResolve("Saving test " + UUID.randomUUID(), null);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";
		Map<String, String> form = sections(0, "Batch size too large for the model");
		form.put("actionItems[0].text", "Lower the batch size");
		form.put("actionItems[0].owner", "chen");
		form.put("actionItems[0].due", "2026-12-01");
		form.put("actionItems[1].text", "");
		form.put("actionItems[1].owner", "");
		form.put("actionItems[1].due", "");
		form.put("actionItems[2].text", "Alert on GPU memory");
		form.put("actionItems[2].owner", "dana");
		form.put("actionItems[2].due", "");
		form.put("actionItems[2].done", "true");

		ConsoleBrowser.Page saved = browser.submit(path, path, form);

		assertThat(saved.status()).as(saved.body()).isEqualTo(302);
		assertThat(saved.location()).endsWith(path);
		ConsoleBrowser.Page reloaded = browser.follow(saved);
		assertThat(reloaded.body()).contains("Saved revision 1")
			.contains("Batch size too large for the model")
			.contains("Revision <strong>1</strong>");
		assertThat(inputValue(reloaded, "baseRevision")).isEqualTo("1");
		assertThat(inputValue(reloaded, "actionItems[0].text")).isEqualTo("Lower the batch size");
		assertThat(inputValue(reloaded, "actionItems[0].owner")).isEqualTo("chen");
		assertThat(inputValue(reloaded, "actionItems[0].due")).isEqualTo("2026-12-01");
		assertThat(inputValue(reloaded, "actionItems[1].text")).isEqualTo("Alert on GPU memory");
		assertThat(inputValue(reloaded, "actionItems[1].owner")).isEqualTo("dana");
		assertThat(inputValue(reloaded, "actionItems[4].text")).isEmpty();
		assertThat(reloaded.body()).doesNotContain("name=\"actionItems[5].text\"");

		JsonNode items = this.warden.get("/api/v1/incidents/" + incident + "/postmortem")
			.json()
			.get("sections")
			.get("actionItems");
		assertThat(items.size()).isEqualTo(2);
		assertThat(items.get(1).get("done").asBoolean()).isTrue();

		ConsoleBrowser.Page history = browser.get(path + "/revisions");
		assertThat(history.status()).isEqualTo(200);
		assertThat(history.body()).contains("href=\"" + path + "/revisions/1\"").contains(ADMIN);
		ConsoleBrowser.Page first = browser.get(path + "/revisions/1");
		assertThat(first.status()).isEqualTo(200);
		assertThat(first.body()).contains("Batch size too large for the model").contains("Lower the batch size");
		assertThat(browser.get(path + "/revisions/2").status()).isEqualTo(404);

		ConsoleBrowser.Page markdown = browser.get(path + ".md");
		assertThat(markdown.status()).isEqualTo(200);
		assertThat(markdown.body()).contains("- Revision: 1 (saved by " + ADMIN)
			.contains("## Root cause\n\nBatch size too large for the model")
			.contains("| no | Lower the batch size | chen | 2026-12-01 |")
			.contains("| yes | Alert on GPU memory | dana | - |");
	}

	@Test
	void aSaveFromAnOlderRevisionIsRefusedAndKeepsTheTypedText() {
		long incident = openAndResolve("Conflict test " + UUID.randomUUID(), null);
		String responder = user("responder");
		String path = "/incidents/" + incident + "/postmortem";
		ConsoleBrowser other = new ConsoleBrowser(this.port).signedIn(responder, PASSWORD);
		assertThat(other.submit(path, path, sections(0, "The disk filled up")).status()).isEqualTo(302);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page stale = browser.submit(path, path, sections(0, "My late analysis of the outage"));

		assertThat(stale.status()).isEqualTo(409);
		assertThat(stale.body()).contains("My late analysis of the outage")
			.contains(responder)
			.contains("saved revision <strong>1</strong>")
			.contains("href=\"" + path + "/revisions/1\"");
		assertThat(inputValue(stale, "baseRevision")).isEqualTo("1");
		assertThat(revisions(incident)).isEqualTo(1);
		assertThat(rootCause(incident)).isEqualTo("The disk filled up");
	}

	@Test
	void oversizeInputIsRefusedWithTheTypedTextKeptAndNothingStored() {
		long incident = openAndResolve("Validation test " + UUID.randomUUID(), null);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";
		Map<String, String> form = sections(0, "x".repeat(20_001));
		form.put("actionItems[0].text", "Add a disk usage alert");
		form.put("actionItems[0].owner", "");
		form.put("actionItems[0].due", "next week");

		ConsoleBrowser.Page refused = browser.submit(path, path, form);

		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("Nothing was saved")
			.contains("at most 20000 characters")
			.contains("every action item needs an owner")
			.contains("a date like 2026-12-31")
			.contains("No alert on disk usage")
			.contains("x".repeat(20_001));
		assertThat(inputValue(refused, "actionItems[0].text")).isEqualTo("Add a disk usage alert");
		assertThat(inputValue(refused, "actionItems[0].due")).isEqualTo("next week");
		assertThat(revisions(incident)).isZero();
	}

	@Test
	void unknownIncidentOrRevisionIsAPageNotJson() {
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page unknown = browser.get("/incidents/987654321/postmortem");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body()).contains("<html", "INC-987654321").doesNotContain("\"detail\"");

		long incident = openAndResolve("Revisionless " + UUID.randomUUID(), "no revisions yet");
		ConsoleBrowser.Page revision = browser.get("/incidents/" + incident + "/postmortem/revisions/7");
		assertThat(revision.status()).isEqualTo(404);
		assertThat(revision.body()).contains("<html").doesNotContain("\"detail\"");
	}

	@Test
	void openIncidentHasNoPostmortemYet() {
		long incident = open("Still burning " + UUID.randomUUID());
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";

		ConsoleBrowser.Page page = browser.get(path);

		assertThat(page.status()).isEqualTo(409);
		assertThat(page.body()).contains("once it is resolved").doesNotContain("name=\"rootCause\"");
		ConsoleBrowser.Page save = browser.post(path, withToken(sections(0, "Too early"), page));
		assertThat(save.status()).isEqualTo(409);
		assertThat(browser.get("/incidents/" + incident).body()).doesNotContain("href=\"" + path + "\"");
	}

	@Test
	void viewerReadsThePostmortemButCannotSave() {
		long incident = openAndResolve("Viewer test " + UUID.randomUUID(), null);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(user("viewer"), PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";

		ConsoleBrowser.Page page = browser.get(path);

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.body()).contains("Viewer test")
			.contains("Not written yet")
			.doesNotContain("name=\"rootCause\"");
		ConsoleBrowser.Page refused = browser.post(path, withToken(sections(0, "A viewer writes"), page));
		assertThat(refused.status()).isEqualTo(403);
		assertThat(revisions(incident)).isZero();
	}

	@Test
	void saveWithoutCsrfTokenIsRefused() {
		long incident = openAndResolve("CSRF test " + UUID.randomUUID(), null);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);

		ConsoleBrowser.Page refused = browser.post("/incidents/" + incident + "/postmortem",
				sections(0, "Forged by another site"));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(revisions(incident)).isZero();
	}

	@Test
	void printablePageLinksItsStylesheetAndThePdfStillRenders() {
		String title = "Print test " + UUID.randomUUID();
		long incident = openAndResolve(title, null);
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";

		ConsoleBrowser.Page printable = browser.get(path + "/print");

		assertThat(printable.status()).isEqualTo(200);
		assertThat(printable.header("Content-Security-Policy")).contains("default-src 'self'");
		assertThat(printable.body()).contains(title)
			.contains("<link rel=\"stylesheet\" href=\"/assets/postmortem.css\"")
			.doesNotContain("<style")
			.doesNotContain(" style=");
		ConsoleBrowser.Page stylesheet = browser.get("/assets/postmortem.css");
		assertThat(stylesheet.status()).isEqualTo(200);
		assertThat(stylesheet.header("Content-Type")).startsWith("text/css");
		assertThat(stylesheet.body()).contains("border-collapse");
		assertThat(browser.get(path + ".pdf").body()).startsWith("%PDF");
		assertThat(this.warden.get("/api/v1/incidents/" + incident + "/postmortem.html").body()).contains("<style>")
			.contains("border-collapse")
			.doesNotContain("postmortem.css\"");
	}

	@Test
	void printablePageAndPdfDrawTheTimelineOnATimeAxis() throws Exception {
		String title = "Axis test " + UUID.randomUUID();
		long incident = openAndResolve(title, "Restarted the <i>workers</i>");
		ConsoleBrowser browser = new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
		String path = "/incidents/" + incident + "/postmortem";

		// The printable page: the SVG the console draws, with each entry's words escaped.
		String printable = browser.get(path + "/print").body();
		assertThat(printable).contains("<h2>Timeline on a time axis</h2>")
			.contains("<svg class=\"timeline\"")
			.contains("class=\"entry alert firing")
			.contains("class=\"entry action note-added\"")
			.contains("Restarted the &lt;i&gt;workers&lt;/i&gt;")
			.doesNotContain("Restarted the <i>")
			.contains("aria-label=\"Resolved at ")
			.doesNotContain(" style=");

		// The PDF's source draws the same layout as positioned boxes: its renderer has no
		// SVG.
		String standalone = this.warden.get("/api/v1/incidents/" + incident + "/postmortem.html").body();
		assertThat(standalone).contains("class=\"tl-drawing\"")
			.contains("class=\"tl-bar entry alert firing")
			.contains("class=\"tl-mark entry action note-added\"")
			.doesNotContain("<svg");
		Matcher tick = Pattern.compile("class=\"tl-tick\"[^>]*>([^<]+)<").matcher(standalone);
		assertThat(tick.find()).as("a time label under the axis").isTrue();

		// The API's JSON holds the entries in its lists, not the drawing.
		assertThat(this.warden.get("/api/v1/incidents/" + incident + "/postmortem").json().has("axis")).isFalse();
		byte[] pdf = pdf("/api/v1/incidents/" + incident + "/postmortem.pdf");
		Path saved = TestFork.directory("screenshots").resolve("postmortem-timeline-axis.pdf");
		Files.createDirectories(saved.getParent());
		Files.write(saved, pdf);
		String text = pdfText(pdf);
		assertThat(text).contains("Timeline on a time axis")
			.contains("InferenceLatencyHigh")
			.contains("People")
			.contains(tick.group(1))
			.contains("a person's action");
	}

	private byte[] pdf(String path) throws Exception {
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(this.warden.uri(path))
				.header("Authorization", "Bearer " + IntegrationTest.API_TOKEN)
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static String pdfText(byte[] pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
		}
	}

	private static Map<String, String> sections(int base, String rootCause) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("baseRevision", String.valueOf(base));
		form.put("rootCause", rootCause);
		form.put("contributingFactors", "No alert on disk usage");
		form.put("wentWell", "The runbook restarted the database");
		return form;
	}

	private static Map<String, String> withToken(Map<String, String> form, ConsoleBrowser.Page page) {
		Map<String, String> withToken = new LinkedHashMap<>(form);
		withToken.put("_csrf", page.csrfToken());
		return withToken;
	}

	/** The value of the page's input with this name, unescaped. */
	private static String inputValue(ConsoleBrowser.Page page, String name) {
		Matcher input = Pattern.compile("<input[^>]*name=\"" + Pattern.quote(name) + "\"[^>]*>").matcher(page.body());
		assertThat(input.find()).as("an input named " + name).isTrue();
		Matcher value = Pattern.compile("value=\"([^\"]*)\"").matcher(input.group());
		return value.find() ? value.group(1) : "";
	}

	private int revisions(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/postmortem").json().get("revision").asInt();
	}

	private String rootCause(long incident) {
		return this.warden.get("/api/v1/incidents/" + incident + "/postmortem")
			.json()
			.get("sections")
			.get("rootCause")
			.asString();
	}

	private String user(String role) {
		return ConsoleUserRows.create(this.jdbc, role, PASSWORD);
	}

	private long openAndResolve(String title, String note) {
		long incident = open(title);
		this.clock.advance(Duration.ofMinutes(2));
		if (note != null) {
			assertThat(this.warden.post("/api/v1/incidents/" + incident + "/notes", Map.of("text", note)).status())
				.isEqualTo(200);
		}
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of()).status()).isEqualTo(200);
		return incident;
	}

	private long open(String title) {
		return this.warden.open(Payloads.firing(title, this.clock.instant().minusSeconds(60)));
	}

}
