package dev.warden.incidents;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One notification from Alertmanager: the alerts of one group.
 *
 * @param groupKey identity of the Alertmanager group; its alerts share an incident
 * @param firing the group's status: true when any of its alerts fires
 * @param receiver the Alertmanager receiver that sent it
 * @param groupLabels labels the group is formed by
 * @param commonLabels labels all alerts share
 * @param commonAnnotations annotations all alerts share
 * @param externalUrl link back to the sending Alertmanager; may be null
 * @param truncatedAlerts how many alerts Alertmanager left out ({@code max_alerts})
 * @param alerts the alerts, at least one
 */
public record AlertBatch(String groupKey, boolean firing, String receiver, Map<String, String> groupLabels,
		Map<String, String> commonLabels, Map<String, String> commonAnnotations, String externalUrl,
		int truncatedAlerts, List<ReceivedAlert> alerts) {

	public AlertBatch {
		Objects.requireNonNull(groupKey, "groupKey");
		groupLabels = Map.copyOf(groupLabels);
		commonLabels = Map.copyOf(commonLabels);
		commonAnnotations = Map.copyOf(commonAnnotations);
		alerts = List.copyOf(alerts);
		if (alerts.isEmpty()) {
			throw new IllegalArgumentException("An alert batch holds at least one alert");
		}
	}

	/** The same notification with only these of its alerts (at least one). */
	AlertBatch withAlerts(List<ReceivedAlert> some) {
		return new AlertBatch(this.groupKey, this.firing, this.receiver, this.groupLabels, this.commonLabels,
				this.commonAnnotations, this.externalUrl, this.truncatedAlerts, some);
	}

}
