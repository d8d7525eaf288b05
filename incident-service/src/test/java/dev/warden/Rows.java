package dev.warden;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Row counts straight from PostgreSQL, to prove what was (not) written. */
public record Rows(long incidents, long alerts, long timelineEvents) {

	/**
	 * Incidents, alerts and timeline events; the events that background jobs append on
	 * their own (escalations and notification deliveries of earlier incidents) are not
	 * counted, so a test can show that a refused request wrote nothing.
	 */
	public static Rows count(JdbcClient jdbc) {
		return new Rows(count(jdbc, "incident"), count(jdbc, "alert"), jdbc.sql("""
				select count(*) from timeline_event
				where type <> 'incident.escalated' and type not like 'notification.%'
				and type not like 'escalation.%'""").query(Long.class).single());
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
