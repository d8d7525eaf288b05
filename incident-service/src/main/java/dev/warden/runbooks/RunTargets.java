package dev.warden.runbooks;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What runs acted on, whichever runbook and incident they were for: the record that
 * per-target budgets (one run at a time, cooldown, runs per window) are counted from.
 * Counted under {@link #lock}, in the transaction that records the new run, so that runs
 * prepared at once on several instances cannot together exceed a budget.
 */
@Component
class RunTargets {

	private final JdbcClient jdbc;

	RunTargets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Holds each target's lock until the transaction ends, in a fixed order so that two
	 * runs sharing targets never wait for each other in a circle.
	 */
	void lock(SortedSet<String> targets) {
		for (String target : targets) {
			this.jdbc.sql("select pg_advisory_xact_lock(hashtext(?))").param("target:" + target).query().rowSet();
		}
	}

	/** A run that has not finished and acts on the target. */
	Optional<Long> unfinished(String target) {
		return this.jdbc.sql("""
				select e.id from runbook_target t join runbook_execution e on e.id = t.execution_id
				where t.target_key = ? and e.status in ('QUEUED', 'AWAITING_APPROVAL', 'RUNNING')
				order by e.id limit 1""").param(target).query(Long.class).optional();
	}

	/** Runs (not cancelled ones) of any runbook that acted on the target since then. */
	long countSince(String target, Instant since) {
		return this.jdbc.sql("""
				select count(*) from runbook_target t join runbook_execution e on e.id = t.execution_id
				where t.target_key = ? and t.created_at >= ? and e.status <> 'CANCELLED'""")
			.params(target, Timestamp.from(since))
			.query(Long.class)
			.single();
	}

	/** The latest run (not a cancelled one) of any runbook that acted on the target. */
	Optional<LastRun> last(String target) {
		return this.jdbc.sql("""
				select t.created_at, e.runbook_id, e.id from runbook_target t
				join runbook_execution e on e.id = t.execution_id
				where t.target_key = ? and e.status <> 'CANCELLED'
				order by t.created_at desc limit 1""")
			.param(target)
			.query((row, n) -> new LastRun(target, row.getTimestamp(1).toInstant(), row.getString(2), row.getLong(3)))
			.optional();
	}

	void record(long executionId, Collection<String> targets, Instant createdAt) {
		for (String target : targets) {
			this.jdbc.sql("insert into runbook_target (execution_id, target_key, created_at) values (?, ?, ?)")
				.params(executionId, target, Timestamp.from(createdAt))
				.update();
		}
	}

	/**
	 * The latest run on a target.
	 *
	 * @param target the target
	 * @param at when it was created
	 * @param runbook its runbook
	 * @param execution its id
	 */
	record LastRun(String target, Instant at, String runbook, long execution) {
	}

}
