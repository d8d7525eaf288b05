package dev.warden.escalation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The on-call overrides in PostgreSQL, shared by every instance. */
@Component
class Overrides {

	private static final String COLUMNS = "id, schedule, user_name, starts_at, ends_at, created_by, created_at, reason";

	private final JdbcClient jdbc;

	Overrides(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	ScheduleOverride add(String schedule, String user, Instant startsAt, Instant endsAt, String createdBy,
			Instant createdAt, String reason) {
		return this.jdbc.sql("""
				insert into oncall_override (schedule, user_name, starts_at, ends_at, created_by, created_at, reason)
				values (?, ?, ?, ?, ?, ?, ?)
				returning\s""" + COLUMNS)
			.params(schedule, user, Timestamp.from(startsAt), Timestamp.from(endsAt), createdBy,
					Timestamp.from(createdAt), reason)
			.query(Overrides::override)
			.single();
	}

	/** The schedule's overrides that overlap {@code [from, to)}, oldest created first. */
	List<ScheduleOverride> overlapping(String schedule, Instant from, Instant to) {
		return this.jdbc.sql("select " + COLUMNS + """
				 from oncall_override
				where schedule = ? and ends_at > ? and starts_at < ?
				order by created_at, id""")
			.params(schedule, Timestamp.from(from), Timestamp.from(to))
			.query(Overrides::override)
			.list();
	}

	/** The schedule's overrides that have not ended at {@code now}, by start. */
	List<ScheduleOverride> notEnded(String schedule, Instant now) {
		return this.jdbc.sql("select " + COLUMNS + """
				 from oncall_override
				where schedule = ? and ends_at > ?
				order by starts_at, id""").params(schedule, Timestamp.from(now)).query(Overrides::override).list();
	}

	/** Removes an override; empty when the schedule has none with that id. */
	Optional<ScheduleOverride> remove(String schedule, long id) {
		return this.jdbc.sql("delete from oncall_override where schedule = ? and id = ? returning " + COLUMNS)
			.params(schedule, id)
			.query(Overrides::override)
			.optional();
	}

	private static ScheduleOverride override(ResultSet row, int number) throws SQLException {
		return new ScheduleOverride(row.getLong("id"), row.getString("schedule"), row.getString("user_name"),
				row.getTimestamp("starts_at").toInstant(), row.getTimestamp("ends_at").toInstant(),
				row.getString("created_by"), row.getTimestamp("created_at").toInstant(), row.getString("reason"));
	}

}
