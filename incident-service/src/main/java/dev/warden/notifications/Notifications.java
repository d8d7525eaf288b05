package dev.warden.notifications;

import java.util.List;

import dev.warden.incidents.IncidentId;

import org.springframework.stereotype.Component;

/** The notifications of incidents, for other modules (reports, the console). */
@Component
public class Notifications {

	private final NotificationStore store;

	private final Deliveries deliveries;

	Notifications(NotificationStore store, Deliveries deliveries) {
		this.store = store;
		this.deliveries = deliveries;
	}

	/** The incident's notifications, oldest first, with their delivery state. */
	public List<Notification> of(IncidentId incident) {
		return this.store.notifications(incident.value());
	}

	/**
	 * Owes a failed notification of the incident again, as the person named: it is
	 * retried from now as if new, the timeline and the audit log say who asked.
	 * @return the notification, pending again
	 * @throws NotificationNotFound when the incident has no such notification
	 * @throws NotificationNotFailed when it has not failed
	 */
	public Notification resend(IncidentId incident, NotificationId notificationId, String by) {
		Notification notification = this.store.notification(notificationId.value())
			.filter((found) -> found.incidentId() == incident.value())
			.orElseThrow(() -> new NotificationNotFound(notificationId));
		return this.deliveries.resend(notification.id(), by);
	}

}
