/**
 * Durable-job plumbing shared by the other modules: db-scheduler on Warden's own
 * PostgreSQL (jobs are rows written in the same transaction as the change that causes
 * them, claimed with {@code FOR UPDATE SKIP LOCKED}), driven by Warden's clock, and its
 * backlog metrics. Modules add jobs by declaring db-scheduler task beans;
 * {@link dev.warden.jobs.EndingJobs} makes the kind that notifications and escalation use
 * (one job per message or incident that goes only when its owner says so). Its table
 * ({@code scheduled_tasks}) is db-scheduler's; modules that ask about their own jobs
 * (whether one exists, when it runs next, whether this instance still holds it) read the
 * view {@code job_schedule} it publishes (migration V31), never the table; a migration
 * that changes a column the view shows drops and recreates it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Jobs", allowedDependencies = { "metrics" })
package dev.warden.jobs;
