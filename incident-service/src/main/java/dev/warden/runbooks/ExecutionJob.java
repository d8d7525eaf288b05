package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runbook executions as durable jobs: one db-scheduler task instance per execution,
 * claimed by exactly one Warden instance, rescheduled while a step waits, revived on
 * another instance if the one running it dies.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionJob {

	static final TaskDescriptor<Long> TASK = TaskDescriptor.of("runbook-execution", Long.class);

	/** After this many consecutive failures of its job, a run is ended as failed. */
	static final int MAX_CONSECUTIVE_FAILURES = 10;

	@Bean
	CustomTask<Long> runbookExecutionTask(ExecutionRunner runner) {
		return Tasks.custom(TASK)
			// An exception here is trouble reaching the database (try again shortly), or
			// a
			// bug: after repeated failures the run ends as failed rather than never.
			.onFailure((complete, operations) -> {
				int failures = complete.getExecution().consecutiveFailures + 1;
				long executionId = (Long) complete.getExecution().taskInstance.getData();
				if (failures >= MAX_CONSECUTIVE_FAILURES) {
					try {
						runner.failStuck(executionId, "its job failed %d times in a row: %s".formatted(failures,
								complete.getCause().map(Throwable::toString).orElse("unknown error")));
						operations.remove();
						return;
					}
					catch (RuntimeException ex) {
						// the database is still away: keep trying
					}
				}
				operations.reschedule(complete, complete.getTimeDone().plus(Duration.ofSeconds(10)));
			})
			.onDeadExecutionRevive()
			.execute((instance, context) -> {
				Optional<Instant> resumeAt = runner.advance(instance.getData());
				return resumeAt
					.<CompletionHandler<Long>>map((at) -> (complete, operations) -> operations.reschedule(complete, at))
					.orElse((complete, operations) -> operations.remove());
			});
	}

	/** Schedules an execution's job, in the caller's transaction. */
	static void schedule(SchedulerClient scheduler, long executionId, Instant at) {
		scheduler.scheduleIfNotExists(TASK.instance(String.valueOf(executionId)).data(executionId).scheduledTo(at));
	}

	/**
	 * Wakes a waiting execution's job now (for example to see a cancellation). A job that
	 * is running sees the request at its next step boundary anyway.
	 */
	static void wake(SchedulerClient scheduler, long executionId, Instant at) {
		try {
			scheduler.reschedule(TASK.instanceId(String.valueOf(executionId)), at);
		}
		catch (RuntimeException ex) {
			// Currently executing, or already done: nothing to wake.
		}
	}

}
