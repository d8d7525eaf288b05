/**
 * The web console's HTML pages (Thymeleaf + htmx) and what they share: incidents,
 * runbooks, on-call, silences, heartbeats, instances, analytics, postmortems (their form
 * and revisions; reports renders their exports), the sign-in form and the admin pages for
 * users, API tokens and the audit log; the model every page knows (who is signed in, the
 * viewer's time zone, configuration drift), error pages in the console's layout, and the
 * SVG charts. Pages only render and call other modules' APIs: who may see or do what,
 * sign-in, sessions and users are {@code access}'s.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Console", allowedDependencies = { "access", "cluster",
		"escalation", "heartbeats", "incidents", "notifications", "reports", "routing", "runbooks", "web", "webhooks" })
package dev.warden.console;
