package dev.warden.notifications;

import java.util.List;

import dev.warden.incidents.IncidentId;

import org.springframework.stereotype.Component;

/** The notifications of incidents, for other modules (reports, the console). */
@Component
public class Notifications {

	private final NotificationStore store;

	Notifications(NotificationStore store) {
		this.store = store;
	}

	/** The incident's notifications, oldest first, with their delivery state. */
	public List<Notification> of(IncidentId incident) {
		return this.store.notifications(incident.value());
	}

}
