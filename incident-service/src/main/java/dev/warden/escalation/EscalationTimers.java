package dev.warden.escalation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceCurrentlyExecutingException;
import com.github.kagkarlsson.scheduler.exceptions.TaskInstanceNotFoundException;
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
 * The running escalations' durable jobs: one timer per incident, at high priority (it
 * pages), and a sweep that sets again a timer that went missing in a race. db-scheduler
 * runs each on exactly one Warden instance, survives restarts, and revives the jobs of an
 * instance that died.
 */
@Configuration(proxyBeanMethods = false)
class EscalationTimers {

	static final TaskDescriptor<Long> TIMER = TaskDescriptor.of("escalation-timer", Long.class);

	/** The least time between two runs of one escalation timer. */
	static final Duration PAUSE = Duration.ofSeconds(1);

	static final Duration SWEEP_INTERVAL = Duration.ofSeconds(30);

	private static final Logger log = LoggerFactory.getLogger(EscalationTimers.class);

	/**
	 * The timer fires what is due, then decides under the escalation's lock whether to
	 * stay (see {@link EscalationRuns#endTimer}): a restart or a hurry that committed
	 * while it ran could not move it, as it was running, so the state it reads at its
	 * end, not the one it saw when it started, says when it runs next.
	 */
	@Bean
	CustomTask<Long> escalationTimerTask(EscalationRuns runs) {
		return EndingJobs.task(TIMER, (incidentId) -> {
			runs.fire(incidentId);
			return Optional.empty();
		}, runs::endTimer, PAUSE);
	}

	/**
	 * The safety net: sets again the timers that went missing (see
	 * {@link EscalationRuns#sweep()}).
	 */
	@Bean
	RecurringTask<Void> escalationSweepTask(EscalationRuns runs) {
		return Tasks.recurring("escalations-sweep", Schedules.fixedDelay(SWEEP_INTERVAL))
			.execute((instance, context) -> {
				int scheduled = runs.sweep();
				if (scheduled > 0) {
					log.warn("Set {} escalation timer(s) again that had gone missing", scheduled);
				}
			});
	}

	/**
	 * Moves the incident's escalation timer to the instant, if it is set and not running
	 * right now (a running one reads the escalation state when it ends, under its lock).
	 */
	static void wake(SchedulerClient scheduler, long incidentId, Instant at) {
		try {
			scheduler.reschedule(TIMER.instanceId(String.valueOf(incidentId)), at);
		}
		catch (TaskInstanceNotFoundException | TaskInstanceCurrentlyExecutingException ex) {
			// No timer, or running right now: nothing to wake. A picked-meanwhile timer
			// (reschedule answers false) reads the state when it ends, too.
		}
	}

	/** Sets the incident's escalation timer, replacing one that is set. */
	static void schedule(SchedulerClient scheduler, long incidentId, Instant at) {
		if (!scheduler.scheduleIfNotExists(
				TIMER.instance(String.valueOf(incidentId)).data(incidentId).priority(Priority.HIGH).scheduledTo(at))) {
			// Set already: move it (one running right now reads the escalation state
			// when it ends, under its lock, and reschedules itself from there).
			wake(scheduler, incidentId, at);
		}
	}

}
