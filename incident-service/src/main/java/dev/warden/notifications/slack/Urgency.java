package dev.warden.notifications.slack;

/**
 * How urgent a post to a channel is. A new incident's first message is a page: it may use
 * the channel's whole burst, while every other post leaves most of the burst to pages, so
 * that a page is not queued behind other incidents' replies.
 */
public enum Urgency {

	/** A new incident's first message in the channel. */
	FIRST_MESSAGE,

	/** Anything else posted to the channel, such as a reply in an incident's thread. */
	FOLLOW_UP

}
