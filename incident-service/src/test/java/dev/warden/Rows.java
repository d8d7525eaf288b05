package dev.warden;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Row counts straight from PostgreSQL, to prove what was (not) written. */
public record Rows(long incidents, long alerts, long timelineEvents) {

	/**
	 * Incidents, alerts and timeline events; the events that background jobs append on
	 * their own (escalations and notification deliveries of earlier incidents) are not
	 * counted, so a test can show that a refused request wrote nothing. Earlier webhooks'
	 * follow-ups (routing, runbook starts), which run after their commit, are waited for
	 * first.
	 */
	public static Rows count(JdbcClient jdbc) {
		awaitFollowUps(jdbc);
		return new Rows(count(jdbc, "incident"), count(jdbc, "alert"), jdbc.sql("""
				select count(*) from timeline_event
				where type <> 'incident.escalated' and type not like 'notification.%'
				and type not like 'escalation.%'""").query(Long.class).single());
	}

	/** Waits (up to 30 s) until no incident change waits for its followers. */
	public static void awaitFollowUps(JdbcClient jdbc) {
		long deadline = System.nanoTime() + 30_000_000_000L;
		while (jdbc.sql("select count(*) from scheduled_tasks where task_name = 'incident-follow-up'")
			.query(Long.class)
			.single() > 0) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Incident follow-ups still pending after 30 s");
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError(ex);
			}
		}
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
