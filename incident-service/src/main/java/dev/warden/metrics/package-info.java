/**
 * Metrics whose values live in PostgreSQL: modules register them with
 * {@link dev.warden.metrics.DatabaseGauges}, which reads them on a schedule on each
 * instance, so that a Prometheus scrape only reads values already in memory and never
 * takes a database connection.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Metrics", allowedDependencies = {})
package dev.warden.metrics;
