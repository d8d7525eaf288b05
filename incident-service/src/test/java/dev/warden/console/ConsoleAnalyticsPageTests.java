package dev.warden.console;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.reports.AnalyticsRows;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import static dev.warden.console.Html.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The analytics page over real HTTP with real sign-in, on a fixed data set written
 * straight into PostgreSQL (as the analytics API's tests do), every expected figure
 * worked out by hand below. The test clock stands in November 2026; the data lives in
 * April 2018.
 *
 * <p>
 * The window is [2018-04-02T00:00Z, 2018-04-06T00:00Z). MTTA and MTTR in seconds after
 * detection, "-" when never acknowledged or not resolved; C1 and C3's impact started 120
 * and 600 s before detection (MTTD), C1 and C5 were mitigated 300 and 1200 s after it
 * (MTTM); the others have neither:
 *
 * <pre>
 * ref service        severity detected (UTC)  MTTA  MTTR  runbook runs
 * C1  svc-console-a  CRITICAL 04-02 09:00       30   600  console-restart SUCCEEDED
 * C2  svc-console-a  HIGH     04-02 15:00       90  1200  -
 * C3  svc-console-a  CRITICAL 04-04 10:00      600  3600  console-restart FAILED
 * C4  svc-console-b  WARNING  04-04 11:00      120     -  -
 * C5  svc-console-b  CRITICAL 04-05 08:00        -  2100  console-restart SUCCEEDED
 * outside the window:
 * X0  svc-console-b  CRITICAL 04-01 23:59:59 40000 80000  -
 * X1  svc-console-a  CRITICAL 04-06 00:00   50000 90000  console-restart SUCCEEDED
 * </pre>
 *
 * percentile_cont(p) over n sorted values v1..vn sits at k = 1 + p(n-1) and interpolates
 * v[floor k] + (k - floor k)(v[ceil k] - v[floor k]).
 */
@IntegrationTest
@TestPropertySource(
		properties = { "warden.test.context=console", "warden.console.admin.username=" + ConsoleSecurityTests.ADMIN,
				"warden.console.admin.password=" + ConsoleSecurityTests.ADMIN_PASSWORD,
				"warden.console.admin.display-name=Chief Admin" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleAnalyticsPageTests {

	static final String ADMIN = ConsoleSecurityTests.ADMIN;

	static final String PASSWORD = ConsoleSecurityTests.ADMIN_PASSWORD;

	private static final String WINDOW = "from=2018-04-02&to=2018-04-06";

	private static final String A = "svc-console-a";

	private static final String B = "svc-console-b";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	@BeforeAll
	void writeTheDataSet() {
		AnalyticsRows rows = new AnalyticsRows(this.jdbc, "console-analytics-tests");
		rows.incident("C1", A, "console-team", "CRITICAL", "2018-04-02T09:00:00Z", 30L, 600L);
		rows.incident("C2", A, "console-team", "HIGH", "2018-04-02T15:00:00Z", 90L, 1200L);
		rows.incident("C3", A, "console-team", "CRITICAL", "2018-04-04T10:00:00Z", 600L, 3600L);
		rows.incident("C4", B, "console-team", "WARNING", "2018-04-04T11:00:00Z", 120L, null);
		rows.incident("C5", B, "console-team", "CRITICAL", "2018-04-05T08:00:00Z", null, 2100L);
		rows.incident("X0", B, "console-team", "CRITICAL", "2018-04-01T23:59:59Z", 40_000L, 80_000L);
		rows.incident("X1", A, "console-team", "CRITICAL", "2018-04-06T00:00:00Z", 50_000L, 90_000L);
		rows.impactAndMitigation("C1", 120L, 300L);
		rows.impactAndMitigation("C3", 600L, null);
		rows.impactAndMitigation("C5", null, 1200L);
		rows.impactAndMitigation("X0", 40_000L, 40_000L);

		rows.alerts("ConsoleLoud", "C1", 3, "2018-04-02T09:00:00Z");
		rows.alerts("ConsoleQuiet", "C3", 1, "2018-04-04T10:00:00Z");
		rows.alerts("ConsoleOutside", "X1", 4, "2018-04-06T00:00:00Z");

		rows.run("console-restart", "Restart the console service", "C1", "SUCCEEDED", 10);
		rows.run("console-restart", "Restart the console service", "C3", "FAILED", 10);
		rows.run("console-restart", "Restart the console service", "C5", "SUCCEEDED", 10);
		rows.run("console-restart", "Restart the console service", "X1", "SUCCEEDED", 10);
	}

	@Test
	void showsMttaAndMttrOverallByServiceAndBySeverity() {
		ConsoleBrowser.Page page = admin().get("/analytics?" + WINDOW);

		assertThat(page.status()).as(page.body()).isEqualTo(200);
		String body = page.body();
		// Columns: incidents; acknowledged, MTTA p50, p90, mean; resolved, MTTR p50, p90,
		// mean. X0 (a second early) and X1 (at the exclusive end) are out.
		// MTTA of C1 C2 C3 C4, sorted 30 90 120 600 (n = 4): mean 840 / 4 = 210 s;
		// p50: k = 2.5 -> 90 + 0.5 * 30 = 105 s; p90: k = 3.7 -> 120 + 0.7 * 480 = 456 s.
		// MTTR of C1 C2 C3 C5, sorted 600 1200 2100 3600 (n = 4): mean 7500 / 4 = 1875 s;
		// p50: k = 2.5 -> 1200 + 0.5 * 900 = 1650 s; p90: k = 3.7 -> 2100 + 0.7 * 1500 =
		// 3150 s.
		// MTTD of C1 C3, 120 600: mean 360; p50: k = 1.5 -> 360; p90: k = 1.9 -> 120 +
		// 0.9 * 480 = 552 s. MTTM of C1 C5, 300 1200: mean 750; p50 750; p90: 300 + 0.9 *
		// 900 = 1110 s. X0 (outside) would move both.
		assertThat(row(body, "All")).containsExactly("All", "5", "4", "1 min 45 s", "7 min 36 s", "3 min 30 s", "4",
				"27 min 30 s", "52 min 30 s", "31 min 15 s", "2", "6 min", "9 min 12 s", "6 min", "2", "12 min 30 s",
				"18 min 30 s", "12 min 30 s");
		// A: MTTA 30 90 600 (n = 3): mean 240; p50: k = 2 -> 90; p90: k = 2.8 -> 90 + 0.8
		// * 510 = 498. MTTR 600 1200 3600: mean 1800; p50 1200; p90: k = 2.8 -> 1200 +
		// 0.8
		// * 2400 = 3120.
		assertThat(row(body, A)).containsExactly(A, "3", "3", "1 min 30 s", "8 min 18 s", "4 min", "3", "20 min",
				"52 min", "30 min", "2", "6 min", "9 min 12 s", "6 min", "1", "5 min", "5 min", "5 min");
		// B: MTTA 120 alone (C5 was never acknowledged), MTTR 2100 alone (C4 is open).
		assertThat(row(body, B)).containsExactly(B, "2", "1", "2 min", "2 min", "2 min", "1", "35 min", "35 min",
				"35 min", "0", "-", "-", "-", "1", "20 min", "20 min", "20 min");
		// Critical, C1 C3 C5: MTTA 30 600 (n = 2): mean 315; p50: k = 1.5 -> 315; p90: k
		// = 1.9 -> 30 + 0.9 * 570 = 543. MTTR 600 2100 3600: mean 2100; p50 2100; p90: k
		// = 2.8 -> 2100 + 0.8 * 1500 = 3300.
		assertThat(row(body, "▲▲ critical")).containsExactly("▲▲ critical", "3", "2", "5 min 15 s", "9 min 3 s",
				"5 min 15 s", "3", "35 min", "55 min", "35 min", "2", "6 min", "9 min 12 s", "6 min", "2",
				"12 min 30 s", "18 min 30 s", "12 min 30 s");
		assertThat(row(body, "▲ high")).containsExactly("▲ high", "1", "1", "1 min 30 s", "1 min 30 s", "1 min 30 s",
				"1", "20 min", "20 min", "20 min", "0", "-", "-", "-", "0", "-", "-", "-");
		// C4 was never resolved: no MTTR at all, not zero.
		assertThat(row(body, "◆ warning")).containsExactly("◆ warning", "1", "1", "2 min", "2 min", "2 min", "0", "-",
				"-", "-", "0", "-", "-", "-", "0", "-", "-", "-");
		assertThat(body).doesNotContain("● info", "NaN", "Infinity", "style=\"");
	}

	@Test
	void drawsOneBarPerDayAndTheServicesP50AndP90() {
		String body = admin().get("/analytics?" + WINDOW).body();

		String days = svg(body, "Incidents per day");
		assertThat(days).contains("role=\"img\"", "viewBox=\"0 0 1000 260\"")
			.contains("aria-label=\"Incidents per day from 2018-04-02 to 2018-04-05: 5 incidents in total, "
					+ "most on 2018-04-02 (2)\"");
		// 04-02: C1 C2; 04-03: none; 04-04: C3 C4; 04-05: C5.
		assertThat(count(days, "<rect")).isEqualTo(4);
		assertThat(titles(days)).containsExactly("2018-04-02: 2 incidents", "2018-04-03: 0 incidents",
				"2018-04-04: 2 incidents", "2018-04-05: 1 incident");
		assertThat(days).contains(">2 Apr<", ">5 Apr<");
		// The same counts as a table.
		assertThat(row(body, "2018-04-02")).containsExactly("2018-04-02", "2");
		assertThat(row(body, "2018-04-03")).containsExactly("2018-04-03", "0");
		assertThat(row(body, "2018-04-05")).containsExactly("2018-04-05", "1");

		String mtta = svg(body, "Time to acknowledge (MTTA) by service");
		assertThat(mtta).contains("role=\"img\"");
		assertThat(count(mtta, "<rect")).isEqualTo(4);
		assertThat(mtta).contains(">p50 1 min 30 s<", ">p90 8 min 18 s<", ">p50 2 min<", ">p90 2 min<");
		// Longest p90 498 s: the scale runs to 10 min in steps of 2 min.
		assertThat(mtta).contains(">10 min<").doesNotContain(">12 min<");
		String mttr = svg(body, "Time to resolve (MTTR) by service");
		assertThat(mttr).contains(">p90 52 min<", ">p50 35 min<", ">1 h<");
	}

	@Test
	void showsNoisiestAlertsRunbooksAndTimeSaved() {
		String body = admin().get("/analytics?" + WINDOW).body();

		// X1's alerts arrived at the window's exclusive end.
		assertThat(row(body, "ConsoleLoud")).containsExactly("ConsoleLoud", "3", "1");
		assertThat(row(body, "ConsoleQuiet")).containsExactly("ConsoleQuiet", "1", "1");
		assertThat(body).doesNotContain("ConsoleOutside");
		// C1 SUCCEEDED, C3 FAILED, C5 SUCCEEDED (X1's run is outside): 2 of 3.
		assertThat(row(body, "Restart the console service console-restart"))
			.containsExactly("Restart the console service console-restart", "3", "3", "2", "1", "0", "67 %");
		// Resolved without a succeeded run: C2 1200, C3 3600 -> median (k = 1.5) 2400 s.
		// Helped: C1 600 saves 1800, C5 2100 saves 300: 2100 s.
		assertThat(text(body)).contains("Time saved 35 min",
				"Baseline MTTR 40 min, the median of 2 resolved incidents without a succeeded run",
				"Helped 2 resolved incidents with a succeeded run");
	}

	@Test
	void linksToDownloadsAndTheApiForTheSameWindowAndFilters() {
		String body = admin().get("/analytics?" + WINDOW + "&service=" + B + "&severity=critical").body();

		String query = "?from=2018-04-02T00:00:00Z&amp;to=2018-04-06T00:00:00Z&amp;zone=UTC&amp;service=" + B
				+ "&amp;severity=critical";
		assertThat(body).contains("href=\"/api/v1/analytics" + query + "\"");
		for (String table : List.of("response-times", "incidents-per-day", "noisiest-alerts", "runbooks",
				"time-saved")) {
			assertThat(body).contains("href=\"/analytics/" + table + ".csv" + query + "\"");
		}
		// The CSV links work from the console session, with the same window and filters.
		ConsoleBrowser.Page csv = admin().get("/analytics/response-times.csv" + query.replace("&amp;", "&"));
		assertThat(csv.status()).isEqualTo(200);
		assertThat(csv.body()).startsWith("group,").contains(B);
		// B's only critical incident is C5: resolved after 2100 s, never acknowledged.
		assertThat(row(body, "All")).containsExactly("All", "1", "0", "-", "-", "-", "1", "35 min", "35 min", "35 min",
				"0", "-", "-", "-", "1", "20 min", "20 min", "20 min");
		assertThat(body).contains("value=\"" + B + "\"", "<option value=\"critical\" selected=\"selected\">");
		// The form shows the window it used.
		assertThat(body).contains("id=\"from\" name=\"from\" type=\"date\" value=\"2018-04-02\"",
				"id=\"to\" name=\"to\" type=\"date\" value=\"2018-04-06\"");
	}

	@Test
	void presetsAreWholeDaysUpToTodayAndAnEmptyWindowSaysSo() {
		ConsoleBrowser browser = admin();
		// The clock stands where the classes sharing the context left it
		// (2026-11-22T21:00Z
		// at first): 7 days, today included, from midnight UTC.
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), ZoneOffset.UTC);
		String from = today.minusDays(6).toString();
		String to = today.plusDays(1).toString();

		// Other classes' incidents of this week share the database; this data set's
		// service has none.
		ConsoleBrowser.Page week = browser.get("/analytics?days=7&service=" + A);
		assertThat(week.status()).isEqualTo(200);
		assertThat(week.body()).contains("value=\"" + from + "\"", "value=\"" + to + "\"")
			.contains("datetime=\"" + from + "T00:00:00Z\"", "datetime=\"" + to + "T00:00:00Z\"")
			.contains("aria-current=\"page\">Last 7 days<")
			.contains("No incidents in this window.")
			.contains("No alerts were received in this window.")
			.doesNotContain("<svg", "NaN");
		// Without a window: the last 30 days, as the API.
		ConsoleBrowser.Page month = browser.get("/analytics");
		assertThat(month.status()).isEqualTo(200);
		assertThat(month.body()).contains("aria-current=\"page\">Last 30 days<",
				"value=\"" + today.minusDays(29) + "\"");
		// Preset links keep the filters.
		assertThat(browser.get("/analytics?days=30&service=" + A).body())
			.contains("href=\"/analytics?days=90&amp;service=" + A + "\"");
	}

	@Test
	void invalidWindowShowsTheReasonWithStatus400() {
		ConsoleBrowser browser = admin();

		assertInvalid(browser, "/analytics?from=2018-04-06&to=2018-04-02",
				"The window is empty: from (2018-04-06T00:00:00Z) must be before to (2018-04-02T00:00:00Z)");
		assertInvalid(browser, "/analytics?from=2017-01-01&to=2018-04-06", "longer than 366 days");
		assertInvalid(browser, "/analytics?from=yesterday", "from: &#39;yesterday&#39; is neither");
		assertInvalid(browser, "/analytics?days=7&severity=urgent",
				"severity: &#39;urgent&#39; is not one of [critical, high, warning, info]");
		assertInvalid(browser, "/analytics?days=1000",
				"days: &#39;1000&#39; is not a number of days between 1 and 366");
		assertInvalid(browser, "/analytics?days=week", "days: &#39;week&#39; is not a number of days");
		assertInvalid(browser, "/analytics?days=7&from=2018-04-02", "either a number of days or dates");
	}

	@Test
	void viewerSeesTheFigures() {
		String viewer = ConsoleUserRows.create(this.jdbc, "viewer", PASSWORD);

		ConsoleBrowser.Page page = new ConsoleBrowser(this.port).signedIn(viewer, PASSWORD).get("/analytics?" + WINDOW);

		assertThat(page.status()).isEqualTo(200);
		assertThat(row(page.body(), "All")).startsWith("All", "5", "4", "1 min 45 s");
	}

	@Test
	void anonymousVisitorsAreSentToSignIn() {
		assertThat(new ConsoleBrowser(this.port).get("/analytics?" + WINDOW).redirectsToSignIn()).isTrue();
	}

	private ConsoleBrowser admin() {
		return new ConsoleBrowser(this.port).signedIn(ADMIN, PASSWORD);
	}

	private static void assertInvalid(ConsoleBrowser browser, String path, String reason) {
		ConsoleBrowser.Page page = browser.get(path);
		assertThat(page.status()).as(path).isEqualTo(400);
		assertThat(page.header("Content-Type")).startsWith("text/html");
		assertThat(page.body()).contains("role=\"alert\"", reason)
			.contains("<form class=\"filters\"")
			.doesNotContain("Exception", "at dev.warden", "<svg", "MTTA and MTTR overall");
	}

	/** The text of the cells of the first table row whose first cell is {@code first}. */
	private static List<String> row(String html, String first) {
		Matcher rows = Pattern.compile("<tr>(.*?)</tr>", Pattern.DOTALL).matcher(html);
		while (rows.find()) {
			List<String> cells = new ArrayList<>();
			Matcher cell = Pattern.compile("<t[hd][^>]*>(.*?)</t[hd]>", Pattern.DOTALL).matcher(rows.group(1));
			while (cell.find()) {
				cells.add(text(cell.group(1)));
			}
			if (!cells.isEmpty() && cells.getFirst().equals(first)) {
				return cells;
			}
		}
		throw new AssertionError("No table row starts with " + first + " in " + html);
	}

	/** The SVG whose aria-label starts with {@code label}. */
	private static String svg(String html, String label) {
		Matcher svg = Pattern.compile("<svg[^>]*aria-label=\"" + Pattern.quote(label) + ".*?</svg>", Pattern.DOTALL)
			.matcher(html);
		assertThat(svg.find()).as("an SVG labelled " + label).isTrue();
		return svg.group();
	}

	private static List<String> titles(String svg) {
		Matcher title = Pattern.compile("<title>(.*?)</title>").matcher(svg);
		List<String> titles = new ArrayList<>();
		while (title.find()) {
			titles.add(title.group(1));
		}
		return titles;
	}

	private static int count(String text, String part) {
		return text.split(Pattern.quote(part), -1).length - 1;
	}

}
