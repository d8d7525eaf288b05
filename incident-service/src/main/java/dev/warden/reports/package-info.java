/**
 * Reports on how incidents went: MTTA and MTTR with percentiles, incidents per day, the
 * noisiest alerts and what runbooks achieved, computed in PostgreSQL over the incidents,
 * alerts and runbook executions that the incidents and runbooks modules write. This
 * module only reads those tables; other modules call
 * {@link dev.warden.reports.Analytics}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reports",
		allowedDependencies = { "access", "incidents", "notifications", "runbooks" })
package dev.warden.reports;
