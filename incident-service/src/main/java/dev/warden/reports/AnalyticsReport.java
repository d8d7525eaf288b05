package dev.warden.reports;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import dev.warden.incidents.Severity;

/**
 * Everything {@link Analytics} computes for one {@link AnalyticsQuery}, read from one
 * snapshot of the database.
 *
 * @param query what was asked
 * @param responseTimes MTTA and MTTR overall, by service and by severity
 * @param incidentsPerDay incidents by calendar day of detection, zero days included
 * @param noisiestAlerts the alert names with the most alerts received in the window
 * @param runbooks runbook outcomes and the time they saved
 */
public record AnalyticsReport(AnalyticsQuery query, ResponseTimes responseTimes, List<DayCount> incidentsPerDay,
		List<NoisyAlert> noisiestAlerts, RunbookOutcomes runbooks) {

	/**
	 * Time to acknowledge, resolve, detect and mitigate of the incidents detected in the
	 * window.
	 *
	 * @param overall all of them
	 * @param byService one group per service, by name, incidents without a service last
	 * @param bySeverity one group per severity, worst first
	 */
	public record ResponseTimes(Group overall, List<Group> byService, List<Group> bySeverity) {

	}

	/**
	 * MTTA, MTTR, MTTD and MTTM of a group of incidents.
	 *
	 * @param service the group's service (null in the overall and severity groups, and
	 * for incidents without a service)
	 * @param severity the group's severity (null unless grouped by severity)
	 * @param incidents incidents detected in the window
	 * @param mtta from detection to the first acknowledgement, over the acknowledged ones
	 * @param mttr from detection to resolution, over the resolved ones
	 * @param mttd from the impact start (as a person corrected it, if one did) to
	 * detection, over the ones with an impact start
	 * @param mttm from detection to mitigation (by a runbook or a person), over the
	 * mitigated ones
	 */
	public record Group(String service, Severity severity, long incidents, Stats mtta, Stats mttr, Stats mttd,
			Stats mttm) {

	}

	/**
	 * Summary of a set of durations, each rounded to the millisecond. With no samples the
	 * count is 0 and the durations are null.
	 *
	 * @param count how many durations
	 * @param mean their arithmetic mean
	 * @param p50 the median, PostgreSQL's {@code percentile_cont(0.5)}
	 * @param p90 the 90th percentile, PostgreSQL's {@code percentile_cont(0.9)}
	 */
	public record Stats(long count, Duration mean, Duration p50, Duration p90) {

		static final Stats NONE = new Stats(0, null, null, null);

	}

	/**
	 * Incidents detected on one calendar day.
	 *
	 * @param date the day in the query's zone
	 * @param incidents how many were detected that day (within the window)
	 */
	public record DayCount(LocalDate date, long incidents) {

	}

	/**
	 * An alert name and how noisy it was.
	 *
	 * @param alertName the alert's name ({@code alertname} label)
	 * @param alerts alerts of that name first received in the window, one per alert
	 * fingerprint and incident
	 * @param incidents how many incidents those alerts belong to
	 */
	public record NoisyAlert(String alertName, long alerts, long incidents) {

	}

	/**
	 * What runbooks did for the incidents detected in the window.
	 *
	 * @param byRunbook one entry per runbook that ran for them, by id
	 * @param timeSaved see {@link TimeSaved}
	 */
	public record RunbookOutcomes(List<RunbookRuns> byRunbook, TimeSaved timeSaved) {

	}

	/**
	 * One runbook's runs for the incidents detected in the window.
	 *
	 * @param runbookId the runbook
	 * @param title its title at its latest run
	 * @param runs every run, finished or not
	 * @param finished runs that ended: succeeded, failed, timed out, interrupted or
	 * cancelled
	 * @param succeeded runs that succeeded
	 * @param failed runs that failed, timed out or were interrupted
	 * @param cancelled runs that were cancelled (by a person or an expired approval)
	 * @param successRate {@code succeeded / finished}, null while none finished
	 */
	public record RunbookRuns(String runbookId, String title, long runs, long finished, long succeeded, long failed,
			long cancelled, Double successRate) {

	}

	/**
	 * A rough estimate of the resolution time runbooks saved, not a measured effect. The
	 * baseline is the median MTTR of the resolved incidents in the window that had no
	 * succeeded runbook run; each resolved incident with at least one succeeded run saved
	 * {@code max(0, baseline − its MTTR)}; {@code saved} is the sum.
	 *
	 * @param baseline the median MTTR without a succeeded runbook; null when no such
	 * incident was resolved
	 * @param baselineIncidents how many incidents the baseline is the median of
	 * @param helpedIncidents resolved incidents with at least one succeeded run
	 * @param saved the sum, rounded to the millisecond; null without a baseline
	 */
	public record TimeSaved(Duration baseline, long baselineIncidents, long helpedIncidents, Duration saved) {

	}

}
