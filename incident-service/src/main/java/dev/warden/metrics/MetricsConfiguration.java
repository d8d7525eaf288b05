package dev.warden.metrics;

import java.time.Duration;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Reads the database-backed gauges on Spring's scheduler, on every instance: a metric
 * describes the instance that exposes it, so this is no durable job claimed by one
 * instance.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class MetricsConfiguration implements SchedulingConfigurer {

	private final DatabaseGauges gauges;

	private final MetricsSettings settings;

	MetricsConfiguration(DatabaseGauges gauges, MetricsSettings settings) {
		this.gauges = gauges;
		this.settings = settings;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		registrar.addFixedDelayTask(
				new FixedDelayTask(this.gauges::refresh, this.settings.refreshInterval(), Duration.ZERO));
	}

}
