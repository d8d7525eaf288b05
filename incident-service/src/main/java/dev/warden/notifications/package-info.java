/**
 * Notifications: the first follower of incidents' changes
 * ({@link dev.warden.incidents.IncidentFollower}, run after each change commits, once).
 * When an incident opens, {@code NotificationPlanner} decides who hears about it
 * (routing, silences, mute windows, on-call), applies the outcome to the incident with
 * one call, stores the plan, owes the first messages as durable delivery jobs and starts
 * the escalation policy's timer; later news becomes thread replies, Slack card updates
 * and the escalation and closing emails, and acknowledgement or resolution stops the
 * escalation. {@code Deliveries} sends to Slack and email with retries, pacing and
 * idempotency keys. It starts, hurries and stops an incident's escalation, which
 * {@code escalation} runs on durable timers, recording each level on the incident (news,
 * which the next follow-up turns into pages). Also takes Slack's Acknowledge, Resolve and
 * Approve buttons as actions of the console user the Slack member maps to, with that
 * user's role.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications",
		allowedDependencies = { "access", "cluster", "escalation", "incidents", "jobs", "routing", "runbooks" })
package dev.warden.notifications;
