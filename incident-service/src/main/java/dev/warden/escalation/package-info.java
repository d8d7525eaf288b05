/**
 * Escalation policies, on-call schedules, timers. So far: the people Warden can page
 * ({@link dev.warden.escalation.User}), on-call schedules read from a YAML file (layered
 * rotations with handoffs in the schedule's time zone), overrides stored in PostgreSQL,
 * and {@link dev.warden.escalation.OnCall}, which answers who is on call at any instant.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Escalation")
package dev.warden.escalation;
