package dev.warden.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongFunction;

import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable jobs about one thing each (a message, an incident), keyed by its id: the job
 * runs its work and, when the work has nothing left to do, asks its owner whether it may
 * go. An owner that decides under a lock (a Slack card's refresh lock, an escalation's
 * row) sees a change that committed while the job ran, which could not move a running
 * job, and keeps the job for it. A job that throws (the database is away, or a bug) runs
 * again after {@link #AFTER_ERROR}; one that keeps being picked while its owner says "not
 * yet" waits at least its pause between runs.
 */
public final class EndingJobs {

	/**
	 * A job that throws runs again after this long; the work's own failures (a delivery
	 * that failed) are handled, not thrown.
	 */
	public static final Duration AFTER_ERROR = Duration.ofSeconds(10);

	private static final Logger log = LoggerFactory.getLogger(EndingJobs.class);

	private EndingJobs() {
	}

	/**
	 * A job that runs the work and goes when the work has nothing left to do.
	 * @param work the work for an id: empty when done, else how long until it runs again
	 */
	public static CustomTask<Long> task(TaskDescriptor<Long> descriptor, LongFunction<Optional<Duration>> work) {
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
	 * @param work the work for an id: empty when done, else how long until it runs again
	 * @param ending whether the job may go, asked when the work is done
	 * @param pause the least time between two runs of the job when the ending keeps it
	 */
	public static CustomTask<Long> task(TaskDescriptor<Long> descriptor, LongFunction<Optional<Duration>> work,
			Ending ending, Duration pause) {
		return Tasks.custom(descriptor)
			.onFailure(
					(complete, operations) -> operations.reschedule(complete, complete.getTimeDone().plus(AFTER_ERROR)))
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

	/**
	 * When a job that asked its ending runs again, but never at once: an instant due
	 * already (a 0m escalation delay, or a time on Warden's clock that the scheduler's
	 * clock has passed, as in tests) would otherwise be picked again straight away, over
	 * and over, keeping a connection busy.
	 */
	public static Instant notBefore(Instant at, Instant done, Duration pause) {
		Instant soonest = done.plus(pause);
		return at.isAfter(soonest) ? at : soonest;
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
	public interface Ending {

		/**
		 * Runs {@code remove} if the job may go.
		 * @return empty when the job went, or when it runs again (no sooner than its
		 * pause)
		 */
		Optional<Instant> end(long id, Runnable remove);

	}

}
