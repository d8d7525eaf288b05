package dev.warden.reports;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springdoc.core.annotations.ParameterObject;

import dev.warden.access.RequiresScope;
import dev.warden.access.Scope;
import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.AnalyticsReport.NoisyAlert;
import dev.warden.reports.AnalyticsReport.RunbookRuns;
import dev.warden.reports.AnalyticsReport.Stats;
import dev.warden.reports.AnalyticsReport.TimeSaved;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The analytics API: one JSON document with every figure, and each of its tables as a CSV
 * file a spreadsheet opens. Windows default to the 30 days up to now.
 */
@RestController
@RequestMapping("/api/v1/analytics")
@RequiresScope(Scope.READ)
@Tag(name = "Analytics")
@SecurityRequirement(name = "apiToken")
class AnalyticsController {

	static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

	private final Analytics analytics;

	private final Clock clock;

	AnalyticsController(Analytics analytics, Clock clock) {
		this.analytics = analytics;
		this.clock = clock;
	}

	@GetMapping
	@Operation(summary = "MTTA/MTTR percentiles, incidents per day, noisiest alerts and runbook outcomes",
			description = "About the incidents detected in [from, to) that match the filters. Percentiles are "
					+ "PostgreSQL's percentile_cont (linear interpolation, like PERCENTILE.INC); durations are "
					+ "given as ISO-8601 and as seconds, rounded to the millisecond.")
	AnalyticsView report(@ParameterObject AnalyticsParameters parameters) {
		return AnalyticsView.of(this.analytics.report(parameters.toQuery(this.clock.instant())));
	}

	@GetMapping("/{table}.csv")
	@Operation(summary = "One table of the analytics as CSV (RFC 4180, UTF-8, header row, durations in seconds)")
	ResponseEntity<String> csv(
			@Parameter(description = "Which table",
					schema = @Schema(allowableValues = { "response-times", "incidents-per-day", "noisiest-alerts",
							"runbooks", "time-saved" })) @PathVariable String table,
			@ParameterObject AnalyticsParameters parameters) {
		return csv(this.analytics, table, query(parameters));
	}

