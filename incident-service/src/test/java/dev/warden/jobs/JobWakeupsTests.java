package dev.warden.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the job poller is woken for a job scheduled in, beside or while completing a
 * transaction, run by Spring's own transaction machinery (a transaction manager without a
 * resource).
 */
class JobWakeupsTests {

	private static final TaskInstanceId JOB = TaskInstanceId.of("test-task", "1");

	private final AtomicInteger wakes = new AtomicInteger();

	private final JobWakeups wakeups = new JobWakeups(this.wakes::incrementAndGet, Instant::now);

	private final TransactionTemplate transactions = new TransactionTemplate(new ResourcelessTransactionManager());

	@AfterEach
	void stop() {
		this.wakeups.destroy();
	}

	@Test
	void aJobScheduledInATransactionWakesThePollerOnlyOnceItCommits() {
		this.transactions.executeWithoutResult((status) -> {
			this.wakeups.onExecutionScheduled(JOB, Instant.now());
			assertThat(this.wakes).as("the job's row is not visible yet").hasValue(0);
		});

		assertThat(this.wakes).hasValue(1);
		pause(JobWakeups.FALLBACK.multipliedBy(3));
		assertThat(this.wakes).as("the commit woke it; no second wake-up").hasValue(1);
	}

	@Test
	void aJobScheduledWhileATransactionCompletesWakesThePollerSoonNotAtTheNextPoll() {
		this.transactions.executeWithoutResult(
				(status) -> TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
					@Override
					public void afterCommit() {
						// A synchronization registered here gets no afterCommit.
						JobWakeupsTests.this.wakeups.onExecutionScheduled(JOB, Instant.now());
					}
				}));

		await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(this.wakes).hasValue(1));
	}

	@Test
	void aJobScheduledWithoutAnActualTransactionWakesThePollerAtOnce() {
		TransactionTemplate supports = new TransactionTemplate(this.transactions.getTransactionManager());
		supports.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);

		supports.executeWithoutResult((status) -> {
			assertThat(TransactionSynchronizationManager.isSynchronizationActive()).isTrue();
			this.wakeups.onExecutionScheduled(JOB, Instant.now());
			assertThat(this.wakes).as("written outside a transaction: visible now").hasValue(1);
		});
		this.wakeups.onExecutionScheduled(JOB, Instant.now());

		assertThat(this.wakes).hasValue(2);
	}

	@Test
	void aJobScheduledInATransactionThatRollsBackWakesNothing() {
		this.transactions.executeWithoutResult((status) -> {
			this.wakeups.onExecutionScheduled(JOB, Instant.now());
			status.setRollbackOnly();
		});

		pause(JobWakeups.FALLBACK.multipliedBy(3));
		assertThat(this.wakes).hasValue(0);
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Spring's transaction lifecycle and synchronizations, with nothing to commit. */
	private static final class ResourcelessTransactionManager extends AbstractPlatformTransactionManager {

		@Override
		protected Object doGetTransaction() {
			return new Object();
		}

		@Override
		protected void doBegin(Object transaction, TransactionDefinition definition) {
		}

		@Override
		protected void doCommit(DefaultTransactionStatus status) {
		}

		@Override
		protected void doRollback(DefaultTransactionStatus status) {
		}

	}

}
