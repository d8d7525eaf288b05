package dev.warden.reports;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.warden.incidents.Severity;
import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.AnalyticsReport.NoisyAlert;
import dev.warden.reports.AnalyticsReport.ResponseTimes;
import dev.warden.reports.AnalyticsReport.RunbookOutcomes;
import dev.warden.reports.AnalyticsReport.RunbookRuns;
import dev.warden.reports.AnalyticsReport.Stats;
import dev.warden.reports.AnalyticsReport.TimeSaved;
import dev.warden.runbooks.ExecutionStatus;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Isolation;
import org.springframework.transaction.annotation.Transactional;

/**
 * MTTA/MTTR/MTTD/MTTM, incidents per day, the noisiest alerts and runbook outcomes, each
 * computed by one aggregating SQL statement: rows never travel to Warden, only the answer
 * does.
 *
 * <p>
 * Every figure is about the incidents <em>detected</em> in {@code [from, to)} that match
 * the query's service, severity and team, except the noisy alerts: those are the alerts
 * Warden first <em>received</em> in the window (whenever their incident was detected), of
 * incidents that match the filter.
 *
 * <p>
 * Percentiles are PostgreSQL's {@code percentile_cont}: for the n durations sorted
 * ascending, v<sub>1</sub> ≤ … ≤ v<sub>n</sub>, the percentile p lies at position
 * {@code k = 1 + p·(n − 1)} and is interpolated linearly between its neighbours:
 * {@code v[floor(k)] + (k − floor(k))·(v[ceil(k)] − v[floor(k)])}. It is the same
 * definition as a spreadsheet's {@code PERCENTILE.INC} and numpy's default; with one
 * duration every percentile is that duration.
 */
@Service
public class Analytics {

	private static final List<String> FINISHED = Arrays.stream(ExecutionStatus.values())
		.filter(ExecutionStatus::isFinished)
		.map(ExecutionStatus::name)
		.toList();

	private final JdbcClient jdbc;

