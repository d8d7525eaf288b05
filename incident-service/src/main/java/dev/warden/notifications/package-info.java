/**
 * Notifications: decides at an incident's opening who hears about it (routing, silences,
 * mute windows, on-call), owes each target its messages as durable jobs written in the
 * same transaction as the change, delivers them to Slack and email with retries and
 * idempotency keys, runs escalation policies on durable timers, and takes Slack's
 * Acknowledge, Resolve and Approve buttons as actions of the console user the Slack
 * member maps to, with that user's role.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Notifications")
package dev.warden.notifications;
