package dev.warden.incidents;

import java.util.List;

/**
 * An incident opened, or a resolved one opened again because its group fired again.
 * Published inside the transaction that opened it, so listeners' writes (such as runbook
 * executions) commit or roll back with the incident.
 *
 * @param incident the incident
 * @param reopened true when a resolved incident reopened
 * @param severity its severity
 * @param alerts its alerts as they are now
 */
public record IncidentOpened(IncidentId incident, boolean reopened, Severity severity, List<AlertSnapshot> alerts) {

	public IncidentOpened {
		alerts = List.copyOf(alerts);
	}

}
