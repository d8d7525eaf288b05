package dev.warden.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.github.kagkarlsson.scheduler.Clock;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes db-scheduler's poller when a job this instance scheduled is due, instead of
 * leaving it to the next poll (every {@code db-scheduler.polling-interval}, 5 s by
 * default).
 * <p>
 * A job written in a transaction can only be fetched once that transaction commits, so a
 * job due now wakes the poller after the commit (db-scheduler's own immediate execution
 * wakes it at once, before the row is visible, and the job then waits for the next poll).
 * A job due a little later (a delivery waiting for its turn at Slack, a retry, a
 * coalesced Slack update) wakes the poller when it falls due. The job's row stays the
 * only record of the work: a wake-up that is lost (a restart) only leaves the job to the
 * next poll, and one that comes early finds nothing due.
 * <p>
 * A job scheduled outside a transaction (none, or a scope without an actual transaction)
 * is visible at once and wakes the poller at once. A job scheduled while a transaction
 * completes (from another synchronization's {@code afterCommit}) cannot be told apart
 * from one scheduled in the transaction's body, and a synchronization registered then
 * gets no {@code afterCommit}: every wake-up after commit is therefore backed by a
 * wake-up {@link #FALLBACK} later, cancelled once the commit woke the poller or the
 * transaction rolled back.
 */
@Component
class JobWakeups extends AbstractSchedulerListener implements DisposableBean {

	/**
	 * Jobs due further ahead than this are left to the poller: a poll late by a few
	 * seconds does not matter to them, and no timer is kept for them.
	 */
	static final Duration HORIZON = Duration.ofMinutes(2);

	/**
	 * How long after a job was scheduled in a transaction the poller is woken anyway,
	 * unless the transaction's completion woke it: a job written while the transaction
	 * was completing would otherwise wait for the next poll. Long enough for the
	 * completing transaction to release its connection.
	 */
	static final Duration FALLBACK = Duration.ofMillis(250);

	/** Wake-ups closer together than this are one. */
	private static final long GRAIN_MILLIS = 10;

	private final Runnable poke;

	private final Clock clock;

	private final ScheduledExecutorService timer = Executors
		.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("warden-job-wakeups").daemon().factory());

	/** Wake-ups set, by the grain they fall in, so that a burst of jobs sets one each. */
	private final ConcurrentHashMap<Long, Boolean> pending = new ConcurrentHashMap<>();

	@Autowired
	JobWakeups(ObjectProvider<Scheduler> scheduler, Clock clock) {
		this(() -> {
			Scheduler running = scheduler.getIfAvailable();
			if (running != null) {
				running.triggerCheckForDueExecutions();
			}
		}, clock);
	}

	/**
	 * @param poke wakes the poller
	 * @param clock the job scheduler's clock
	 */
	JobWakeups(Runnable poke, Clock clock) {
		this.poke = poke;
		this.clock = clock;
	}

	@Override
	public void onExecutionScheduled(TaskInstanceId taskInstanceId, Instant executionTime) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()
				|| !TransactionSynchronizationManager.isActualTransactionActive()) {
			// Written outside a transaction: visible now.
			wakeAt(executionTime);
			return;
		}
		ScheduledFuture<?> fallback = fallback(executionTime);
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			private boolean woken;

			@Override
			public void afterCommit() {
				this.woken = true;
				wakeAt(executionTime);
			}

			@Override
			public void afterCompletion(int status) {
				// Registered while the transaction completed, this runs without
				// afterCommit, before the connection is released: the fallback wakes.
				if (fallback != null && (this.woken || status != STATUS_COMMITTED)) {
					fallback.cancel(false);
				}
			}

		});
	}

	/**
	 * Wakes the poller {@link #FALLBACK} from now (or when the job is due, if later) in
	 * case the transaction's synchronizations have run already.
	 * @return the timer, to cancel once they run; null when none was set
	 */
	private ScheduledFuture<?> fallback(Instant due) {
		if (this.timer.isShutdown()) {
			return null;
		}
		try {
			return this.timer.schedule(() -> wakeAt(due), FALLBACK.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			return null;
		}
	}

	/** Wakes the poller now, or sets a timer for when the job falls due. */
	void wakeAt(Instant due) {
		long delay = Duration.between(this.clock.now(), due).toMillis();
		if (delay <= 0) {
			wake();
			return;
		}
		if (delay > HORIZON.toMillis() || this.timer.isShutdown()) {
			return;
		}
		// The poller fetches what is due by its clock; a wake-up a grain late finds it.
		long grain = Math.ceilDiv(due.toEpochMilli(), GRAIN_MILLIS);
		if (this.pending.putIfAbsent(grain, Boolean.TRUE) == null) {
			try {
				this.timer.schedule(() -> {
					this.pending.remove(grain);
					wake();
				}, delay + GRAIN_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (java.util.concurrent.RejectedExecutionException ex) {
				// Shutting down: the jobs wait for another instance's poll or the
				// restart.
				this.pending.remove(grain);
			}
		}
	}

	private void wake() {
		this.poke.run();
	}

	@Override
	public void destroy() {
		this.timer.shutdownNow();
	}

}
