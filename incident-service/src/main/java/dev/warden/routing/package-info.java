/**
 * Alert routing: the routing file's tree of label matchers that decides who hears about
 * an alert (team, service, severity override, Slack channels, email, users, schedules,
 * escalation policy, mute windows), and silences that keep matching alerts quiet for a
 * while.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Routing",
		allowedDependencies = { "access", "cluster", "jobs", "matching", "yaml" })
package dev.warden.routing;
