/**
 * Escalation policies and on-call schedules; running them (the timers) is
 * {@code notifications}' part. So far: the people Warden can page
 * ({@link dev.warden.escalation.User}), on-call schedules read from a YAML file (layered
 * rotations with handoffs in the schedule's time zone), overrides stored in PostgreSQL,
 * escalation policies read from the same file
 * ({@link dev.warden.escalation.EscalationPolicy}: levels of targets with delays), and
 * {@link dev.warden.escalation.OnCall}, which answers who is on call at any instant and
 * finds policies by name.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Escalation",
		allowedDependencies = { "access", "cluster", "yaml" })
package dev.warden.escalation;
