package dev.warden.reports;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A fixed data set for the analytics written straight into PostgreSQL: incidents with
 * known milestones, their alerts and runbook runs, named by short references ("A1") so
 * that tests can work out the expected figures by hand.
 */
public final class AnalyticsRows {

	private final JdbcClient jdbc;

	private final String prefix;

	private final Map<String, Long> incidents = new HashMap<>();

	private final Map<String, Instant> detected = new HashMap<>();

	/**
	 * @param prefix starts the group keys and titles, so that test classes keep apart
	 */
	public AnalyticsRows(JdbcClient jdbc, String prefix) {
		this.jdbc = jdbc;
		this.prefix = prefix;
	}

	/**
	 * An incident detected at {@code detected}, acknowledged and resolved that many
	 * seconds later (null: not yet).
	 */
	public AnalyticsRows incident(String ref, String service, String team, String severity, String detected,
			Long acknowledgedAfter, Long resolvedAfter) {
		Instant detectedAt = Instant.parse(detected);
		Instant acknowledgedAt = (acknowledgedAfter != null) ? detectedAt.plusSeconds(acknowledgedAfter) : null;
		Instant resolvedAt = (resolvedAfter != null) ? detectedAt.plusSeconds(resolvedAfter) : null;
		String status = (resolvedAt != null) ? "RESOLVED" : (acknowledgedAt != null) ? "ACKNOWLEDGED" : "TRIGGERED";
		String groupKey = this.prefix + "/" + ref;
		long id = this.jdbc.sql("""
				insert into incident (group_key, group_hash, group_status, status, severity, title, service, team,
				    detected_at, acknowledged_at, resolved_at, last_alert_at, updated_at)
				values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				returning id""")
			.params(groupKey, groupKey, (resolvedAt != null) ? "resolved" : "firing", status, severity,
					this.prefix + " incident " + ref, service, team, utc(detectedAt), utc(acknowledgedAt),
					utc(resolvedAt), utc(detectedAt), utc(detectedAt))
			.query(Long.class)
			.single();
		this.incidents.put(ref, id);
		this.detected.put(ref, detectedAt);
		return this;
	}

	/**
	 * Gives the incident an impact start that many seconds before its detection and a
	 * mitigation that many seconds after it (null: none).
	 */
	public AnalyticsRows impactAndMitigation(String ref, Long impactBefore, Long mitigatedAfter) {
		Instant detectedAt = this.detected.get(ref);
		this.jdbc.sql("update incident set impact_started_at = ?, mitigated_at = ? where id = ?")
			.params(utc((impactBefore != null) ? detectedAt.minusSeconds(impactBefore) : null),
					utc((mitigatedAfter != null) ? detectedAt.plusSeconds(mitigatedAfter) : null),
					this.incidents.get(ref))
			.update();
		return this;
	}

	/**
	 * {@code count} alerts named {@code name} of the incident, first seen a second apart.
	 */
	public AnalyticsRows alerts(String name, String incident, int count, String firstSeen) {
		Instant at = Instant.parse(firstSeen);
		for (int i = 0; i < count; i++) {
			this.jdbc.sql("""
					insert into alert (incident_id, fingerprint, alert_name, status, severity, labels, annotations,
					    starts_at, first_seen_at, last_seen_at)
					values (?, ?, ?, 'FIRING', 'warning', cast(? as jsonb), '{}', ?, ?, ?)""")
				.params(this.incidents.get(incident), name + "/" + incident + "/" + i, name,
						"{\"alertname\": \"" + name.replace("\"", "\\\"") + "\"}", utc(at), utc(at.plusSeconds(i)),
						utc(at.plusSeconds(i)))
				.update();
		}
		return this;
	}

	/**
	 * A run of the runbook for the incident, created that many seconds after detection;
	 * finished a minute later unless queued or running.
	 */
	public AnalyticsRows run(String runbook, String title, String incident, String status, long startedAfter) {
		Instant created = this.detected.get(incident).plusSeconds(startedAfter);
		boolean finished = !status.equals("QUEUED") && !status.equals("RUNNING");
		this.jdbc.sql("""
				insert into runbook_execution (runbook_id, runbook_title, incident_id, status, trigger, requested_by,
				    on_failure, run_timeout_seconds, created_at, started_at, finished_at)
				values (?, ?, ?, ?, 'AUTOMATIC', 'warden', 'LEAVE', 300, ?, ?, ?)""")
			.params(runbook, title, this.incidents.get(incident), status, utc(created),
					status.equals("QUEUED") ? null : utc(created), finished ? utc(created.plusSeconds(60)) : null)
			.update();
		return this;
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
