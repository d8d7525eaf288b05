/**
 * The web console and its security: console users and their roles, the first admin, form
 * sign-in with throttling per address and per (username, address), and the admin pages
 * for users, API tokens and the audit log. Every request no other security chain claims
 * belongs to the console and needs a signed-in user.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Console", allowedDependencies = { "access", "cluster",
		"escalation", "heartbeats", "incidents", "notifications", "reports", "routing", "runbooks", "storage", "web" })
package dev.warden.console;
