package dev.warden.incidents;

import java.util.List;
import java.util.Map;

/**
 * What routing decides a new incident by: its group's labels, the labels its alerts
 * shared, and each alert as it is now. A view read in one transaction; the timeline is
 * not part of it.
 *
 * @param incident the incident
 * @param groupLabels the labels Alertmanager grouped the alerts by
 * @param commonLabels the labels all alerts of the last notification shared
 * @param alerts the incident's alerts
 */
public record IncidentLabels(IncidentId incident, Map<String, String> groupLabels, Map<String, String> commonLabels,
		List<AlertSnapshot> alerts) {

	public IncidentLabels {
		groupLabels = Map.copyOf(groupLabels);
		commonLabels = Map.copyOf(commonLabels);
		alerts = List.copyOf(alerts);
	}

}
