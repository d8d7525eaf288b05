/**
 * Remediation runbooks: the YAML catalog, executions and their steps as durable jobs, the
 * actions (Docker restart, scale and rollback, HTTP checks, waits, verification that the
 * alert resolved), and the safety rules around them (allowlist, cooldowns, run limits,
 * approvals, dry-run, timeouts).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Runbooks")
package dev.warden.runbooks;
