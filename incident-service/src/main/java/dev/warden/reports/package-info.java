/**
 * Reports on how incidents went, as a domain with its JSON, CSV, Markdown and PDF:
 * analytics (MTTA and MTTR with percentiles, incidents per day, the noisiest alerts and
 * what runbooks achieved, computed in PostgreSQL over the read models that incidents and
 * runbooks publish for it, the {@code report_incident}, {@code report_alert} and
 * {@code report_runbook_run} views, never their tables; other modules call
 * {@link dev.warden.reports.Analytics}), and postmortems (a resolved incident's report
 * prefilled from its data, the sections people write, their revisions;
 * {@link dev.warden.reports.Postmortems}) with their API and downloads. The console
 * renders their pages.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Reports",
		allowedDependencies = { "access", "incidents", "notifications", "runbooks" })
package dev.warden.reports;
