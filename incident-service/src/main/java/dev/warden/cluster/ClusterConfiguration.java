package dev.warden.cluster;

import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerCustomizer;

import dev.warden.metrics.DatabaseGauges;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Names db-scheduler after the instance and counts the live instances as a metric.
 * {@link EnableScheduling} provides the scheduler that heartbeats and polls.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ClusterConfiguration {

	/**
	 * db-scheduler's scheduler name is the instance id, so a job's
	 * {@code scheduled_tasks.picked_by} names the instance that runs it, as the instances
	 * list does.
	 */
	@Bean
	DbSchedulerCustomizer schedulerNamedAfterInstance(ThisInstance instance) {
		return new DbSchedulerCustomizer() {

			@Override
			public Optional<SchedulerName> schedulerName() {
				return Optional.of(new SchedulerName.Fixed(instance.id()));
			}

		};
	}

	@Bean
	InitializingBean liveInstancesMetric(DatabaseGauges gauges, Instances instances) {
		return () -> gauges.register("warden.instances.live",
				"Instances that heartbeat within three heartbeat intervals", instances::live);
	}

}
