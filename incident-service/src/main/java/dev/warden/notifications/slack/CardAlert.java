package dev.warden.notifications.slack;

import java.util.Objects;

/**
 * One alert on an {@link IncidentCard}.
 *
 * @param name the alert's name
 * @param status {@code firing} or {@code resolved}
 * @param summary one line on what is wrong; may be null
 * @param generatorUrl the alert's source, usually a Prometheus graph (the alert rule, for
 * an alert from Grafana); may be null
 * @param grafana what Grafana's webhook added to the alert; null for an alert from
 * elsewhere
 */
public record CardAlert(String name, String status, String summary, String generatorUrl, Grafana grafana) {

	public CardAlert {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(status, "status");
	}

	/** An alert from a source that adds nothing to Alertmanager's fields. */
	public CardAlert(String name, String status, String summary, String generatorUrl) {
		this(name, status, summary, generatorUrl, null);
	}

	/**
	 * What Grafana's webhook added to an alert. Text is given as it is; links that are no
	 * {@code http(s)} URLs are left out when shown.
	 *
	 * @param values the values of the rule's queries, such as {@code B=92.5, C=1}; may be
	 * null
	 * @param dashboardUrl the rule's dashboard; may be null
	 * @param panelUrl the rule's panel; may be null
	 * @param silenceUrl Grafana's form to silence the alert; may be null
	 * @param imageUrl a screenshot of the panel; may be null
	 */
	public record Grafana(String values, String dashboardUrl, String panelUrl, String silenceUrl, String imageUrl) {

	}

}
