package dev.warden.escalation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The running escalations' table ({@code escalation_state}, one row per incident that has
 * had an escalation). Every method runs in the caller's transaction.
 */
@Component
class EscalationStates {

	private final JdbcClient jdbc;

	EscalationStates(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<EscalationState> find(long incidentId) {
		return this.jdbc.sql("select * from escalation_state where incident_id = ?")
			.param(incidentId)
			.query(EscalationStates::state)
			.optional();
	}

	/** The incident's escalation, its row locked until the transaction ends. */
	Optional<EscalationState> lock(long incidentId) {
		return this.jdbc.sql("select * from escalation_state where incident_id = ? for update")
			.param(incidentId)
			.query(EscalationStates::state)
			.optional();
	}

	void save(EscalationState state, Instant at) {
		this.jdbc
			.sql("""
					insert into escalation_state (incident_id, policy, next_level, cycle, next_at, stopped_reason, updated_at)
					values (?, ?, ?, ?, ?, ?, ?)
					on conflict (incident_id) do update set policy = excluded.policy, next_level = excluded.next_level,
					    cycle = excluded.cycle, next_at = excluded.next_at, stopped_reason = excluded.stopped_reason,
					    updated_at = excluded.updated_at""")
			.params(state.incidentId(), state.policy(), state.nextLevel(), state.cycle(),
					(state.nextAt() != null) ? Timestamp.from(state.nextAt()) : null, state.stoppedReason(),
					Timestamp.from(at))
			.update();
	}

	/** Running escalations, last changed before the instant, whose timer is missing. */
	List<EscalationState> withoutTimer(Instant before) {
		return this.jdbc.sql("""
				select * from escalation_state e
				where e.stopped_reason is null and e.next_at is not null and e.updated_at < ?
				and not exists (select 1 from job_schedule t
				                where t.task_name = 'escalation-timer' and t.task_instance = e.incident_id::text)
				limit 500""").param(Timestamp.from(before)).query(EscalationStates::state).list();
	}

	private static EscalationState state(ResultSet rs, int row) throws SQLException {
		Timestamp nextAt = rs.getTimestamp("next_at");
		return new EscalationState(rs.getLong("incident_id"), rs.getString("policy"), rs.getInt("next_level"),
				rs.getInt("cycle"), (nextAt != null) ? nextAt.toInstant() : null, rs.getString("stopped_reason"));
	}

}
