package dev.warden.console;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.warden.IntegrationTest;
import dev.warden.Payloads;
import dev.warden.TestClock;
import dev.warden.TestFork;
import dev.warden.WardenClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The incident page's timeline on a time axis in a real headless Chromium: an incident
 * whose alerts started and ended at known times (their {@code startsAt} and
 * {@code endsAt} in the webhook, the rest by the test clock) is drawn with each alert's
 * bar where its times put it, proportional to time to within a pixel and a half as the
 * browser lays the page out; focusing or hovering an entry shows it; a runbook's steps
 * and a person's note are on the axis too; the printable postmortem draws it as well. The
 * incident page is saved as a screenshot, and the top of it, down to the axis, as
 * {@code incident-timeline-axis.png} (the README's picture).
 */
@IntegrationTest
@TestPropertySource(properties = { "warden.test.context=timeline-chromium",
		"warden.console.admin.username=" + TimelineAxisChromiumTests.ADMIN,
		"warden.console.admin.password=" + TimelineAxisChromiumTests.PASSWORD })
class TimelineAxisChromiumTests {

	static final String ADMIN = "timeline-admin";

	static final String PASSWORD = "timeline-password-0123";

	private static final Path RUNBOOKS = runbooks();

	@LocalServerPort
	int port;

	@Autowired
	TestClock clock;

	Chromium chromium;

	WardenClient warden;

	@DynamicPropertySource
	static void runbookDirectory(DynamicPropertyRegistry registry) {
		registry.add("warden.runbooks.directory", RUNBOOKS::toString);
	}

	@BeforeEach
	void startBrowser() throws IOException {
		Files.writeString(RUNBOOKS.resolve("timeline-health-check.yaml"), """
				id: timeline-health-check
				title: Check Warden's health
				description: A runbook with no Docker in it, for the browser test.
				match:
				  - alertname="InferenceLatencyHigh"
				mode: auto
				cooldown: 0s
				on-failure: leave
				steps:
				  - name: Check Warden answers
				    action: http.check
				    with:
				      url: "http://127.0.0.1:%d/actuator/health"
				      retries: 1
				""".formatted(this.port));
		this.warden = new WardenClient(this.port);
		assertThat(this.warden.post("/api/v1/runbooks/reload", Map.of()).status()).isEqualTo(200);
		this.chromium = Chromium.start(this.port);
	}

	@AfterEach
	void closeBrowser() {
		if (this.chromium != null) {
			this.chromium.close();
		}
	}

	@Test
	void alertsSitOnTheAxisInProportionToTheirTimesAndFocusShowsEachEntry() throws IOException {
		Instant detected = this.clock.instant();
		String title = "Timeline axis " + UUID.randomUUID();
		long incident = this.warden.open(Payloads.group()
			.firing("fp-first", detected.minus(Duration.ofMinutes(30)))
			.resolved("fp-second", detected.minus(Duration.ofMinutes(20)), detected.minus(Duration.ofMinutes(12)))
			.firing("fp-third", detected.minus(Duration.ofMinutes(6)))
			.summary(title)
			.json());
		this.clock.advance(Duration.ofMinutes(3));
		assertThat(this.warden.post("/api/v1/incidents/" + incident + "/acknowledge", Map.of()).status())
			.isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.warden
			.post("/api/v1/incidents/" + incident + "/notes", Map.of("text", "Cold <b>model</b> cache suspected"))
			.status()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(3));
		Instant now = this.clock.instant();

		Chromium browser = this.chromium;
		browser.open("/login").type("username", ADMIN).type("password", PASSWORD).press("Sign in");
		browser.waitUntil(Duration.ofSeconds(20), (page) -> !browser.path().startsWith("/login"));
		browser.open("/incidents/" + incident);
		browser.waitUntil(Duration.ofSeconds(60), (page) -> {
			browser.open("/incidents/" + incident);
			return !browser.driver().findElements(By.cssSelector("svg.timeline g.entry.step")).isEmpty();
		});

		WebElement svg = browser.find(By.cssSelector("svg.timeline"));
		assertThat(svg.getAttribute("aria-label")).contains("3 alerts", "1 runbook runs", "still open");
		List<WebElement> alerts = browser.driver().findElements(By.cssSelector("svg.timeline g.entry.alert"));
		assertThat(alerts).hasSize(3);
		assertThat(browser.driver().findElements(By.cssSelector("svg.timeline .quiet"))).isEmpty();

		// Where the browser drew each bar's ends, against the times they stand for: one
		// straight line (through the first alert's start and the axis's end, now) holds
		// them all.
		Bar first = bar(browser, alerts.get(0));
		Bar second = bar(browser, alerts.get(1));
		Bar third = bar(browser, alerts.get(2));
		assertThat(first.from()).isEqualTo(detected.minus(Duration.ofMinutes(30)));
		assertThat(first.to()).isEqualTo(now);
		assertThat(second.from()).isEqualTo(detected.minus(Duration.ofMinutes(20)));
		assertThat(second.to()).isEqualTo(detected.minus(Duration.ofMinutes(12)));
		assertThat(third.from()).isEqualTo(detected.minus(Duration.ofMinutes(6)));
		double pixelsPerMinute = (first.right() - first.left()) / Duration.between(first.from(), first.to()).toMillis()
				* 60_000;
		assertThat(pixelsPerMinute).as("a minute is drawn some pixels wide").isGreaterThan(10);
		for (Bar bar : List.of(second, third)) {
			assertThat(bar.left()).as("left end of " + bar.label())
				.isCloseTo(first.left() + minutes(first.from(), bar.from()) * pixelsPerMinute, within(1.5));
			assertThat(bar.right()).as("right end of " + bar.label())
				.isCloseTo(first.left() + minutes(first.from(), bar.to()) * pixelsPerMinute, within(1.5));
		}
		// The same holds for the drawing's own numbers, the SVG attributes.
		double unitsPerMinute = first.width() / minutes(first.from(), first.to());
		assertThat(second.x()).isCloseTo(first.x() + 10 * unitsPerMinute, within(0.05));
		assertThat(second.width()).isCloseTo(8 * unitsPerMinute, within(0.05));
		assertThat(third.x()).isCloseTo(first.x() + 24 * unitsPerMinute, within(0.05));

		// The note is a mark where it was written; the milestones are lines.
		WebElement note = browser.find(By.cssSelector("svg.timeline g.entry.action.note-added"));
		assertThat(note.getAttribute("aria-label")).contains("incident.note_added",
				"Cold <b>model</b> cache suspected");
		assertThat(browser.driver().getPageSource()).doesNotContain("<b>model</b>");
		double noteMiddle = middle(browser, note.findElement(By.tagName("path")));
		assertThat(noteMiddle).isCloseTo(first.left() + 34 * pixelsPerMinute, within(1.5));
		List<WebElement> milestones = browser.driver().findElements(By.cssSelector("svg.timeline g.milestone"));
		assertThat(milestones).extracting((line) -> line.getAttribute("aria-label"))
			.anySatisfy((label) -> assertThat(label)
				.startsWith("Impact started at " + berlin(detected.minus(Duration.ofMinutes(30)))))
			.anySatisfy((label) -> assertThat(label).startsWith("Detected at " + berlin(detected)))
			.anySatisfy((label) -> assertThat(label)
				.startsWith("Acknowledged at " + berlin(detected.plus(Duration.ofMinutes(3)))));
		WebElement step = browser.find(By.cssSelector("svg.timeline g.entry.step"));
		assertThat(step.getAttribute("aria-label")).contains("Check Warden's health", "step 1 Check Warden answers",
				"http.check");

		// Nothing shows on the readout line until an entry is focused or hovered.
		WebElement hint = browser.find(By.cssSelector("svg.timeline .readout-hint"));
		assertThat(visibility(browser, hint)).isEqualTo("visible");
		assertThat(readout(browser, alerts.get(1))).isEqualTo("hidden");
		((JavascriptExecutor) browser.driver()).executeScript("arguments[0].focus();", alerts.get(1));
		assertThat(browser.driver().switchTo().activeElement().getAttribute("aria-label"))
			.contains("Alert InferenceLatencyHigh (resolved)", "p95 latency above 500 ms on fp-second");
		assertThat(readout(browser, alerts.get(1))).isEqualTo("visible");
		assertThat(visibility(browser, hint)).isEqualTo("hidden");
		assertThat(alerts.get(1).findElement(By.cssSelector("text.readout")).getText()).startsWith(
				"Alert InferenceLatencyHigh (resolved): " + berlin(second.from()) + " to " + berlin(second.to()));
		assertThat(alerts.get(1).findElement(By.tagName("title")).getAttribute("textContent"))
			.contains("p95 latency above 500 ms on fp-second");
		// Tab goes on to the next entry: every entry is reachable by keyboard.
		browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		assertThat(browser.driver().switchTo().activeElement().getAttribute("aria-label"))
			.contains("p95 latency above 500 ms on fp-third");
		new Actions(browser.driver()).moveToElement(first.element().findElement(By.tagName("rect"))).perform();
		browser.waitUntil(Duration.ofSeconds(5), (page) -> "visible".equals(readout(browser, alerts.get(0))));

		// For the README: the page with the axis, and its top down to the axis.
		browser.driver().switchTo().activeElement().sendKeys(Keys.TAB);
		((JavascriptExecutor) browser.driver()).executeScript("window.scrollTo(0, 0);");
		Path page = browser.screenshot("incident-timeline-axis-page");
		cropToAxis(browser, page, "incident-timeline-axis.png");

		// The postmortem's printable page draws the same axis.
		assertThat(this.warden.post("/api/v1/incidents/" + incident + "/resolve", Map.of()).status()).isEqualTo(200);
		browser.open("/incidents/" + incident + "/postmortem/print");
		assertThat(browser.driver().findElements(By.cssSelector("svg.timeline g.entry.alert"))).hasSize(3);
		assertThat(browser.find(By.cssSelector("svg.timeline")).getAttribute("aria-label")).contains("UTC");
		browser.screenshot("postmortem-print-timeline-axis");
	}

	@Test
	void aLongQuietSpanIsDrawnShortAndEachBusyPeriodKeepsTheSameScale() throws IOException {
		Instant detected = this.clock.instant();
		String title = "Long quiet axis " + UUID.randomUUID();
		// One alert ten hours ago for fifteen minutes, the next one five minutes ago.
		long incident = this.warden.open(Payloads.group()
			.resolved("fp-early", detected.minus(Duration.ofHours(10)),
					detected.minus(Duration.ofHours(10)).plus(Duration.ofMinutes(15)))
			.firing("fp-late", detected.minus(Duration.ofMinutes(5)))
			.summary(title)
			.json());
		this.clock.advance(Duration.ofMinutes(5));

		Chromium browser = this.chromium;
		browser.open("/login").type("username", ADMIN).type("password", PASSWORD).press("Sign in");
		browser.waitUntil(Duration.ofSeconds(20), (page) -> !browser.path().startsWith("/login"));
		browser.open("/incidents/" + incident);

		List<WebElement> quiet = browser.driver().findElements(By.cssSelector("svg.timeline g.quiet"));
		assertThat(quiet).hasSize(1);
		assertThat(quiet.getFirst().getAttribute("aria-label")).startsWith("Quiet for 9 h");
		List<WebElement> alerts = browser.driver().findElements(By.cssSelector("svg.timeline g.entry.alert"));
		Bar early = bar(browser, alerts.get(0));
		Bar late = bar(browser, alerts.get(1));
		assertThat(early.label()).contains("fp-early");
		assertThat(late.label()).contains("fp-late");
		// Both busy periods are drawn to one scale: a minute is as wide in each.
		double earlyPerMinute = (early.right() - early.left()) / minutes(early.from(), early.to());
		double latePerMinute = (late.right() - late.left()) / minutes(late.from(), late.to());
		assertThat(latePerMinute).isCloseTo(earlyPerMinute, within(0.2));
		// Drawn to scale throughout, the early quarter hour would be a sliver of the
		// axis.
		WebElement axis = browser.find(By.cssSelector("svg.timeline line.time-axis"));
		double plot = Double.parseDouble(axis.getAttribute("x2")) - Double.parseDouble(axis.getAttribute("x1"));
		assertThat(early.width()).isGreaterThan(0.25 * plot);
		// The shortened span lies between the two periods.
		double breakMiddle = middle(browser, quiet.getFirst().findElement(By.cssSelector("rect.gap")));
		assertThat(breakMiddle).isBetween(early.right(), late.left());
		Path page = browser.screenshot("incident-timeline-axis-quiet-span-page");
		cropToAxis(browser, page, "incident-timeline-axis-quiet-span.png");
	}

	/** Saves the top of the page, down to just under the axis's legend. */
	private static void cropToAxis(Chromium browser, Path page, String name) throws IOException {
		WebElement figure = browser.find(By.cssSelector("figure.timeline-axis"));
		Number bottom = (Number) ((JavascriptExecutor) browser.driver())
			.executeScript("return arguments[0].getBoundingClientRect().bottom + window.scrollY;", figure);
		byte[] png = Files.readAllBytes(page);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
		int height = Math.min(image.getHeight(), bottom.intValue() + 24);
		Path cropped = TestFork.directory("screenshots").resolve(name);
		ImageIO.write(image.getSubimage(0, 0, image.getWidth(), height), "png", cropped.toFile());
		assertThat(Files.size(cropped)).isPositive();
	}

	private static Bar bar(Chromium browser, WebElement entry) {
		WebElement rect = entry.findElement(By.tagName("rect"));
		@SuppressWarnings("unchecked")
		Map<String, Number> box = (Map<String, Number>) ((JavascriptExecutor) browser.driver()).executeScript(
				"var r = arguments[0].getBoundingClientRect(); return {left: r.left, right: r.right};", rect);
		String to = entry.getAttribute("data-to");
		return new Bar(entry, entry.getAttribute("aria-label"), Instant.parse(entry.getAttribute("data-from")),
				(to != null) ? Instant.parse(to) : null, box.get("left").doubleValue(), box.get("right").doubleValue(),
				Double.parseDouble(rect.getAttribute("x")), Double.parseDouble(rect.getAttribute("width")));
	}

	private static double middle(Chromium browser, WebElement element) {
		return ((Number) ((JavascriptExecutor) browser.driver())
			.executeScript("var r = arguments[0].getBoundingClientRect(); return (r.left + r.right) / 2;", element))
			.doubleValue();
	}

	private static String visibility(Chromium browser, WebElement element) {
		return (String) ((JavascriptExecutor) browser.driver())
			.executeScript("return getComputedStyle(arguments[0]).visibility;", element);
	}

	private static String readout(Chromium browser, WebElement entry) {
		return visibility(browser, entry.findElement(By.cssSelector("text.readout")));
	}

	/** As the page shows times to the browser's zone: {@code 2026-11-22 22:00:00 CET}. */
	private static String berlin(Instant at) {
		return DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH)
			.withZone(ZoneId.of(Chromium.ZONE))
			.format(at);
	}

	private static double minutes(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 60_000.0;
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

	/**
	 * A bar as drawn: its times, where the browser put its ends (CSS pixels), and its SVG
	 * attributes.
	 */
	private record Bar(WebElement element, String label, Instant from, Instant to, double left, double right, double x,
			double width) {
	}

}