	Analytics(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** All figures, from one consistent snapshot of the database. */
	@Transactional(readOnly = true, isolation = Isolation.REPEATABLE_READ)
	public AnalyticsReport report(AnalyticsQuery query) {
		return new AnalyticsReport(query, responseTimes(query), incidentsPerDay(query), noisiestAlerts(query),
				runbooks(query));
	}

	/**
	 * MTTA (acknowledged − detected, over the acknowledged incidents), MTTR (resolved −
	 * detected, over the resolved incidents), MTTD (detected − impact start, over the
	 * incidents with an impact start; an impact start after detection, which only clocks
	 * out of step give, counts as zero) and MTTM (mitigated − detected, over the
	 * mitigated incidents): count, mean, p50 and p90, overall, by service and by
	 * severity. Impact start and mitigation are the milestones as they stand, corrected
	 * or set by a person where one did. A reopened incident counts once resolved again,
	 * from its first detection to its last resolution.
	 */
	@Transactional(readOnly = true)
	public ResponseTimes responseTimes(AnalyticsQuery query) {
		Scope scope = Scope.of(query);
		List<GroupRow> rows = this.jdbc
			.sql("""
					select grouping(service) as any_service, grouping(severity) as any_severity, service, severity,
					    count(*) as incidents,
					    count(tta) as tta_count, avg(tta) as tta_mean,
					    percentile_cont(0.5) within group (order by tta) as tta_p50,
					    percentile_cont(0.9) within group (order by tta) as tta_p90,
					    count(ttr) as ttr_count, avg(ttr) as ttr_mean,
					    percentile_cont(0.5) within group (order by ttr) as ttr_p50,
					    percentile_cont(0.9) within group (order by ttr) as ttr_p90,
					    count(ttd) as ttd_count, avg(ttd) as ttd_mean,
					    percentile_cont(0.5) within group (order by ttd) as ttd_p50,
					    percentile_cont(0.9) within group (order by ttd) as ttd_p90,
					    count(ttm) as ttm_count, avg(ttm) as ttm_mean,
					    percentile_cont(0.5) within group (order by ttm) as ttm_p50,
					    percentile_cont(0.9) within group (order by ttm) as ttm_p90
					from (
					    select i.service, i.severity,
					        extract(epoch from i.acknowledged_at - i.detected_at)::float8 as tta,
					        extract(epoch from i.resolved_at - i.detected_at)::float8 as ttr,
					        case when i.impact_started_at is not null
					            then greatest(extract(epoch from i.detected_at - i.impact_started_at)::float8, 0) end as ttd,
					        extract(epoch from i.mitigated_at - i.detected_at)::float8 as ttm
					    from report_incident i
					    where %s
					) as scoped
					group by grouping sets ((), (service), (severity))"""
				.formatted(scope.incidents()))
			.params(scope.params())
			.query((rs, row) -> {
				// grouping(column) is 1 when the row is not grouped by that column.
				boolean byService = rs.getInt("any_service") == 0;
				boolean bySeverity = rs.getInt("any_severity") == 0;
				return new GroupRow(byService, bySeverity,
						new Group(byService ? rs.getString("service") : null,
								bySeverity ? Severity.valueOf(rs.getString("severity")) : null, rs.getLong("incidents"),
								stats(rs, "tta"), stats(rs, "ttr"), stats(rs, "ttd"), stats(rs, "ttm")));
			})
			.list();
		Group overall = rows.stream()
			.filter((row) -> !row.byService() && !row.bySeverity())
			.map(GroupRow::group)
			.findFirst()
			.orElseThrow();
		List<Group> byService = rows.stream()
			.filter(GroupRow::byService)
			.map(GroupRow::group)
			.sorted(Comparator.comparing(Group::service, Comparator.nullsLast(Comparator.naturalOrder())))
			.toList();
		List<Group> bySeverity = rows.stream()
			.filter(GroupRow::bySeverity)
			.map(GroupRow::group)
			.sorted(Comparator.comparing(Group::severity))
			.toList();
		return new ResponseTimes(overall, byService, bySeverity);
	}

	/**
	 * Incidents detected in the window by calendar day in the query's zone, every day the
	 * window touches included, days without incidents as zero.
	 */
	@Transactional(readOnly = true)
	public List<DayCount> incidentsPerDay(AnalyticsQuery query) {
		Scope scope = Scope.of(query);
		List<LocalDate> days = query.days();
		// Day boundaries come from Java's zone rules, so days of 23 or 25 hours and
		// offsets PostgreSQL spells differently count right; width_bucket(x, starts) is
		// the number of starts at or before x. The sub-select parses the array once, not
		// once per incident.
		String starts = days.stream()
			.map((day) -> day.atStartOfDay(query.zone()).toInstant().toString())
			.collect(Collectors.joining(",", "{", "}"));
		Map<Integer, Long> counts = new HashMap<>();
		this.jdbc
			.sql("""
					select width_bucket(i.detected_at, (select cast(:starts as timestamptz[]))) as day, count(*) as incidents
					from report_incident i
					where %s
					group by 1"""
				.formatted(scope.incidents()))
			.params(scope.params())
			.param("starts", starts)
			.query((rs) -> {
				counts.merge(Math.max(rs.getInt("day"), 1), rs.getLong("incidents"), Long::sum);
			});
		List<DayCount> perDay = new ArrayList<>(days.size());
		for (int i = 0; i < days.size(); i++) {
			perDay.add(new DayCount(days.get(i), counts.getOrDefault(i + 1, 0L)));
		}
		return perDay;
	}

	/**
	 * The alert names with the most alerts first received in the window (one alert per
	 * fingerprint and incident: Alertmanager's resends of a firing alert are not counted
	 * again), with the number of incidents they were in. Ties go to the name in more
	 * incidents, then to the name first in byte order.
	 */
	@Transactional(readOnly = true)
	public List<NoisyAlert> noisiestAlerts(AnalyticsQuery query) {
		Scope scope = Scope.of(query);
		// Per incident first: two hash aggregations are much cheaper than the sort that
		// count(distinct incident_id) needs over a year of alerts.
		String join = scope.filters().isEmpty() ? "" : "join report_incident i on i.id = a.incident_id";
		return this.jdbc.sql("""
				select alert_name, sum(alerts) as alerts, count(*) as incidents
				from (
				    select a.alert_name, a.incident_id, count(*) as alerts
				    from report_alert a %s
				    where a.first_seen_at >= :from and a.first_seen_at < :to %s
				    group by a.alert_name, a.incident_id
				) as per_incident
				group by alert_name
				order by alerts desc, incidents desc, alert_name collate "C"
				limit :top""".formatted(join, scope.filters()))
			.params(scope.params())
			.param("top", query.top())
			.query((rs, row) -> new NoisyAlert(rs.getString("alert_name"), rs.getLong("alerts"),
					rs.getLong("incidents")))
			.list();
	}

	/**
	 * Per runbook, its runs for the incidents detected in the window and how they ended;
	 * and the time runbooks saved, as {@link TimeSaved} defines it.
	 */
	@Transactional(readOnly = true)
	public RunbookOutcomes runbooks(AnalyticsQuery query) {
		Scope scope = Scope.of(query);
		List<RunbookRuns> runbooks = this.jdbc.sql("""
				select r.runbook_id,
				    (array_agg(r.runbook_title order by r.created_at desc, r.id desc))[1] as title,
				    count(*) as runs,
				    count(*) filter (where r.status in (:finished)) as finished,
				    count(*) filter (where r.status = :succeeded) as succeeded,
				    count(*) filter (where r.status = :cancelled) as cancelled
				from report_runbook_run r
				join report_incident i on i.id = r.incident_id
				where %s
				group by r.runbook_id
				order by r.runbook_id collate "C"
				""".formatted(scope.incidents()))
			.params(scope.params())
			.param("finished", FINISHED)
			.param("succeeded", ExecutionStatus.SUCCEEDED.name())
			.param("cancelled", ExecutionStatus.CANCELLED.name())
			.query((rs, row) -> {
				long finished = rs.getLong("finished");
				long succeeded = rs.getLong("succeeded");
				long cancelled = rs.getLong("cancelled");
				return new RunbookRuns(rs.getString("runbook_id"), rs.getString("title"), rs.getLong("runs"), finished,
						succeeded, finished - succeeded - cancelled, cancelled,
						(finished > 0) ? (double) succeeded / finished : null);
			})
			.list();
		return new RunbookOutcomes(runbooks, timeSaved(scope));
	}

	private TimeSaved timeSaved(Scope scope) {
		return this.jdbc.sql("""
				with scoped as (
				    select extract(epoch from i.resolved_at - i.detected_at)::float8 as ttr,
				        exists (select 1 from report_runbook_run r
				                where r.incident_id = i.id and r.status = :succeeded) as helped
				    from report_incident i
				    where %s and i.resolved_at is not null
				), baseline as (
				    select percentile_cont(0.5) within group (order by ttr) as median, count(*) as incidents
				    from scoped
				    where not helped
				)
				select b.median, b.incidents,
				    (select count(*) from scoped where helped) as helped,
				    (select sum(greatest(b.median - s.ttr, 0)) from scoped s where s.helped) as saved
				from baseline b""".formatted(scope.incidents()))
			.params(scope.params())
			.param("succeeded", ExecutionStatus.SUCCEEDED.name())
			.query((rs, row) -> {
				Duration baseline = duration(rs, "median");
				Duration saved = (baseline != null) ? durationOrZero(rs, "saved") : null;
				return new TimeSaved(baseline, rs.getLong("incidents"), rs.getLong("helped"), saved);
			})
			.single();
	}

	private static Stats stats(ResultSet rs, String prefix) throws SQLException {
		long count = rs.getLong(prefix + "_count");
		if (count == 0) {
			return Stats.NONE;
		}
		return new Stats(count, duration(rs, prefix + "_mean"), duration(rs, prefix + "_p50"),
				duration(rs, prefix + "_p90"));
	}

	private static Duration duration(ResultSet rs, String column) throws SQLException {
		double seconds = rs.getDouble(column);
		return rs.wasNull() ? null : Duration.ofMillis(Math.round(seconds * 1000));
	}

	private static Duration durationOrZero(ResultSet rs, String column) throws SQLException {
		Duration duration = duration(rs, column);
		return (duration != null) ? duration : Duration.ZERO;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	/** A row of the grouping sets: the total, a service's group or a severity's. */
	private record GroupRow(boolean byService, boolean bySeverity, Group group) {

	}

	/**
	 * The query's conditions on incidents (alias {@code i}) as SQL with named parameters:
	 * {@code incidents} is the window on detection plus the filters, {@code filters} the
	 * filters alone (empty, or starting with {@code and}).
	 */
	private record Scope(String incidents, String filters, Map<String, Object> params) {

		static Scope of(AnalyticsQuery query) {
			StringBuilder filters = new StringBuilder();
			Map<String, Object> params = new LinkedHashMap<>();
			params.put("from", utc(query.from()));
			params.put("to", utc(query.to()));
			if (query.service() != null) {
				filters.append(" and i.service = :service");
				params.put("service", query.service());
			}
			if (query.severity() != null) {
				filters.append(" and i.severity = :severity");
				params.put("severity", query.severity().name());
			}
			if (query.team() != null) {
				filters.append(" and i.team = :team");
				params.put("team", query.team());
			}
			// A merged incident counts in the one it was merged into: its "resolution"
			// was the merge.
			return new Scope("i.detected_at >= :from and i.detected_at < :to and i.merged_into is null" + filters,
					filters.toString(), params);
		}

	}

}
