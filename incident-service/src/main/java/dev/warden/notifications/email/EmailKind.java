package dev.warden.notifications.email;

/** The emails of an incident's thread. */
public enum EmailKind {

	/** The incident opened; its email starts the thread. */
	OPENED,

	/** Nobody acknowledged in time and the escalation policy notified the next level. */
	ESCALATED,

	/** The incident resolved; its email sums up the timeline. */
	RESOLVED

}
