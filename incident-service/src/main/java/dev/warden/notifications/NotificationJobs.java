package dev.warden.notifications;

import java.time.Duration;
import java.time.Instant;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.jobs.EndingJobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The module's durable jobs: one delivery job per owed message, one Slack refresh job per
 * incident (changes close together make one update); escalation timers are
 * {@code escalation}'s. db-scheduler runs each instance on exactly one Warden instance,
 * survives restarts, and revives the jobs of an instance that died.
 * <p>
 * When more jobs are due than workers are free, pages go first: the first messages of an
 * incident (its Slack message, the opening and escalation emails) run at high priority,
 * as escalation timers do, thread replies and closing emails at medium, Slack card
 * updates at low.
 */
@Configuration(proxyBeanMethods = false)
class NotificationJobs {

	static final TaskDescriptor<Long> DELIVERY = TaskDescriptor.of("notification-delivery", Long.class);

	static final TaskDescriptor<Long> REFRESH = TaskDescriptor.of("slack-refresh", Long.class);

	static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(NotificationJobs.class);

	@Bean
	CustomTask<Long> notificationDeliveryTask(Deliveries deliveries) {
		return EndingJobs.task(DELIVERY, deliveries::deliver);
	}

	/**
	 * A refresh with nothing left to do ends only under the incident's refresh lock (see
	 * {@link Deliveries#endRefresh}): a change whose follower found this job running
	 * either is seen by that last look or schedules the next job after it is gone.
	 */
	@Bean
	CustomTask<Long> slackRefreshTask(Deliveries deliveries) {
		return EndingJobs.task(REFRESH, deliveries::refresh, deliveries::endRefresh, Deliveries.COALESCE);
	}

	/**
	 * The safety net: reschedules jobs that went missing in a race (see
	 * {@link Deliveries#sweep()}).
	 */
	@Bean
	RecurringTask<Void> notificationSweepTask(Deliveries deliveries) {
		return Tasks.recurring("notifications-sweep", Schedules.fixedDelay(SWEEP_INTERVAL))
			.execute((instance, context) -> {
				int scheduled = deliveries.sweep();
				if (scheduled > 0) {
					log.warn("Rescheduled {} notification or Slack update job(s) that had gone missing", scheduled);
				}
			});
	}

	/** The priority of a notification's delivery job: first messages are pages. */
	static int deliveryPriority(String kind) {
		return switch (kind) {
			case Kinds.SLACK_MESSAGE, Kinds.EMAIL_OPENED, Kinds.EMAIL_ESCALATED -> Priority.HIGH;
			default -> Priority.MEDIUM;
		};
	}

	/** Schedules a notification's delivery, in the caller's transaction. */
	static void scheduleDelivery(SchedulerClient scheduler, long notificationId, int priority, Instant at) {
		scheduler.scheduleIfNotExists(DELIVERY.instance(String.valueOf(notificationId))
			.data(notificationId)
			.priority(priority)
			.scheduledTo(at));
	}

	/**
	 * Schedules an update of the incident's Slack messages, unless one is already due:
	 * the update that runs renders the newest state, so changes until then make one
	 * update.
	 */
	static void scheduleRefresh(SchedulerClient scheduler, long incidentId, Instant at) {
		scheduler.scheduleIfNotExists(
				REFRESH.instance(String.valueOf(incidentId)).data(incidentId).priority(Priority.LOW).scheduledTo(at));
	}

}
