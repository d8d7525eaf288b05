package dev.warden.incidents;

/**
 * Acts on incidents' changes after they commit: routing and notifications, runbook
 * starts. A change with news (see {@link TimelineEventType#news()}) is written in the
 * same transaction as one durable follow-up job; the job hands the change to every
 * follower, each in its own transaction, exactly once and in the order the incident's
 * changes committed, across instances and crashes. A follower that fails is retried (with
 * backoff) without holding up the others, and the change waits for it: its later changes
 * wait too, so a follower never sees an acknowledgement before the opening.
 * <p>
 * A follower runs inside the transaction that records that it followed the change, so its
 * writes (owed messages, jobs, runbook runs) commit with that record, or not at all. It
 * may call {@link IncidentService}: nothing in {@code incidents} is on the stack.
 */
public interface IncidentFollower {

	/**
	 * A stable name, kept with how far the follower got; followers run in the order of
	 * their Spring {@link org.springframework.core.annotation.Order}.
	 */
	String followerName();

	/** Acts on the change, in the caller's transaction. */
	void follow(IncidentChange change);

}
