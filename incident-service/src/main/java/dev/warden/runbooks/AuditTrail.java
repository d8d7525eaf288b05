package dev.warden.runbooks;

import java.time.Clock;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The append-only record of everything done to or by runbooks: who started, approved or
 * cancelled a run, and every action on infrastructure. Written in the caller's
 * transaction.
 */
@Component
class AuditTrail {

	private final JdbcClient jdbc;

	private final JsonMapper json;

	private final Clock clock;

	AuditTrail(JdbcClient jdbc, JsonMapper json, Clock clock) {
		this.jdbc = jdbc;
		this.json = json;
		this.clock = clock;
	}

	void record(String actor, String action, RunbookExecution execution, Map<String, ?> details) {
		this.jdbc.sql("""
				insert into runbook_audit (at, actor, action, execution_id, runbook_id, incident_id, details)
				values (?, ?, ?, ?, ?, ?, cast(? as jsonb))""")
			.params(java.sql.Timestamp.from(this.clock.instant()), actor, action,
					(execution != null) ? execution.id() : null, (execution != null) ? execution.runbookId() : null,
					(execution != null) ? execution.incidentId().value() : null, this.json.writeValueAsString(details))
			.update();
	}

}
