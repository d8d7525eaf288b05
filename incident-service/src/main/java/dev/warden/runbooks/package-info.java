/**
 * Remediation runbooks: the YAML catalog, executions and their steps as durable jobs, the
 * actions (Docker restart, scale and rollback, HTTP checks, waits, verification that the
 * alert resolved), and the safety rules around them: a runbook starts by itself only when
 * its match rules hold, label-derived targets must be among the declared values, budgets
 * (cooldowns, run limits) hold per target across runbooks and incidents, scaling never
 * removes capacity unless the step says so, dry-runs only read, approvals can require
 * another person, and runs time out.
 * <p>
 * Automatic runs start in {@link dev.warden.runbooks.RunbookService#follow}, the second
 * follower of incidents' changes ({@link dev.warden.incidents.IncidentFollower}): after
 * an incident opened (or Alertmanager reopened it) and its change committed, once, each
 * run a row and a durable job written in the follower's transaction. Steps report to the
 * incident's timeline; those that are news reach people through the next follow-up.
 * <p>
 * Other modules call {@link dev.warden.runbooks.RunbookService} and get records back,
 * never the entities (which, like their repository, are package-private): a run is an
 * {@link dev.warden.runbooks.ExecutionView} with its steps as
 * {@link dev.warden.runbooks.ExecutionStepView}, read in one transaction of this module
 * and detached from it. For reports' analytics it publishes the view
 * {@code report_runbook_run} (migration V30), whose columns it keeps when its tables
 * change.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Runbooks",
		allowedDependencies = { "access", "cluster", "incidents", "matching", "routing", "yaml" })
package dev.warden.runbooks;
