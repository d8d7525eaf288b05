package dev.warden.runbooks;

import java.sql.Timestamp;
import java.time.Clock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The global switch that pauses every automatic run, shared by all instances through the
 * database. Public only for its {@link State}, which
 * {@link RunbookService#automaticRuns()} answers.
 */
@Component
public class RunbookSwitch {

	private final JdbcClient jdbc;

	private final Clock clock;

	RunbookSwitch(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	boolean isPaused() {
		return this.jdbc.sql("select paused from runbook_switch where id = 1").query(Boolean.class).single();
	}

	void set(boolean paused, String by, String reason) {
		this.jdbc.sql("update runbook_switch set paused = ?, changed_by = ?, changed_at = ?, reason = ? where id = 1")
			.params(paused, by, Timestamp.from(this.clock.instant()), reason)
			.update();
	}

	State state() {
		return this.jdbc.sql("select paused, changed_by, changed_at, reason from runbook_switch where id = 1")
			.query((row, n) -> new State(row.getBoolean(1), row.getString(2), row.getTimestamp(3).toInstant(),
					row.getString(4)))
			.single();
	}

	/**
	 * The switch's position and who set it.
	 *
	 * @param paused whether automatic runs are paused
	 * @param changedBy who set it last
	 * @param changedAt when
	 * @param reason why, or null
	 */
	public record State(boolean paused, String changedBy, java.time.Instant changedAt, String reason) {
	}

}
