package dev.warden.runbooks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.warden.incidents.IncidentId;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How runbooks have fared, read straight from the executions with SQL: per runbook its
 * runs by outcome and its latest run (for a whole catalog in one grouped query), and one
 * runbook's latest runs.
 */
@Component
public class RunbookStats {

	/** The statuses that count as a failed run, by the rule the failure policy uses. */
	private static final List<String> FAILURES = Arrays.stream(ExecutionStatus.values())
		.filter(ExecutionStatus::isFailure)
		.map(ExecutionStatus::name)
		.toList();

	private static final String RUN_COLUMNS = """
			id, incident_id, status, trigger, requested_by, created_at, started_at, finished_at, outcome""";

	private final JdbcClient jdbc;

	RunbookStats(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The summary of each of these runbooks that has run, by id; a runbook that never ran
	 * has none. One query, whatever the number of runbooks.
	 */
	public Map<String, Summary> summaries(Collection<String> runbookIds) {
		if (runbookIds.isEmpty()) {
			return Map.of();
		}
		return this.jdbc.sql("""
				select s.runbook_id, s.runs, s.succeeded, s.failed, s.cancelled, l.*
				from (select runbook_id, count(*) as runs,
				             count(*) filter (where status = 'SUCCEEDED') as succeeded,
				             count(*) filter (where status in (:failures)) as failed,
				             count(*) filter (where status = 'CANCELLED') as cancelled
				      from runbook_execution where runbook_id in (:ids) group by runbook_id) s
				cross join lateral (select %s from runbook_execution e where e.runbook_id = s.runbook_id
				                    order by e.created_at desc, e.id desc limit 1) l""".formatted(RUN_COLUMNS))
			.param("failures", FAILURES)
			.param("ids", List.copyOf(runbookIds))
			.query((row, n) -> Map.entry(row.getString("runbook_id"),
					new Summary(row.getLong("runs"), row.getLong("succeeded"), row.getLong("failed"),
							row.getLong("cancelled"), run(row))))
			.list()
			.stream()
			.collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** The runbook's latest runs, newest first. */
	public List<Run> recent(String runbookId, int limit) {
		return this.jdbc.sql("""
				select %s from runbook_execution where runbook_id = :id
				order by created_at desc, id desc limit :limit""".formatted(RUN_COLUMNS))
			.param("id", runbookId)
			.param("limit", limit)
			.query((row, n) -> run(row))
			.list();
	}

	private static Run run(ResultSet row) throws SQLException {
		return new Run(row.getLong("id"), new IncidentId(row.getLong("incident_id")),
				ExecutionStatus.valueOf(row.getString("status")), ExecutionTrigger.valueOf(row.getString("trigger")),
				row.getString("requested_by"), instant(row.getTimestamp("created_at")),
				instant(row.getTimestamp("started_at")), instant(row.getTimestamp("finished_at")),
				row.getString("outcome"));
	}

	private static Instant instant(Timestamp timestamp) {
		return (timestamp != null) ? timestamp.toInstant() : null;
	}

	/**
	 * How a runbook's runs ended.
	 *
	 * @param runs every run, whatever its status
	 * @param succeeded runs that succeeded
	 * @param failed runs that failed, timed out or were interrupted
	 * @param cancelled runs a person cancelled or whose approval expired
	 * @param last the newest run
	 */
	public record Summary(long runs, long succeeded, long failed, long cancelled, Run last) {

		/**
		 * Runs that succeeded or failed; cancelled and unfinished runs say nothing about
		 * whether the runbook works.
		 */
		public long decided() {
			return this.succeeded + this.failed;
		}

		/** Runs still queued, waiting for approval or running. */
		public long unfinished() {
			return this.runs - this.succeeded - this.failed - this.cancelled;
		}

		/** The share of decided runs that succeeded in whole percent; null before any. */
		public Integer successPercent() {
			return (decided() > 0) ? (int) Math.round(100.0 * this.succeeded / decided()) : null;
		}

	}

	/**
	 * One run.
	 *
	 * @param id the execution's id
	 * @param incident the incident it ran for
	 * @param status where it is
	 * @param trigger automatic or manual
	 * @param requestedBy who asked for it ({@code warden} for automatic runs)
	 * @param requestedAt when it was asked for
	 * @param startedAt when its first step started, or null
	 * @param finishedAt when it ended, or null
	 * @param outcome what happened, for people, or null
	 */
	public record Run(long id, IncidentId incident, ExecutionStatus status, ExecutionTrigger trigger,
			String requestedBy, Instant requestedAt, Instant startedAt, Instant finishedAt, String outcome) {

		/** From start to end; null until it has both. */
		public Duration duration() {
			return (this.startedAt != null && this.finishedAt != null)
					? Duration.between(this.startedAt, this.finishedAt) : null;
		}

	}

}
