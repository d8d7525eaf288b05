package dev.warden.console;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import tools.jackson.databind.node.ObjectNode;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console in a real headless Chromium, as a responder uses it during an incident:
 * sign in, watch a webhook-created incident appear in the open list without reloading,
 * acknowledge it, approve its runbook and watch the steps run, resolve it, write and save
 * the postmortem, and download it as Markdown and PDF (the PDF is read back for the title
 * and the timeline). Every page visited is saved under {@code target/screenshots/}.
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=console-chromium",
		"warden.console.admin.username=" + ConsoleChromiumTests.ADMIN,
		"warden.console.admin.password=" + ConsoleChromiumTests.PASSWORD })
class ConsoleChromiumTests {

	static final String ADMIN = "chromium-admin";

	static final String PASSWORD = "chromium-password-0123";

	private static final Path RUNBOOKS = runbooks();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	Chromium chromium;

	@DynamicPropertySource
	static void runbookDirectory(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@BeforeEach
	void startBrowser() throws IOException {
		// An http.check takes its address from the runbook, never from the alert: write
		// Warden's own port into it once it is known.
		writeRunbook(this.port);
		WardenClient.Response reload = new WardenClient(this.port).post("/api/v1/runbooks/reload", Map.of());
		assertThat(reload.status()).as(reload.toString()).isEqualTo(200);
		this.chromium = Chromium.start(this.port);
	}

	@AfterEach
	void closeBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void aResponderWorksAnIncidentFromAlertToPostmortem() throws IOException {
		Chromium browser = this.chromium;
		browser.open("/incidents");
		assertThat(browser.path()).startsWith("/login");
		browser.screenshot("sign-in");
		browser.type("username", ADMIN).type("password", PASSWORD).press("Sign in");
		browser.waitUntil(Duration.ofSeconds(20), (page) -> !browser.path().startsWith("/login"));

		browser.open("/incidents");
		browser.screenshot("incidents-before");
		((JavascriptExecutor) browser.driver()).executeScript("window.wardenNotReloaded = true;");

		String title = "Chromium journey " + UUID.randomUUID();
		long incident = new WardenClient(this.port).open(payload(title));

		browser.waitUntil(Duration.ofSeconds(30), (page) -> browser.text().contains(title));
		assertThat(((JavascriptExecutor) browser.driver()).executeScript("return window.wardenNotReloaded === true;"))
			.as("the new incident appears without a reload")
			.isEqualTo(true);
		browser.screenshot("incidents-with-new-incident");

		browser.driver().findElement(By.partialLinkText(title)).click();
		browser.waitForText("Detection to resolution");
		assertThat(browser.path()).isEqualTo("/incidents/" + incident);
		assertThat(browser.text()).contains(title, "triggered", "Detected", "InferenceLatencyHigh");
		// The browser runs in Berlin (Chromium.ZONE); the page shows its times there.
		assertThat(browser.text()).contains("2026-11-22 22:00:00 CET");
		browser.screenshot("incident-triggered");

		browser.press("Acknowledge").waitForText("incident.acknowledged");
		assertThat(browser.text()).contains("incident.acknowledged");

		// The matching runbook waits for approval; once approved its steps run and show.
		assertThat(browser.text()).contains("browser-health-check", "awaiting approval");
		browser.press("Approve");
		browser.waitUntil(Duration.ofSeconds(60), (page) -> browser.text().contains("browser-health-check succeeded"));
		assertThat(browser.text()).contains("1. Check Warden answers", "http.check", "answered 200",
				"2. Tell the responders", "notify");
		browser.screenshot("incident-runbook-ran");

		browser.open("/incidents/" + incident + "/runbooks/browser-health-check/dry-run");
		assertThat(browser.text()).contains("Check Warden answers");
		browser.screenshot("runbook-dry-run");

		browser.open("/incidents/" + incident);
		browser.press("Resolve").waitForText("incident.resolved");
		assertThat(browser.text()).contains("incident.resolved");
		browser.screenshot("incident-resolved");

		browser.follow("Postmortem").waitForText("What we learned");
		assertThat(browser.text()).contains(title, "What the data says", "browser-health-check");
		browser.type("rootCause", "The latency budget was spent by a cold model cache.")
			.type("wentWell", "The runbook proved Warden healthy within seconds.");
		browser.find(By.name("actionItems[0].text")).sendKeys("Warm the model cache before traffic");
		browser.find(By.name("actionItems[0].owner")).sendKeys("ml-platform");
		browser.screenshot("postmortem-filled");
		browser.press("Save as revision 1").waitForText("Saved revision 1");
		assertThat(browser.text()).contains("Save as revision 2");
		browser.screenshot("postmortem-saved");

		browser.follow("Revision history").waitForText(ADMIN);
		browser.screenshot("postmortem-revisions");
		browser.driver().navigate().back();

		browser.follow("Markdown");
		String markdown = Files.readString(browser.downloaded(".md"));
		assertThat(markdown).contains(title)
			.contains("incident.acknowledged")
			.contains("The latency budget was spent by a cold model cache.")
			.contains("Warm the model cache before traffic")
			.contains("ml-platform");

		browser.follow("PDF");
		String pdf = pdfText(browser.downloaded(".pdf"));
		assertThat(pdf).contains(title)
			.contains("Acknowledged")
			.contains("Resolved")
			.contains("incident.acknowledged")
			.contains("The latency budget was spent by a cold model cache.");

		browser.open("/incidents/" + incident + "/postmortem/print");
		assertThat(browser.text()).contains(title);
		browser.screenshot("postmortem-print");
	}

	@Test
	void everyConsolePageRendersAndIsSavedForReview() {
		Chromium browser = this.chromium;
		browser.open("/login").type("username", ADMIN).type("password", PASSWORD).press("Sign in");
		browser.waitUntil(Duration.ofSeconds(20), (page) -> !browser.path().startsWith("/login"));
		new WardenClient(this.port).open(payload("Tour " + UUID.randomUUID()));

		// Each page with its own heading; an error page would show its status instead.
		Map<String, String> pages = new LinkedHashMap<>();
		pages.put("/", "Warden console");
		pages.put("/runbooks", "Runbooks");
		pages.put("/runbooks/browser-health-check", "Check Warden's health");
		pages.put("/analytics", "Analytics");
		pages.put("/oncall", "On call");
		pages.put("/silences", "Silences");
		pages.put("/heartbeats", "Heartbeats");
		pages.put("/admin/users", "Console users");
		pages.put("/admin/tokens", "API tokens");
		pages.put("/incidents/987654321", "404 Not Found");
		pages.forEach((path, heading) -> {
			browser.open(path);
			assertThat(browser.find(By.tagName("h1")).getText()).as(path).contains(heading);
			browser.screenshot(path.equals("/") ? "home" : path.substring(1).replace('/', '-'));
		});

		// Keyboard: Tab from the top of a page reaches the header's and then the main
		// navigation's links.
		browser.open("/incidents");
		browser.find(By.tagName("body")).sendKeys(Keys.TAB);
		for (int press = 0; press < 6 && !inMainNavigation(browser); press++) {
			browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		}
		assertThat(inMainNavigation(browser)).as("a main navigation link has the keyboard focus").isTrue();
		assertThat(browser.driver().switchTo().activeElement().getTagName()).isEqualTo("a");
	}

	private static boolean inMainNavigation(Chromium browser) {
		return Boolean.TRUE.equals(((JavascriptExecutor) browser.driver())
			.executeScript("return document.activeElement.closest('nav.main') !== null;"));
	}

	private ObjectNode payload(String title) {
		ObjectNode payload = Payloads.group()
			.firing("fp-" + UUID.randomUUID(), this.clock.instant())
			.summary(title)
			.json();
		return payload;
	}

	private static String pdfText(Path pdf) throws IOException {
		try (PDDocument document = Loader.loadPDF(pdf.toFile())) {
			return new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
		}
	}

	private static Path runbooks() {
		try {
			return Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void writeRunbook(int port) throws IOException {
		Files.writeString(RUNBOOKS.resolve("browser-health-check.yaml"), """
				id: browser-health-check
				title: Check Warden's health
				description: A runbook with no Docker in it, for the browser test.
				match:
				  - alertname="InferenceLatencyHigh"
				mode: approval
				cooldown: 0s
				on-failure: leave
				steps:
				  - name: Check Warden answers
				    action: http.check
				    with:
				      url: "http://127.0.0.1:%d/actuator/health"
				      retries: 1
				  - name: Tell the responders
				    action: notify
				    with:
				      message: "Warden answered for {{ labels.alertname }}"
				""".formatted(port));
	}

}
