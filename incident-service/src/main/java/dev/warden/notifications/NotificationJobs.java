package dev.warden.notifications;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongFunction;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The module's durable jobs: one delivery job per owed message, one Slack refresh job per
 * incident (changes close together make one update), one escalation timer per incident.
 * db-scheduler runs each instance on exactly one Warden instance, survives restarts, and
 * revives the jobs of an instance that died.
 * <p>
 * When more jobs are due than workers are free, pages go first: the first messages of an
 * incident (its Slack message, the opening and escalation emails) and escalation timers
 * run at high priority, thread replies and closing emails at medium, Slack card updates
 * at low.
 */
@Configuration(proxyBeanMethods = false)
class NotificationJobs {

	static final TaskDescriptor<Long> DELIVERY = TaskDescriptor.of("notification-delivery", Long.class);

	static final TaskDescriptor<Long> REFRESH = TaskDescriptor.of("slack-refresh", Long.class);

	static final TaskDescriptor<Long> ESCALATION = TaskDescriptor.of("escalation-timer", Long.class);

	/** The least time between two runs of one escalation timer. */
	static final Duration ESCALATION_PAUSE = Duration.ofSeconds(1);

	/**
	 * A job that throws (the database is away, or a bug) runs again after this long;
	 * delivery failures themselves are handled, not thrown.
	 */
	static final Duration AFTER_ERROR = Duration.ofSeconds(10);

	static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(NotificationJobs.class);

	@Bean
	CustomTask<Long> notificationDeliveryTask(Deliveries deliveries) {
		return task(DELIVERY, deliveries::deliver);
	}

	/**
	 * A refresh with nothing left to do ends only under the incident's refresh lock (see
	 * {@link Deliveries#endRefresh}): a change whose follower found this job running
	 * either is seen by that last look or schedules the next job after it is gone.
	 */
	@Bean
	CustomTask<Long> slackRefreshTask(Deliveries deliveries) {
		return task(REFRESH, deliveries::refresh, deliveries::endRefresh, Deliveries.COALESCE);
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
					log.warn("Rescheduled {} notification, Slack update or escalation job(s) that had gone missing",
							scheduled);
				}
			});
	}

	/**
	 * The timer fires what is due, then decides under the escalation's lock whether to
	 * stay (see {@link Escalations#endTimer}): a restart or a hurry that committed while
	 * it ran could not move it, as it was running, so the state it reads at its end, not
	 * the one it saw when it started, says when it runs next.
	 */
	@Bean
	CustomTask<Long> escalationTimerTask(Escalations escalations) {
		return task(ESCALATION, (incidentId) -> {
			escalations.fire(incidentId);
			return Optional.empty();
		}, escalations::endTimer, ESCALATION_PAUSE);
	}

	/**
	 * When a job that asked its ending runs again, but never at once: an instant due
	 * already (a 0m escalation delay, or a time on Warden's clock that the scheduler's
	 * clock has passed, as in tests) would otherwise be picked again straight away, over
	 * and over, keeping a connection busy.
	 */
	static Instant notBefore(Instant at, Instant done, Duration pause) {
		Instant soonest = done.plus(pause);
		return at.isAfter(soonest) ? at : soonest;
	}

	private static CustomTask<Long> task(TaskDescriptor<Long> descriptor, LongFunction<Optional<Duration>> work) {
		return task(descriptor, work, (id, remove) -> {
			remove.run();
			return Optional.empty();
		}, AFTER_ERROR);
	}

	/**
	 * A job that runs the work and, when it has nothing left to do, asks the ending
	 * whether it may go. An ending that keeps it, or cannot answer (the lock or the
	 * database did not answer in time), has the job run again no sooner than the pause,
	 * rather than stay picked until it is declared dead.
	 */
	private static CustomTask<Long> task(TaskDescriptor<Long> descriptor, LongFunction<Optional<Duration>> work,
			Ending ending, Duration pause) {
		return Tasks.custom(descriptor)
			.onFailure(NotificationJobs::againLater)
			.onDeadExecutionRevive()
			.execute((instance, context) -> {
				long id = instance.getData();
				Optional<Duration> again = work.apply(id);
				return (complete, operations) -> {
					Instant done = complete.getTimeDone();
					if (again.isPresent()) {
						operations.reschedule(complete, done.plus(again.get()));
						return;
					}
					askEnding(descriptor, id, ending, operations::remove, done)
						.ifPresent((at) -> operations.reschedule(complete, notBefore(at, done, pause)));
				};
			});
	}

	/** The ending's answer: empty when the job went, else when it runs next. */
	private static Optional<Instant> askEnding(TaskDescriptor<Long> descriptor, long id, Ending ending, Runnable remove,
			Instant done) {
		try {
			return ending.end(id, remove);
		}
		catch (RuntimeException ex) {
			log.warn("Could not end {} job {}; looking again: {}", descriptor.getTaskName(), id, ex.toString());
			return Optional.of(done);
		}
	}

	/** Whether a job with nothing left to do may go. */
	@FunctionalInterface
	private interface Ending {

		/**
		 * Runs {@code remove} if the job may go.
		 * @return empty when the job went, or when it runs again (no sooner than its
		 * pause)
		 */
		Optional<Instant> end(long id, Runnable remove);

	}

	private static void againLater(ExecutionComplete complete, ExecutionOperations<Long> operations) {
		operations.reschedule(complete, complete.getTimeDone().plus(AFTER_ERROR));
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

	/**
	 * Moves the incident's escalation timer to the instant, if it is set and not running
	 * right now (a running one reads the escalation state when it ends, under its lock).
	 */
	static void wakeEscalation(SchedulerClient scheduler, long incidentId, Instant at) {
		try {
			scheduler.reschedule(ESCALATION.instanceId(String.valueOf(incidentId)), at);
		}
		catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException ex) {
			// No timer, or running right now: nothing to wake. A picked-meanwhile timer
			// (reschedule answers false) reads the state when it ends, too.
		}
	}

	/** Sets the incident's escalation timer, replacing one that is set. */
	static void scheduleEscalation(SchedulerClient scheduler, long incidentId, Instant at) {
		if (!scheduler.scheduleIfNotExists(ESCALATION.instance(String.valueOf(incidentId))
			.data(incidentId)
			.priority(Priority.HIGH)
			.scheduledTo(at))) {
			// Set already: move it (one running right now reads the escalation state
			// when it ends, under its lock, and reschedules itself from there).
			wakeEscalation(scheduler, incidentId, at);
		}
	}

}
