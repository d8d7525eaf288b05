/**
 * Durable-job plumbing shared by the other modules: db-scheduler on Warden's own
 * PostgreSQL (jobs are rows written in the same transaction as the change that causes
 * them, claimed with {@code FOR UPDATE SKIP LOCKED}), driven by Warden's clock, and its
 * backlog metrics. Modules add jobs by declaring db-scheduler task beans.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs", allowedDependencies = { "metrics" })
package dev.warden.jobs;
