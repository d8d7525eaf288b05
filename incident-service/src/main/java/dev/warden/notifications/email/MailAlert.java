package dev.warden.notifications.email;

/**
 * One alert of an incident, as an email shows it.
 *
 * @param name the alert's name, such as {@code GpuMemoryHigh}
 * @param status the alert's status, such as {@code firing} or {@code resolved}
 * @param summary what the alert says, or null
 * @param generatorUrl the Prometheus link of the alert's expression (the alert rule, for
 * an alert from Grafana), or null
 * @param grafana what Grafana's webhook added to the alert; null for an alert from
 * elsewhere
 */
public record MailAlert(String name, String status, String summary, String generatorUrl, Grafana grafana) {

	/** An alert from a source that adds nothing to Alertmanager's fields. */
	public MailAlert(String name, String status, String summary, String generatorUrl) {
		this(name, status, summary, generatorUrl, null);
	}

	/**
	 * What Grafana's webhook added to an alert. Links that are no {@code http(s)} URLs
	 * are left out of the email.
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
