package dev.warden.reports;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.warden.reports.AnalyticsReport.DayCount;
import dev.warden.reports.AnalyticsReport.Group;
import dev.warden.reports.AnalyticsReport.NoisyAlert;
import dev.warden.reports.AnalyticsReport.ResponseTimes;
import dev.warden.reports.AnalyticsReport.RunbookRuns;
import dev.warden.reports.AnalyticsReport.Stats;
import dev.warden.reports.AnalyticsReport.TimeSaved;

/**
 * The analytics tables as CSV: RFC 4180 (comma separated, CRLF line ends, quotes where a
 * value needs them), a header row, one table per file so a spreadsheet opens it as is.
 * Durations are seconds with a decimal point; an empty cell means "none". Text that a
 * spreadsheet would run as a formula (starting with {@code = + - @}) gets a leading
 * apostrophe: service and alert names come from alert labels, which anyone who can send
 * alerts chooses.
 */
final class AnalyticsCsv {

	private static final String END = "\r\n";

	private AnalyticsCsv() {
	}

	static String responseTimes(ResponseTimes times) {
		StringBuilder csv = new StringBuilder("group,service,severity,incidents,"
				+ "acknowledged,mtta_mean_seconds,mtta_p50_seconds,mtta_p90_seconds,"
				+ "resolved,mttr_mean_seconds,mttr_p50_seconds,mttr_p90_seconds,"
				+ "with_impact_start,mttd_mean_seconds,mttd_p50_seconds,mttd_p90_seconds,"
				+ "mitigated,mttm_mean_seconds,mttm_p50_seconds,mttm_p90_seconds" + END);
		group(csv, "overall", times.overall());
		times.byService().forEach((group) -> group(csv, "service", group));
		times.bySeverity().forEach((group) -> group(csv, "severity", group));
		return csv.toString();
	}

	static String incidentsPerDay(List<DayCount> days) {
		StringBuilder csv = new StringBuilder("date,incidents" + END);
		days.forEach((day) -> row(csv, day.date().toString(), day.incidents()));
		return csv.toString();
	}

	static String noisiestAlerts(List<NoisyAlert> alerts) {
		StringBuilder csv = new StringBuilder("alert_name,alerts,incidents" + END);
		alerts.forEach((alert) -> row(csv, text(alert.alertName()), alert.alerts(), alert.incidents()));
		return csv.toString();
	}

	static String runbooks(List<RunbookRuns> runbooks) {
		StringBuilder csv = new StringBuilder(
				"runbook_id,title,runs,finished,succeeded,failed,cancelled,success_rate" + END);
		runbooks.forEach((runbook) -> row(csv, text(runbook.runbookId()), text(runbook.title()), runbook.runs(),
				runbook.finished(), runbook.succeeded(), runbook.failed(), runbook.cancelled(),
				(runbook.successRate() != null) ? BigDecimal.valueOf(runbook.successRate()).toPlainString() : ""));
		return csv.toString();
	}

	static String timeSaved(TimeSaved saved) {
		StringBuilder csv = new StringBuilder(
				"time_saved_seconds,baseline_mttr_seconds,baseline_incidents,helped_incidents" + END);
		row(csv, seconds(saved.saved()), seconds(saved.baseline()), saved.baselineIncidents(), saved.helpedIncidents());
		return csv.toString();
	}

	private static void group(StringBuilder csv, String kind, Group group) {
		Stats mtta = group.mtta();
		Stats mttr = group.mttr();
		Stats mttd = group.mttd();
		Stats mttm = group.mttm();
		row(csv, kind, text(group.service()),
				(group.severity() != null) ? group.severity().name().toLowerCase(Locale.ROOT) : "", group.incidents(),
				mtta.count(), seconds(mtta.mean()), seconds(mtta.p50()), seconds(mtta.p90()), mttr.count(),
				seconds(mttr.mean()), seconds(mttr.p50()), seconds(mttr.p90()), mttd.count(), seconds(mttd.mean()),
				seconds(mttd.p50()), seconds(mttd.p90()), mttm.count(), seconds(mttm.mean()), seconds(mttm.p50()),
				seconds(mttm.p90()));
	}

	private static void row(StringBuilder csv, Object... cells) {
		for (int i = 0; i < cells.length; i++) {
			csv.append((i > 0) ? "," : "").append(cells[i]);
		}
		csv.append(END);
	}

	private static String seconds(Duration duration) {
		return (duration != null) ? BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString()
				: "";
	}

	/**
	 * A text cell: never a formula, quoted when it holds a comma, quote or line break.
	 */
	static String text(String value) {
		if (value == null) {
			return "";
		}
		String cell = (!value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) ? "'" + value : value;
		if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
			return "\"" + cell.replace("\"", "\"\"") + "\"";
		}
		return cell;
	}

}
