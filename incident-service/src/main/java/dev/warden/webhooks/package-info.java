/**
 * Outgoing webhooks: subscriptions (from the webhook file, or made by admins through the
 * API) to incidents' events (opened, acknowledged, mitigated, resolved, reopened, merged,
 * runbook finished), filtered by label matchers. A follower of incidents' changes
 * ({@link dev.warden.incidents.IncidentFollower}) owes each matching event to each
 * subscription as one delivery with an idempotency key, written with its durable job; the
 * job posts the event signed with HMAC-SHA256 over timestamp and body, retries 5xx, 429,
 * timeouts and connection failures with capped backoff until a horizon, and records every
 * attempt, visible per incident in the API, on the console and on the timeline.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Outgoing webhooks",
		allowedDependencies = { "access", "incidents", "jobs", "matching", "notifications", "yaml" })
package dev.warden.webhooks;
