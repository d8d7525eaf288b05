/**
 * Escalation policies and on-call schedules, and running the policies. The people Warden
 * can page ({@link dev.warden.escalation.User}), on-call schedules read from a YAML file
 * (layered rotations with handoffs in the schedule's time zone), overrides stored in
 * PostgreSQL, escalation policies read from the same file
 * ({@link dev.warden.escalation.EscalationPolicy}: levels of targets with delays), and
 * {@link dev.warden.escalation.OnCall}, which answers who is on call at any instant and
 * finds policies by name. {@link dev.warden.escalation.EscalationRuns} runs an incident's
 * policy once {@code notifications} starts it: level after level on a durable timer per
 * incident (table {@code escalation_state}, jobs {@code escalation-timer} and the
 * {@code escalations-sweep} that sets a lost timer again), each level recorded on the
 * incident as news that {@code notifications} turns into pages, until someone
 * acknowledges or resolves it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Escalation",
		allowedDependencies = { "access", "cluster", "incidents", "jobs", "yaml" })
package dev.warden.escalation;
