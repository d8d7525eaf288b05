package dev.warden.notifications.slack;

import java.util.Objects;

/**
 * One alert on an {@link IncidentCard}.
 *
 * @param name the alert's name
 * @param status {@code firing} or {@code resolved}
 * @param summary one line on what is wrong; may be null
 * @param generatorUrl the alert's source, usually a Prometheus graph; may be null
 */
public record CardAlert(String name, String status, String summary, String generatorUrl) {

	public CardAlert {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(status, "status");
	}

}
