package dev.warden.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import dev.warden.IntegrationTest;
import dev.warden.TestClock;
import dev.warden.WardenClient;
import dev.warden.WardenClient.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Analytics over a fixed data set written straight into PostgreSQL, every expected value
 * worked out by hand below. The data lives in March 2020 in services of its own, so the
 * windows the tests ask for contain nothing else.
 *
 * <p>
 * The window is [2020-03-01T00:00Z, 2020-03-08T00:00Z). Incidents (MTTA and MTTR in
 * seconds after detection; "-" when never acknowledged or not resolved):
 *
 * <pre>
 * ref service          team     severity detected (UTC)    MTTA   MTTR    runbook runs
 * A1  svc-analytics-a  team-1   CRITICAL 03-02 10:00:00       60    600   restart SUCCEEDED
 * A2  svc-analytics-a  team-1   CRITICAL 03-02 22:30:00      120   1800   scale CANCELLED
 * A3  svc-analytics-a  team-1   HIGH     03-04 08:00:00      300   3600   -
 * A4  svc-analytics-a  team-1   WARNING  03-04 09:00:00        -    900   restart FAILED, restart SUCCEEDED
 * B1  svc-analytics-b  team-2   HIGH     03-02 12:00:00       30   7200   scale SUCCEEDED
 * B2  svc-analytics-b  team-2   CRITICAL 03-05 23:30:00      600      -   restart TIMED_OUT
 * B3  svc-analytics-b  team-2   WARNING  03-07 01:00:00        -      -   restart RUNNING, drain QUEUED
 * N1  (none)           (none)   INFO     03-06 12:00:00       90    300   scale INTERRUPTED
 * outside the window (each would change the figures if it were counted):
 * X1  svc-analytics-a  team-1   CRITICAL 02-29 23:59:59   100000 200000   scale SUCCEEDED
 * X2  svc-analytics-b  team-2   CRITICAL 03-08 00:00:00    50000  90000   -
 * Y   svc-analytics-b  team-2   INFO     03-09 04:30:00        -      -   -
 * </pre>
 *
 * percentile_cont(p) over n sorted values v1..vn sits at k = 1 + p(n-1) and interpolates
 * v[floor k] + (k - floor k)(v[ceil k] - v[floor k]).
 */
@IntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AnalyticsIntegrationTests {

	private static final String A = "svc-analytics-a";

	private static final String B = "svc-analytics-b";

	private static final String WINDOW = "from=2020-03-01T00:00:00Z&to=2020-03-08T00:00:00Z";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TestClock clock;

	WardenClient warden;

	@BeforeAll
	void writeTheDataSet() {
		AnalyticsRows rows = new AnalyticsRows(this.jdbc, "analytics-tests");
		rows.incident("A1", A, "analytics-team-1", "CRITICAL", "2020-03-02T10:00:00Z", 60L, 600L);
		rows.incident("A2", A, "analytics-team-1", "CRITICAL", "2020-03-02T22:30:00Z", 120L, 1800L);
		rows.incident("A3", A, "analytics-team-1", "HIGH", "2020-03-04T08:00:00Z", 300L, 3600L);
		rows.incident("A4", A, "analytics-team-1", "WARNING", "2020-03-04T09:00:00Z", null, 900L);
		rows.incident("B1", B, "analytics-team-2", "HIGH", "2020-03-02T12:00:00Z", 30L, 7200L);
		rows.incident("B2", B, "analytics-team-2", "CRITICAL", "2020-03-05T23:30:00Z", 600L, null);
		rows.incident("B3", B, "analytics-team-2", "WARNING", "2020-03-07T01:00:00Z", null, null);
		rows.incident("N1", null, null, "INFO", "2020-03-06T12:00:00Z", 90L, 300L);
		rows.incident("X1", A, "analytics-team-1", "CRITICAL", "2020-02-29T23:59:59Z", 100_000L, 200_000L);
		rows.incident("X2", B, "analytics-team-2", "CRITICAL", "2020-03-08T00:00:00Z", 50_000L, 90_000L);
		rows.incident("Y", B, "analytics-team-2", "INFO", "2020-03-09T04:30:00Z", null, null);

		// Alerts, by when Warden first received them.
		rows.alerts("AnalyticsDiskFull", "B2", 7, "2020-03-05T23:30:00Z");
		rows.alerts("AnalyticsHighLatency", "A1", 3, "2020-03-02T10:00:00Z");
		rows.alerts("AnalyticsHighLatency", "A2", 2, "2020-03-02T22:30:00Z");
		rows.alerts("AnalyticsHighLatency", "B1", 1, "2020-03-02T12:00:00Z");
		rows.alerts("AnalyticsErrorRate", "A3", 2, "2020-03-04T08:00:00Z");
		rows.alerts("AnalyticsErrorRate", "A4", 2, "2020-03-04T09:00:00Z");
		rows.alerts("AnalyticsPodRestart", "A1", 1, "2020-03-02T10:05:00Z");
		rows.alerts("AnalyticsPodRestart", "B3", 1, "2020-03-07T01:00:00Z");
		rows.alerts("AnalyticsPodRestart", "N1", 1, "2020-03-06T12:00:00Z");
		rows.alerts("AnalyticsCpuHigh", "A2", 2, "2020-03-02T22:35:00Z");
		rows.alerts("AnalyticsCpuHigh", "A3", 1, "2020-03-04T08:05:00Z");
		rows.alerts("=SUM(A1)", "B1", 2, "2020-03-02T12:05:00Z");
		// Received in the window for an incident detected before it: counted.
		rows.alerts("AnalyticsCarryOver", "X1", 1, "2020-03-01T06:00:00Z");
		// Received outside the window: not counted, although B3 was detected inside it.
		rows.alerts("AnalyticsOutside", "X1", 1, "2020-02-29T23:59:59Z");
		rows.alerts("AnalyticsOutside", "X2", 5, "2020-03-08T00:00:00Z");
		rows.alerts("AnalyticsOutside", "B3", 1, "2020-03-08T02:00:00Z");

		rows.run("analytics-restart", "Restart analytics (v1)", "A1", "SUCCEEDED", 10);
		rows.run("analytics-restart", "Restart analytics (v1)", "A4", "FAILED", 10);
		rows.run("analytics-restart", "Restart analytics (v1)", "A4", "SUCCEEDED", 400);
		rows.run("analytics-restart", "Restart analytics (v1)", "B2", "TIMED_OUT", 10);
		rows.run("analytics-restart", "Restart analytics", "B3", "RUNNING", 10);
		rows.run("analytics-drain", "Drain analytics", "B3", "QUEUED", 20);
		rows.run("analytics-scale", "Scale analytics", "B1", "SUCCEEDED", 10);
		rows.run("analytics-scale", "Scale analytics", "A2", "CANCELLED", 10);
		rows.run("analytics-scale", "Scale analytics", "N1", "INTERRUPTED", 10);
		rows.run("analytics-scale", "Scale analytics", "X1", "SUCCEEDED", 10);
	}

	@BeforeEach
	void setUp() {
		this.warden = new WardenClient(this.port);
	}

	@Test
	void mttaAndMttrOverallAreLinearlyInterpolatedPercentiles() {
		JsonNode body = ok("/api/v1/analytics?" + WINDOW);

		assertThat(body.get("from").asString()).isEqualTo("2020-03-01T00:00:00Z");
		assertThat(body.get("to").asString()).isEqualTo("2020-03-08T00:00:00Z");
		assertThat(body.get("zone").asString()).isEqualTo("UTC");
		JsonNode overall = body.get("responseTimes").get("overall");
		// A1..A4, B1..B3, N1; X1 (one second early) and X2 (at the exclusive end) are
		// out.
		assertThat(overall.get("incidents").asLong()).isEqualTo(8);
		assertThat(overall.get("service").isNull()).isTrue();
		assertThat(overall.get("severity").isNull()).isTrue();
		// MTTA of A1 A2 A3 B1 B2 N1, sorted: 30 60 90 120 300 600 (n = 6).
		// mean = 1200 / 6 = 200
		// p50: k = 1 + 0.5 * 5 = 3.5 -> 90 + 0.5 * (120 - 90) = 105
		// p90: k = 1 + 0.9 * 5 = 5.5 -> 300 + 0.5 * (600 - 300) = 450
		assertStats(overall.get("mtta"), 6, 200, 105, 450);
		assertThat(overall.get("mtta").get("mean").get("iso").asString()).isEqualTo("PT3M20S");
		assertThat(overall.get("mtta").get("p50").get("iso").asString()).isEqualTo("PT1M45S");
		assertThat(overall.get("mtta").get("p90").get("iso").asString()).isEqualTo("PT7M30S");
		// MTTR of A1 A2 A3 A4 B1 N1, sorted: 300 600 900 1800 3600 7200 (n = 6).
		// mean = 14400 / 6 = 2400
		// p50: k = 3.5 -> 900 + 0.5 * (1800 - 900) = 1350
		// p90: k = 5.5 -> 3600 + 0.5 * (7200 - 3600) = 5400
		assertStats(overall.get("mttr"), 6, 2400, 1350, 5400);
		assertThat(overall.get("mttr").get("p90").get("iso").asString()).isEqualTo("PT1H30M");
	}

	@Test
	void mttaAndMttrByService() {
		JsonNode byService = ok("/api/v1/analytics?" + WINDOW).get("responseTimes").get("byService");

		assertThat(byService).hasSize(3);
		JsonNode a = byService.get(0);
		assertThat(a.get("service").asString()).isEqualTo(A);
		assertThat(a.get("severity").isNull()).isTrue();
		assertThat(a.get("incidents").asLong()).isEqualTo(4);
		// MTTA 60 120 300 (n = 3): mean 160; p50: k = 2 -> 120;
		// p90: k = 1 + 0.9 * 2 = 2.8 -> 120 + 0.8 * (300 - 120) = 264
		assertStats(a.get("mtta"), 3, 160, 120, 264);
		// MTTR 600 900 1800 3600 (n = 4): mean 6900 / 4 = 1725;
		// p50: k = 2.5 -> 900 + 0.5 * 900 = 1350; p90: k = 3.7 -> 1800 + 0.7 * 1800 =
		// 3060
		assertStats(a.get("mttr"), 4, 1725, 1350, 3060);

		JsonNode b = byService.get(1);
		assertThat(b.get("service").asString()).isEqualTo(B);
		assertThat(b.get("incidents").asLong()).isEqualTo(3);
		// MTTA 30 600: mean 315; p50: k = 1.5 -> 315; p90: k = 1.9 -> 30 + 0.9 * 570 =
		// 543
		assertStats(b.get("mtta"), 2, 315, 315, 543);
		// MTTR 7200 alone (B2 and B3 are unresolved): every figure is 7200.
		assertStats(b.get("mttr"), 1, 7200, 7200, 7200);

		// Incidents without a service are a group of their own, listed last.
		JsonNode none = byService.get(2);
		assertThat(none.get("service").isNull()).isTrue();
		assertThat(none.get("incidents").asLong()).isEqualTo(1);
		assertStats(none.get("mtta"), 1, 90, 90, 90);
		assertStats(none.get("mttr"), 1, 300, 300, 300);
	}

	@Test
	void mttaAndMttrBySeverityWorstFirst() {
		JsonNode bySeverity = ok("/api/v1/analytics?" + WINDOW).get("responseTimes").get("bySeverity");

		assertThat(bySeverity).hasSize(4);
		assertThat(bySeverity.valueStream().map((group) -> group.get("severity").asString()))
			.containsExactly("critical", "high", "warning", "info");
		JsonNode critical = bySeverity.get(0);
		assertThat(critical.get("service").isNull()).isTrue();
		assertThat(critical.get("incidents").asLong()).isEqualTo(3);
		// A1 A2 B2. MTTA 60 120 600: mean 260; p50 120; p90: k = 2.8 -> 120 + 0.8 * 480 =
		// 504
		assertStats(critical.get("mtta"), 3, 260, 120, 504);
		// MTTR 600 1800 (B2 unresolved): mean 1200; p50 1200; p90: k = 1.9 -> 600 + 0.9 *
		// 1200 = 1680
		assertStats(critical.get("mttr"), 2, 1200, 1200, 1680);
		JsonNode high = bySeverity.get(1);
		assertThat(high.get("incidents").asLong()).isEqualTo(2);
		// A3 B1. MTTA 30 300: mean 165; p50 165; p90 30 + 0.9 * 270 = 273
		assertStats(high.get("mtta"), 2, 165, 165, 273);
		// MTTR 3600 7200: mean 5400; p50 5400; p90 3600 + 0.9 * 3600 = 6840
		assertStats(high.get("mttr"), 2, 5400, 5400, 6840);
		JsonNode warning = bySeverity.get(2);
		assertThat(warning.get("incidents").asLong()).isEqualTo(2);
		// A4 and B3 were never acknowledged: no MTTA at all.
		assertThat(warning.get("mtta").get("count").asLong()).isZero();
		assertThat(warning.get("mtta").get("mean").isNull()).isTrue();
		assertThat(warning.get("mtta").get("p50").isNull()).isTrue();
		assertThat(warning.get("mtta").get("p90").isNull()).isTrue();
		assertStats(warning.get("mttr"), 1, 900, 900, 900);
		JsonNode info = bySeverity.get(3);
		assertThat(info.get("incidents").asLong()).isEqualTo(1);
		assertStats(info.get("mtta"), 1, 90, 90, 90);
		assertStats(info.get("mttr"), 1, 300, 300, 300);
	}

	@Test
	void filtersNarrowEveryFigure() {
		JsonNode body = ok("/api/v1/analytics?" + WINDOW + "&service=" + A);

		assertThat(body.get("filter").get("service").asString()).isEqualTo(A);
		JsonNode times = body.get("responseTimes");
		assertThat(times.get("overall").get("incidents").asLong()).isEqualTo(4);
		assertStats(times.get("overall").get("mtta"), 3, 160, 120, 264);
		assertStats(times.get("overall").get("mttr"), 4, 1725, 1350, 3060);
		assertThat(times.get("byService")).hasSize(1);
		// A's critical incidents A1 A2: MTTA 60 120: mean 90; p50 90; p90 60 + 0.9 * 60 =
		// 114
		assertThat(times.get("bySeverity").get(0).get("severity").asString()).isEqualTo("critical");
		assertStats(times.get("bySeverity").get(0).get("mtta"), 2, 90, 90, 114);
		assertThat(days(body)).containsExactly(0L, 2L, 0L, 2L, 0L, 0L, 0L);
		// A1: HighLatency 3 + PodRestart 1; A2: HighLatency 2 + CpuHigh 2; A3: ErrorRate
		// 2 +
		// CpuHigh 1; A4: ErrorRate 2; X1 (service A, received in the window): CarryOver
		// 1.
		// CarryOver and PodRestart tie at 1 alert in 1 incident: by name.
		assertThat(noisy(body)).containsExactly("AnalyticsHighLatency 5 2", "AnalyticsErrorRate 4 2",
				"AnalyticsCpuHigh 3 2", "AnalyticsCarryOver 1 1", "AnalyticsPodRestart 1 1");
		JsonNode runbooks = body.get("runbooks").get("byRunbook");
		assertThat(runbooks).hasSize(2);
		// restart: A1 SUCCEEDED, A4 FAILED, A4 SUCCEEDED -> 2 of 3
		assertRunbook(runbooks.get(0), "analytics-restart", 3, 3, 2, 1, 0, 2.0 / 3);
		// scale: A2 CANCELLED -> 0 of 1 (X1's run is outside the window)
		assertRunbook(runbooks.get(1), "analytics-scale", 1, 1, 0, 0, 1, 0.0);
		// Resolved A incidents without a succeeded run: A2 1800, A3 3600 -> median 2700.
		// Helped: A1 (600) saves 2700 - 600 = 2100; A4 (900) saves 1800. Sum 3900.
		assertTimeSaved(body.get("runbooks").get("timeSaved"), 3900, 2700, 2, 2);

		JsonNode critical = ok("/api/v1/analytics?" + WINDOW + "&severity=CRITICAL");
		assertThat(critical.get("filter").get("severity").asString()).isEqualTo("critical");
		assertStats(critical.get("responseTimes").get("overall").get("mtta"), 3, 260, 120, 504);
		JsonNode criticalByService = critical.get("responseTimes").get("byService");
		assertThat(criticalByService).hasSize(2);
		// B2 is B's only critical incident, acknowledged after 600 s and not resolved.
		assertStats(criticalByService.get(1).get("mtta"), 1, 600, 600, 600);
		assertThat(criticalByService.get(1).get("mttr").get("count").asLong()).isZero();

		JsonNode team = ok("/api/v1/analytics?" + WINDOW + "&team=analytics-team-2");
		assertThat(team.get("responseTimes").get("overall").get("incidents").asLong()).isEqualTo(3);
		assertStats(team.get("responseTimes").get("overall").get("mtta"), 2, 315, 315, 543);

		JsonNode both = ok("/api/v1/analytics?" + WINDOW + "&service=" + A + "&severity=critical");
		assertThat(both.get("responseTimes").get("overall").get("incidents").asLong()).isEqualTo(2);
		assertStats(both.get("responseTimes").get("overall").get("mtta"), 2, 90, 90, 114);
	}

	@Test
	void incidentsPerDayIncludeDaysWithoutIncidents() {
		JsonNode body = ok("/api/v1/analytics?" + WINDOW);

		JsonNode days = body.get("incidentsPerDay");
		assertThat(days.valueStream().map((day) -> day.get("date").asString())).containsExactly("2020-03-01",
				"2020-03-02", "2020-03-03", "2020-03-04", "2020-03-05", "2020-03-06", "2020-03-07");
		// 03-02: A1 A2 B1; 03-04: A3 A4; 03-05: B2 (23:30); 03-06: N1; 03-07: B3.
		assertThat(days(body)).containsExactly(0L, 3L, 0L, 2L, 1L, 1L, 1L);
	}

	@Test
	void incidentsPerDayCountCalendarDaysOfTheZone() {
		JsonNode newYork = ok("/api/v1/analytics?" + WINDOW + "&zone=America/New_York");

		// The same window is 02-29 19:00 to 03-07 19:00 in New York (UTC-5): eight days.
		// B2 (03-05 18:30) stays on the 5th; B3 (03-06 20:00) moves to the 6th.
		assertThat(newYork.get("incidentsPerDay").get(0).get("date").asString()).isEqualTo("2020-02-29");
		assertThat(days(newYork)).containsExactly(0L, 0L, 3L, 0L, 2L, 1L, 2L, 0L);
	}

	@Test
	void datesAreMidnightInTheZoneAndDaylightSavingDaysCountRight() {
		// New York switched to UTC-4 on 2020-03-08, a day of 23 hours.
		JsonNode body = ok("/api/v1/analytics?from=2020-03-07&to=2020-03-10&zone=America/New_York");

		assertThat(body.get("from").asString()).isEqualTo("2020-03-07T05:00:00Z");
		assertThat(body.get("to").asString()).isEqualTo("2020-03-10T04:00:00Z");
		assertThat(body.get("zone").asString()).isEqualTo("America/New_York");
		// X2 at 03-08T00:00Z is 03-07 19:00 EST; Y at 03-09T04:30Z is 03-09 00:30 EDT (a
		// fixed UTC-5 would put it on the 8th). B3 (03-07T01:00Z) is before the window.
		assertThat(body.get("incidentsPerDay").valueStream().map((day) -> day.get("date").asString()))
			.containsExactly("2020-03-07", "2020-03-08", "2020-03-09");
		assertThat(days(body)).containsExactly(1L, 0L, 1L);
	}

	@Test
	void noisiestAlertsByAlertsReceivedInTheWindow() {
		JsonNode body = ok("/api/v1/analytics?" + WINDOW);

		// PodRestart and CpuHigh tie at 3 alerts: the one in more incidents first. The
		// alerts Warden received before or after the window (AnalyticsOutside) are out,
		// the one received inside it for X1 (AnalyticsCarryOver) is in.
		assertThat(noisy(body)).containsExactly("AnalyticsDiskFull 7 1", "AnalyticsHighLatency 6 3",
				"AnalyticsErrorRate 4 2", "AnalyticsPodRestart 3 3", "AnalyticsCpuHigh 3 2", "=SUM(A1) 2 1",
				"AnalyticsCarryOver 1 1");

		assertThat(noisy(ok("/api/v1/analytics?" + WINDOW + "&top=2"))).containsExactly("AnalyticsDiskFull 7 1",
				"AnalyticsHighLatency 6 3");
	}

	@Test
	void runbookSuccessRatesAndTimeSaved() {
		JsonNode runbooks = ok("/api/v1/analytics?" + WINDOW).get("runbooks");

		JsonNode byRunbook = runbooks.get("byRunbook");
		assertThat(byRunbook).hasSize(3);
		// drain: B3 QUEUED -> nothing finished, no rate.
		assertRunbook(byRunbook.get(0), "analytics-drain", 1, 0, 0, 0, 0, null);
		assertThat(byRunbook.get(0).get("title").asString()).isEqualTo("Drain analytics");
		// restart: A1 SUCCEEDED, A4 FAILED, A4 SUCCEEDED, B2 TIMED_OUT, B3 RUNNING
		// -> 5 runs, 4 finished, 2 succeeded, 2 failed: 2 / 4 = 0.5
		assertRunbook(byRunbook.get(1), "analytics-restart", 5, 4, 2, 2, 0, 0.5);
		// Its latest run (B3's) has the new title.
		assertThat(byRunbook.get(1).get("title").asString()).isEqualTo("Restart analytics");
		// scale: B1 SUCCEEDED, A2 CANCELLED, N1 INTERRUPTED (X1 outside): 1 / 3
		assertRunbook(byRunbook.get(2), "analytics-scale", 3, 3, 1, 1, 1, 1.0 / 3);

		// Resolved without a succeeded run: A2 1800 (cancelled), A3 3600 (none),
		// N1 300 (interrupted); sorted 300 1800 3600, median (k = 2) 1800.
		// Helped: A1 600 -> 1800 - 600 = 1200; A4 900 -> 900; B1 7200 -> 1800 - 7200 < 0
		// -> 0.
		// Sum 2100 s (B1 unclipped would give -3300).
		assertTimeSaved(runbooks.get("timeSaved"), 2100, 1800, 3, 3);
		assertThat(runbooks.get("timeSaved").get("saved").get("iso").asString()).isEqualTo("PT35M");
	}

	@Test
	void timeSavedIsNullWithoutABaseline() {
		// B's only resolved incident, B1, had a succeeded run: nothing to compare with.
		JsonNode timeSaved = ok("/api/v1/analytics?" + WINDOW + "&service=" + B).get("runbooks").get("timeSaved");

		assertThat(timeSaved.get("saved").isNull()).isTrue();
		assertThat(timeSaved.get("baseline").isNull()).isTrue();
		assertThat(timeSaved.get("baselineIncidents").asLong()).isZero();
		assertThat(timeSaved.get("helpedIncidents").asLong()).isEqualTo(1);
	}

	@Test
	void windowWithoutIncidentsHasZerosAndNulls() {
		JsonNode body = ok("/api/v1/analytics?from=2019-06-01&to=2019-06-04");

		JsonNode overall = body.get("responseTimes").get("overall");
		assertThat(overall.get("incidents").asLong()).isZero();
		assertThat(overall.get("mtta").get("count").asLong()).isZero();
		assertThat(overall.get("mtta").get("mean").isNull()).isTrue();
		assertThat(overall.get("mttr").get("p90").isNull()).isTrue();
		assertThat(body.get("responseTimes").get("byService")).isEmpty();
		assertThat(body.get("responseTimes").get("bySeverity")).isEmpty();
		assertThat(days(body)).containsExactly(0L, 0L, 0L);
		assertThat(body.get("noisiestAlerts")).isEmpty();
		assertThat(body.get("runbooks").get("byRunbook")).isEmpty();
		assertThat(body.get("runbooks").get("timeSaved").get("saved").isNull()).isTrue();
	}

	@Test
	void defaultWindowIsTheThirtyDaysUpToTheClock() {
		// The clock stands where the classes sharing the context left it: at first START,
		// 2026-11-22T21:00Z, and the window is 2026-10-23T21:00Z..START.
		Instant now = this.clock.instant();
		JsonNode body = ok("/api/v1/analytics");

		Instant from = now.minus(Duration.ofDays(30));
		assertThat(Instant.parse(body.get("to").asString())).isEqualTo(now);
		assertThat(Instant.parse(body.get("from").asString())).isEqualTo(from);
		assertThat(body.get("zone").asString()).isEqualTo("UTC");
		// Every calendar day the window touches: 31 (10-23 from 21:00 to 11-22 until
		// 21:00) unless it starts at midnight.
		LocalDate first = LocalDate.ofInstant(from, ZoneOffset.UTC);
		long days = ChronoUnit.DAYS.between(first, LocalDate.ofInstant(now.minusNanos(1), ZoneOffset.UTC)) + 1;
		assertThat(body.get("incidentsPerDay")).hasSize((int) days);
		assertThat(body.get("incidentsPerDay").get(0).get("date").asString()).isEqualTo(first.toString());
	}

	@Test
	void responseTimesAsCsv() {
		Response response = this.warden.get("/api/v1/analytics/response-times.csv?" + WINDOW);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("text/csv");
		assertThat(response.header("Content-Disposition")).contains("attachment")
			.contains("filename=\"warden-response-times.csv\"");
		List<List<String>> rows = csv(response.body());
		assertThat(rows.get(0)).containsExactly("group", "service", "severity", "incidents", "acknowledged",
				"mtta_mean_seconds", "mtta_p50_seconds", "mtta_p90_seconds", "resolved", "mttr_mean_seconds",
				"mttr_p50_seconds", "mttr_p90_seconds", "with_impact_start", "mttd_mean_seconds", "mttd_p50_seconds",
				"mttd_p90_seconds", "mitigated", "mttm_mean_seconds", "mttm_p50_seconds", "mttm_p90_seconds");
		// This data set has neither impact starts nor mitigations (the incident tests
		// check those figures): none counted, no figures.
		List<String> none = List.of("0", "", "", "", "0", "", "", "");
		assertThat(rows.subList(1, rows.size()).stream().map((row) -> row.subList(12, row.size())))
			.allSatisfy((tail) -> assertThat(tail).isEqualTo(none));
		assertThat(rows.subList(1, rows.size()).stream().map((row) -> row.subList(0, 12))).containsExactly(
				List.of("overall", "", "", "8", "6", "200", "105", "450", "6", "2400", "1350", "5400"),
				List.of("service", A, "", "4", "3", "160", "120", "264", "4", "1725", "1350", "3060"),
				List.of("service", B, "", "3", "2", "315", "315", "543", "1", "7200", "7200", "7200"),
				List.of("service", "", "", "1", "1", "90", "90", "90", "1", "300", "300", "300"),
				List.of("severity", "", "critical", "3", "3", "260", "120", "504", "2", "1200", "1200", "1680"),
				List.of("severity", "", "high", "2", "2", "165", "165", "273", "2", "5400", "5400", "6840"),
				List.of("severity", "", "warning", "2", "0", "", "", "", "1", "900", "900", "900"),
				List.of("severity", "", "info", "1", "1", "90", "90", "90", "1", "300", "300", "300"));
	}

	@Test
	void otherTablesAsCsv() {
		assertThat(csv(csvBody("incidents-per-day", WINDOW))).containsExactly(List.of("date", "incidents"),
				List.of("2020-03-01", "0"), List.of("2020-03-02", "3"), List.of("2020-03-03", "0"),
				List.of("2020-03-04", "2"), List.of("2020-03-05", "1"), List.of("2020-03-06", "1"),
				List.of("2020-03-07", "1"));
		// The alert name a spreadsheet would run as a formula comes out as text.
		assertThat(csv(csvBody("noisiest-alerts", WINDOW + "&top=7"))).containsExactly(
				List.of("alert_name", "alerts", "incidents"), List.of("AnalyticsDiskFull", "7", "1"),
				List.of("AnalyticsHighLatency", "6", "3"), List.of("AnalyticsErrorRate", "4", "2"),
				List.of("AnalyticsPodRestart", "3", "3"), List.of("AnalyticsCpuHigh", "3", "2"),
				List.of("'=SUM(A1)", "2", "1"), List.of("AnalyticsCarryOver", "1", "1"));
		assertThat(csv(csvBody("runbooks", WINDOW))).containsExactly(
				List.of("runbook_id", "title", "runs", "finished", "succeeded", "failed", "cancelled", "success_rate"),
				List.of("analytics-drain", "Drain analytics", "1", "0", "0", "0", "0", ""),
				List.of("analytics-restart", "Restart analytics", "5", "4", "2", "2", "0", "0.5"),
				List.of("analytics-scale", "Scale analytics", "3", "3", "1", "1", "1", "0.3333333333333333"));
		assertThat(csv(csvBody("time-saved", WINDOW))).containsExactly(
				List.of("time_saved_seconds", "baseline_mttr_seconds", "baseline_incidents", "helped_incidents"),
				List.of("2100", "1800", "3", "3"));
		assertThat(csv(csvBody("time-saved", WINDOW + "&service=" + B))).containsExactly(
				List.of("time_saved_seconds", "baseline_mttr_seconds", "baseline_incidents", "helped_incidents"),
				List.of("", "", "0", "1"));
	}

	@Test
	void refusesBadInputWithTheReason() {
		assertBadRequest("/api/v1/analytics?from=2020-03-08T00:00:00Z&to=2020-03-01T00:00:00Z", "must be before");
		assertBadRequest("/api/v1/analytics?from=2020-03-01T00:00:00Z&to=2020-03-01T00:00:00Z", "must be before");
		assertBadRequest("/api/v1/analytics?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:01Z", "longer than 366 days");
		assertBadRequest("/api/v1/analytics?zone=Mars/Olympus", "zone: 'Mars/Olympus' is not a time zone");
		assertBadRequest("/api/v1/analytics?severity=urgent",
				"severity: 'urgent' is not one of [critical, high, warning, info]");
		assertBadRequest("/api/v1/analytics?from=yesterday", "from: 'yesterday' is neither");
		assertBadRequest("/api/v1/analytics?top=0", "top: 0 is not between 1 and 100");
		assertBadRequest("/api/v1/analytics/response-times.csv?zone=Nowhere", "zone: 'Nowhere' is not a time zone");
		// A window of exactly 366 days is fine.
		assertThat(this.warden.get("/api/v1/analytics?from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z").status())
			.isEqualTo(200);
	}

	@Test
	void unknownCsvTableIsNotFound() {
		Response response = this.warden.get("/api/v1/analytics/everything.csv?" + WINDOW);

		assertThat(response.status()).isEqualTo(404);
		assertThat(response.json().get("detail").asString()).contains("response-times", "time-saved");
	}

	@Test
	void requiresAnApiToken() {
		assertThat(this.warden.getAnonymously("/api/v1/analytics?" + WINDOW).status()).isEqualTo(401);
		assertThat(this.warden.getAnonymously("/api/v1/analytics/runbooks.csv?" + WINDOW).status()).isEqualTo(401);
	}

	@Test
	void openApiDocumentDescribesTheAnalytics() {
		JsonNode paths = this.warden.getAnonymously("/v3/api-docs").json().get("paths");

		assertThat(paths.propertyNames()).contains("/api/v1/analytics", "/api/v1/analytics/{table}.csv");
		assertThat(paths.get("/api/v1/analytics")
			.get("get")
			.get("parameters")
			.valueStream()
			.map((parameter) -> parameter.get("name").asString()))
			.containsExactlyInAnyOrder("from", "to", "zone", "service", "severity", "team", "top");
	}

	private JsonNode ok(String path) {
		Response response = this.warden.get(path);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.contentType()).startsWith("application/json");
		return response.json();
	}

	private String csvBody(String table, String query) {
		Response response = this.warden.get("/api/v1/analytics/" + table + ".csv?" + query);
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.contentType()).isEqualTo("text/csv;charset=UTF-8");
		return response.body();
	}

	private void assertBadRequest(String path, String detail) {
		Response response = this.warden.get(path);
		assertThat(response.status()).as(response.toString()).isEqualTo(400);
		assertThat(response.contentType()).startsWith("application/problem+json");
		assertThat(response.json().get("detail").asString()).contains(detail);
	}

	private static List<Long> days(JsonNode body) {
		return body.get("incidentsPerDay").valueStream().map((day) -> day.get("incidents").asLong()).toList();
	}

	private static List<String> noisy(JsonNode body) {
		return body.get("noisiestAlerts")
			.valueStream()
			.map((alert) -> alert.get("alertName").asString() + " " + alert.get("alerts").asLong() + " "
					+ alert.get("incidents").asLong())
			.toList();
	}

	private static void assertStats(JsonNode stats, long count, double mean, double p50, double p90) {
		assertThat(stats.get("count").asLong()).as("count").isEqualTo(count);
		assertThat(stats.get("mean").get("seconds").asDouble()).as("mean").isEqualTo(mean);
		assertThat(stats.get("p50").get("seconds").asDouble()).as("p50").isEqualTo(p50);
		assertThat(stats.get("p90").get("seconds").asDouble()).as("p90").isEqualTo(p90);
		assertThat(stats.get("p90").get("iso").asString()).as("p90 iso")
			.isEqualTo(Duration.ofMillis(Math.round(p90 * 1000)).toString());
	}

	private static void assertRunbook(JsonNode runbook, String id, long runs, long finished, long succeeded,
			long failed, long cancelled, Double rate) {
		assertThat(runbook.get("runbookId").asString()).isEqualTo(id);
		assertThat(runbook.get("runs").asLong()).as("runs").isEqualTo(runs);
		assertThat(runbook.get("finished").asLong()).as("finished").isEqualTo(finished);
		assertThat(runbook.get("succeeded").asLong()).as("succeeded").isEqualTo(succeeded);
		assertThat(runbook.get("failed").asLong()).as("failed").isEqualTo(failed);
		assertThat(runbook.get("cancelled").asLong()).as("cancelled").isEqualTo(cancelled);
		if (rate == null) {
			assertThat(runbook.get("successRate").isNull()).as("successRate").isTrue();
		}
		else {
			assertThat(runbook.get("successRate").asDouble()).as("successRate").isCloseTo(rate, within(1e-12));
		}
	}

	private static void assertTimeSaved(JsonNode timeSaved, double saved, double baseline, long baselineIncidents,
			long helpedIncidents) {
		assertThat(timeSaved.get("saved").get("seconds").asDouble()).as("saved").isEqualTo(saved);
		assertThat(timeSaved.get("baseline").get("seconds").asDouble()).as("baseline").isEqualTo(baseline);
		assertThat(timeSaved.get("baselineIncidents").asLong()).isEqualTo(baselineIncidents);
		assertThat(timeSaved.get("helpedIncidents").asLong()).isEqualTo(helpedIncidents);
	}

	/**
	 * RFC 4180: CRLF between records, commas between fields, "" for a quote in quotes.
	 */
	private static List<List<String>> csv(String text) {
		assertThat(text).endsWith("\r\n");
		List<List<String>> rows = new ArrayList<>();
		List<String> row = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					field.append(c);
				}
			}
			else if (c == '"') {
				quoted = true;
			}
			else if (c == ',') {
				row.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
				row.add(field.toString());
				field.setLength(0);
				rows.add(row);
				row = new ArrayList<>();
				i++;
			}
			else {
				field.append(c);
			}
		}
		return rows;
	}

}
