/**
 * Notifications: the first follower of incidents' changes
 * ({@link dev.warden.incidents.IncidentFollower}, run after each change commits, once).
 * When an incident opens, {@code NotificationPlanner} decides who hears about it
 * (routing, silences, mute windows, on-call), applies the outcome to the incident with
 * one call, stores the plan, owes the first messages as durable delivery jobs and starts
 * the incident's escalation ({@link dev.warden.escalation.EscalationRuns}, which runs it
 * on a durable timer and records each level on the incident: news, which the next
 * follow-up turns into pages); later news becomes thread replies, Slack card updates and
 * the escalation and closing emails, and acknowledgement or resolution stops the
 * escalation. {@code Deliveries} sends to Slack and email with retries, pacing and
 * idempotency keys. Also takes Slack's Acknowledge, Resolve and Approve buttons as
 * actions of the console user the Slack member maps to, with that user's role.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications",
		allowedDependencies = { "access", "cluster", "escalation", "incidents", "jobs", "routing", "runbooks" })
package dev.warden.notifications;
