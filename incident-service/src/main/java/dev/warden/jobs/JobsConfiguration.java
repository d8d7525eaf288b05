package dev.warden.jobs;

import java.time.Clock;

import dev.warden.metrics.DatabaseGauges;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Wires db-scheduler to Warden's clock and exposes the job backlog as metrics. */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

	/** db-scheduler reads time from Warden's injected clock, so tests can move it. */
	@Bean
	com.github.kagkarlsson.scheduler.Clock schedulerClock(Clock clock) {
		return clock::instant;
	}

	/**
	 * The job backlog as gauges, read from the database on the metrics refresh schedule,
	 * never during a scrape.
	 */
	@Bean
	InitializingBean jobBacklogMetrics(JdbcClient jdbc, DatabaseGauges gauges, Clock clock) {
		return () -> {
			gauges.register("warden.jobs.backlog", "Jobs due but not yet picked up", () -> query(jdbc,
					"select count(*) from scheduled_tasks where not picked and execution_time <= ?", now(clock)));
			gauges.register("warden.jobs.oldest.due.seconds", "How long the oldest due job has waited",
					() -> query(jdbc, """
							select coalesce(extract(epoch from (?::timestamptz - min(execution_time))), 0)
							from scheduled_tasks where not picked and execution_time <= ?""", now(clock), now(clock)));
			gauges.register("warden.jobs.failing", "Jobs whose last attempt failed",
					() -> query(jdbc, "select count(*) from scheduled_tasks where consecutive_failures > 0"));
		};
	}

	private static java.sql.Timestamp now(Clock clock) {
		return java.sql.Timestamp.from(clock.instant());
	}

	private static Number query(JdbcClient jdbc, String sql, Object... parameters) {
		return jdbc.sql(sql).params(parameters).query(Number.class).single();
	}

}
