package dev.warden.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.warden.TestFork;

/**
 * Headless Debian {@code chromium} driven through Debian's {@code chromedriver}, both
 * found on this machine: nothing is downloaded (Selenium Manager is never asked, because
 * the driver and the browser are named). Where they are missing the test is skipped with
 * a message, unless {@code WARDEN_REQUIRE_BROWSER=true} (as in {@code .ci/run}), which
 * makes it fail instead. Every page the test looks at can be saved as a screenshot under
 * {@code target/screenshots/<test JVM>/} for review; downloads land in a directory of
 * their own.
 */
final class Chromium implements AutoCloseable {

	/** The browser's time zone, which the console shows times in. */
	static final String ZONE = "Europe/Berlin";

	/** This test JVM's screenshots (other test JVMs may run browser tests at once). */
	private static final Path SCREENSHOTS = TestFork.directory("screenshots");

	private final ChromeDriver driver;

	private final Path downloads;

	private final String base;

	private static final AtomicInteger SHOTS = new AtomicInteger();

	private Chromium(ChromeDriver driver, Path downloads, String base) {
		this.driver = driver;
		this.downloads = downloads;
		this.base = base;
	}

	private static boolean screenshotsCleared;

	/**
	 * Starts a headless browser for the console on this port, or skips the test. The
	 * first start in a test run clears the screenshots of an earlier run.
	 */
	static synchronized Chromium start(int port) {
		Path browser = executable("WARDEN_CHROMIUM", "/usr/bin/chromium");
		Path driver = executable("WARDEN_CHROMEDRIVER", "/usr/bin/chromedriver");
		try {
			if (!screenshotsCleared && Files.isDirectory(SCREENSHOTS)) {
				try (var old = Files.list(SCREENSHOTS)) {
					for (Path shot : old.toList()) {
						Files.deleteIfExists(shot);
					}
				}
			}
			screenshotsCleared = true;
			Path downloads = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "downloads-")
				.toAbsolutePath();
			ChromeOptions options = new ChromeOptions();
			options.setBinary(browser.toFile());
			options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
					"--window-size=1280,1000", "--lang=en-GB", "--no-first-run", "--disable-extensions",
					"--disable-background-networking", "--disable-component-update", "--disable-sync");
			options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
					"download.prompt_for_download", false, "plugins.always_open_pdf_externally", true));
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
				.usingAnyFreePort()
				.withEnvironment(Map.of("TZ", ZONE))
				.build();
			ChromeDriver chrome = new ChromeDriver(service, options);
			chrome.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
			return new Chromium(chrome, downloads, "http://127.0.0.1:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path executable(String variable, String fallback) {
		String configured = System.getenv(variable);
		Path path = Path.of((configured != null && !configured.isBlank()) ? configured : fallback);
		if (!Files.isExecutable(path)) {
			String message = "No " + path + " (Debian's chromium and chromium-driver packages; or set " + variable
					+ "): the browser tests cannot run";
			if ("true".equals(System.getenv("WARDEN_REQUIRE_BROWSER"))) {
				throw new IllegalStateException(message + ", and WARDEN_REQUIRE_BROWSER=true");
			}
			System.err.println("SKIPPED: " + message);
			Assumptions.abort(message);
		}
		return path;
	}

	WebDriver driver() {
		return this.driver;
	}

	/** Opens a console path. */
	Chromium open(String path) {
		this.driver.get(this.base + path);
		return this;
	}

	String path() {
		String url = this.driver.getCurrentUrl();
		return url.startsWith(this.base) ? url.substring(this.base.length()) : url;
	}

	WebElement find(By by) {
		return this.driver.findElement(by);
	}

	/** Types into the field labelled by {@code id}, replacing what was there. */
	Chromium type(String id, String text) {
		WebElement field = this.driver.findElement(By.id(id));
		field.clear();
		field.sendKeys(text);
		return this;
	}

	/**
	 * Clicks the submit button with this text, in whatever form it sits; a button that a
	 * live section replaced between finding and clicking is found again.
	 */
	Chromium press(String button) {
		for (int attempt = 1;; attempt++) {
			try {
				this.driver.findElement(By.xpath("//button[normalize-space()='" + button + "']")).click();
				return this;
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	/** Follows the link with this text. */
	Chromium follow(String link) {
		this.driver.findElement(By.linkText(link)).click();
		return this;
	}

	/** The page's visible text; a page that is still being replaced is read again. */
	String text() {
		for (int attempt = 1;; attempt++) {
			try {
				return this.driver.findElement(By.tagName("body")).getText();
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	<T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout, Duration.ofMillis(200))
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	/** Waits until the page's text contains this. */
	Chromium waitForText(String text) {
		waitUntil(Duration.ofSeconds(20), (browser) -> text().contains(text));
		return this;
	}

	/**
	 * Saves the whole page (the window stretched to its height for the moment) as the
	 * next numbered screenshot.
	 */
	Path screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path shot = SCREENSHOTS.resolve("%02d-%s.png".formatted(SHOTS.incrementAndGet(), name));
			Object height = this.driver.executeScript("return document.documentElement.scrollHeight;");
			Dimension window = this.driver.manage().window().getSize();
			int full = Math.min(Math.max(((Number) height).intValue() + 150, window.getHeight()), 10_000);
			this.driver.manage().window().setSize(new Dimension(window.getWidth(), full));
			byte[] png = this.driver.getScreenshotAs(OutputType.BYTES);
			this.driver.manage().window().setSize(window);
			Files.write(shot, png);
			return shot;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Waits for a finished download whose name ends with this suffix and returns a copy
	 * of it (Chromium writes {@code .crdownload} files until the download completes).
	 */
	Path downloaded(String suffix) {
		Path found = waitUntil(Duration.ofSeconds(30), (browser) -> {
			try (var files = Files.list(this.downloads)) {
				return files.filter((file) -> file.getFileName().toString().endsWith(suffix)).findFirst().orElse(null);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		try {
			Path copy = Files.createTempFile(this.downloads.getParent(), "download-", suffix);
			return Files.copy(found, copy, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.driver.quit();
	}

}
