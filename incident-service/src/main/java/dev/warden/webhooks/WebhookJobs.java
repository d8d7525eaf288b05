package dev.warden.webhooks;

import java.time.Instant;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;

import dev.warden.jobs.EndingJobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One durable job per delivery, written in the transaction that owes it: db-scheduler
 * runs it on one Warden instance, survives restarts and revives the jobs of an instance
 * that died. Deliveries run at medium priority, after pages.
 */
@Configuration(proxyBeanMethods = false)
class WebhookJobs {

	static final TaskDescriptor<Long> DELIVERY = TaskDescriptor.of("webhook-delivery", Long.class);

	@Bean
	CustomTask<Long> webhookDeliveryTask(WebhookDeliveries deliveries) {
		return EndingJobs.task(DELIVERY, deliveries::deliver);
	}

	/** Schedules a delivery's job, in the caller's transaction. */
	static void schedule(SchedulerClient scheduler, long deliveryId, Instant at) {
		scheduler.scheduleIfNotExists(DELIVERY.instance(String.valueOf(deliveryId))
			.data(deliveryId)
			.priority(Priority.MEDIUM)
			.scheduledTo(at));
	}

}