	/**
	 * One table as a CSV download; shared with the console's download route.
	 */
	static ResponseEntity<String> csv(Analytics analytics, String table, AnalyticsQuery query) {
		String body = switch (table) {
			case "response-times" -> AnalyticsCsv.responseTimes(analytics.responseTimes(query));
			case "incidents-per-day" -> AnalyticsCsv.incidentsPerDay(analytics.incidentsPerDay(query));
			case "noisiest-alerts" -> AnalyticsCsv.noisiestAlerts(analytics.noisiestAlerts(query));
			case "runbooks" -> AnalyticsCsv.runbooks(analytics.runbooks(query).byRunbook());
			case "time-saved" -> AnalyticsCsv.timeSaved(analytics.runbooks(query).timeSaved());
			default -> throw new ResponseStatusException(HttpStatus.NOT_FOUND, "There is no analytics table '" + table
					+ "'; the tables are response-times, incidents-per-day, noisiest-alerts, runbooks and time-saved");
		};
		return ResponseEntity.ok()
			.contentType(CSV)
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename("warden-" + table + ".csv").build().toString())
			.body(body);
	}

	private AnalyticsQuery query(AnalyticsParameters parameters) {
		return parameters.toQuery(this.clock.instant());
	}

	/**
	 * The query parameters, as typed; {@link AnalyticsQuery#parse} says what each
	 * accepts.
	 *
	 * @param from start of the window (inclusive)
	 * @param to end of the window (exclusive)
	 * @param zone time zone of the calendar days
	 * @param service only this service
	 * @param severity only this severity
	 * @param team only this team
	 * @param top how many noisy alerts
	 */
	record AnalyticsParameters(
			@Parameter(description = "Start of the window, inclusive: an ISO-8601 instant (2020-03-01T00:00:00Z) "
					+ "or a date (2020-03-01, midnight in zone). Default: 30 days before to") String from,
			@Parameter(description = "End of the window, exclusive; same forms as from. Default: now") String to,
			@Parameter(description = "Time zone of the calendar days (IANA name). Default: UTC") String zone,
			@Parameter(description = "Only incidents of this service") String service,
			@Parameter(
					description = "Only incidents of this severity: critical, high, warning or info") String severity,
			@Parameter(description = "Only incidents of this team") String team,
			@Parameter(description = "How many of the noisiest alerts to list, 1 to 100. Default: 10") String top) {

		AnalyticsQuery toQuery(Instant now) {
			return AnalyticsQuery.parse(this.from, this.to, this.zone, this.service, this.severity, this.team, this.top,
					now);
		}

	}

	/**
	 * The JSON document.
	 *
	 * @param from start of the window (inclusive)
	 * @param to end of the window (exclusive)
	 * @param zone time zone of {@code incidentsPerDay}
	 * @param filter the filters applied
	 * @param responseTimes MTTA and MTTR, overall, by service and by severity
	 * @param incidentsPerDay incidents by day of detection, zero days included
	 * @param noisiestAlerts the noisiest alert names, noisiest first
	 * @param runbooks per runbook outcomes and the time saved
	 */
	record AnalyticsView(Instant from, Instant to, String zone, FilterView filter, ResponseTimesView responseTimes,
			List<DayCount> incidentsPerDay, List<NoisyAlert> noisiestAlerts, RunbooksView runbooks) {

		static AnalyticsView of(AnalyticsReport report) {
			AnalyticsQuery query = report.query();
			var times = report.responseTimes();
			return new AnalyticsView(query.from(), query.to(), query.zone().getId(),
					new FilterView(query.service(), lower(query.severity()), query.team()),
					new ResponseTimesView(GroupView.of(times.overall()),
							times.byService().stream().map(GroupView::of).toList(),
							times.bySeverity().stream().map(GroupView::of).toList()),
					report.incidentsPerDay(), report.noisiestAlerts(),
					new RunbooksView(report.runbooks().byRunbook(), TimeSavedView.of(report.runbooks().timeSaved())));
		}

	}

	record FilterView(String service, String severity, String team) {
	}

	record ResponseTimesView(GroupView overall, List<GroupView> byService, List<GroupView> bySeverity) {
	}

	/**
	 * A group's incidents and their MTTA, MTTR, MTTD and MTTM.
	 *
	 * @param service the service (null for the total, severity groups and incidents
	 * without a service)
	 * @param severity the severity (null unless grouped by severity)
	 * @param incidents incidents detected in the window
	 * @param mtta time to acknowledge, over the acknowledged incidents
	 * @param mttr time to resolve, over the resolved incidents
	 * @param mttd time to detect, from the impact start, over the incidents with one
	 * @param mttm time to mitigate, from detection, over the mitigated incidents
	 */
	record GroupView(String service, String severity, long incidents, StatsView mtta, StatsView mttr, StatsView mttd,
			StatsView mttm) {

		static GroupView of(Group group) {
			return new GroupView(group.service(), lower(group.severity()), group.incidents(),
					StatsView.of(group.mtta()), StatsView.of(group.mttr()), StatsView.of(group.mttd()),
					StatsView.of(group.mttm()));
		}

	}

	record StatsView(long count, Span mean, Span p50, Span p90) {

		static StatsView of(Stats stats) {
			return new StatsView(stats.count(), Span.of(stats.mean()), Span.of(stats.p50()), Span.of(stats.p90()));
		}

	}

	/**
	 * A duration, for people and for programs.
	 *
	 * @param iso ISO-8601, such as {@code PT1H30M}
	 * @param seconds the same in seconds, with milliseconds as decimals
	 */
	record Span(String iso, double seconds) {

		static Span of(Duration duration) {
			return (duration != null) ? new Span(duration.toString(), duration.toMillis() / 1000.0) : null;
		}

	}

	record RunbooksView(List<RunbookRuns> byRunbook, TimeSavedView timeSaved) {
	}

	/**
	 * The time runbooks saved, as {@link TimeSaved} defines it: a rough estimate, not a
	 * measured effect.
	 *
	 * @param saved sum over resolved incidents with a succeeded run of max(0, baseline −
	 * their MTTR); null without a baseline
	 * @param baseline median MTTR of resolved incidents without a succeeded run
	 * @param baselineIncidents how many incidents the baseline is the median of
	 * @param helpedIncidents resolved incidents with at least one succeeded run
	 */
	record TimeSavedView(Span saved, Span baseline, long baselineIncidents, long helpedIncidents) {

		static TimeSavedView of(TimeSaved timeSaved) {
			return new TimeSavedView(Span.of(timeSaved.saved()), Span.of(timeSaved.baseline()),
					timeSaved.baselineIncidents(), timeSaved.helpedIncidents());
		}

	}

	private static String lower(Enum<?> value) {
		return (value != null) ? value.name().toLowerCase(Locale.ROOT) : null;
	}

}
