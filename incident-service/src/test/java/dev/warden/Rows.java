package dev.warden;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Row counts straight from PostgreSQL, to prove what was (not) written. */
public record Rows(long incidents, long alerts, long timelineEvents) {

	public static Rows count(JdbcClient jdbc) {
		return new Rows(count(jdbc, "incident"), count(jdbc, "alert"), count(jdbc, "timeline_event"));
	}

	public static long incidentsOfGroup(JdbcClient jdbc, String groupKey) {
		return jdbc.sql("select count(*) from incident where group_key = ?").param(groupKey).query(Long.class).single();
	}

	public static long alertsOfGroup(JdbcClient jdbc, String groupKey) {
		return jdbc.sql("select count(*) from alert a join incident i on i.id = a.incident_id where i.group_key = ?")
			.param(groupKey)
			.query(Long.class)
			.single();
	}

	private static long count(JdbcClient jdbc, String table) {
		return jdbc.sql("select count(*) from " + table).query(Long.class).single();
	}

}
