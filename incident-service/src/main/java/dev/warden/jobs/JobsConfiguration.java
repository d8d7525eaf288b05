package dev.warden.jobs;

import java.time.Clock;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

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

	@Bean
	InitializingBean jobBacklogMetrics(JdbcClient jdbc, MeterRegistry meters, Clock clock) {
		return () -> {
			Gauge
				.builder("warden.jobs.backlog", () -> query(jdbc,
						"select count(*) from scheduled_tasks where not picked and execution_time <= ?", now(clock)))
				.description("Jobs due but not yet picked up")
				.register(meters);
			Gauge.builder("warden.jobs.oldest.due.seconds", () -> query(jdbc, """
					select coalesce(extract(epoch from (?::timestamptz - min(execution_time))), 0)
					from scheduled_tasks where not picked and execution_time <= ?""", now(clock), now(clock)))
				.description("How long the oldest due job has waited")
				.register(meters);
			Gauge
				.builder("warden.jobs.failing",
						() -> query(jdbc, "select count(*) from scheduled_tasks where consecutive_failures > 0"))
				.description("Jobs whose last attempt failed")
				.register(meters);
		};
	}

	private static java.sql.Timestamp now(Clock clock) {
		return java.sql.Timestamp.from(clock.instant());
	}

	private static double query(JdbcClient jdbc, String sql, Object... parameters) {
		try {
			Number value = jdbc.sql(sql).params(parameters).query(Number.class).single();
			return (value != null) ? value.doubleValue() : 0;
		}
		catch (RuntimeException ex) {
			// A scrape must not fail because the database is away; NaN says "unknown".
			return Double.NaN;
		}
	}

}
