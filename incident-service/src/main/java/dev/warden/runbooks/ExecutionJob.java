package dev.warden.runbooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runbook executions as durable jobs: one db-scheduler task instance per execution,
 * claimed by exactly one Warden instance, rescheduled while a step waits, revived on
 * another instance if the one running it dies. An instance that finds it lost the job's
 * claim (another instance revived it meanwhile) stops and leaves the job's row alone.
 */
@Configuration(proxyBeanMethods = false)
class ExecutionJob {

	private static final Logger log = LoggerFactory.getLogger(ExecutionJob.class);

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
				Execution execution = complete.getExecution();
				long executionId = (Long) execution.taskInstance.getData();
				if (lostClaim(runner, executionId, execution.version)) {
					return;
				}
				int failures = execution.consecutiveFailures + 1;
				if (failures >= MAX_CONSECUTIVE_FAILURES) {
					try {
						runner.failStuck(executionId, execution.version, "its job failed %d times in a row: %s"
							.formatted(failures, complete.getCause().map(Throwable::toString).orElse("unknown error")));
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
				// db-scheduler bumps the row's version whenever the job changes hands, so
				// the version as this instance picked it is this instance's claim.
				long claim = context.getExecution().version;
				return switch (runner.advance(instance.getData(), claim)) {
					case ExecutionRunner.Progress.ResumeAt resume ->
						(complete, operations) -> operations.reschedule(complete, resume.at());
					case ExecutionRunner.Progress.Done done -> (complete, operations) -> operations.remove();
					// The job is another instance's now: leave its row alone.
					case ExecutionRunner.Progress.Lost lost -> (complete, operations) -> {
					};
				};
			});
	}

	/**
	 * Whether another instance holds the job now (this one was paused or cut off past the
	 * dead-execution window): then its row is not this instance's to reschedule or
	 * remove.
	 */
	private static boolean lostClaim(ExecutionRunner runner, long executionId, long claim) {
		try {
			if (runner.holdsClaim(executionId, claim)) {
				return false;
			}
			log.warn("Runbook execution {}: its job failed after another instance took it over; leaving it to that one",
					executionId);
			return true;
		}
		catch (RuntimeException ex) {
			// The database is away: the reschedule below fails too, and says so.
			return false;
		}
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
