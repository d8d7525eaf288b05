package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.Schedules;

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

	@Bean
	CustomTask<Long> runbookExecutionTask(ExecutionRunner runner) {
		return Tasks.custom(TASK)
			// An exception here is trouble reaching the database: try again shortly.
			.onFailureReschedule(Schedules.fixedDelay(Duration.ofSeconds(10)))
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

	/** Wakes a waiting execution's job now (for example to see a cancellation). */
	static void wake(SchedulerClient scheduler, long executionId, Instant at) {
		scheduler.reschedule(TASK.instanceId(String.valueOf(executionId)), at);
	}

}
