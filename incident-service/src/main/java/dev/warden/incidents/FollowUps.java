package dev.warden.incidents;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import tools.jackson.databind.json.JsonMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Hands incidents' committed changes to their {@link IncidentFollower followers}: one
 * db-scheduler job per change with news, written in the change's own transaction. The job
 * runs once the change commits (the poller is woken after the commit), on one instance;
 * an instance that dies while running it has it taken over. Each follower follows in its
 * own transaction that also advances the follower's place in the incident's changes
 * (table {@code incident_follower}, row-locked meanwhile): a change is followed once per
 * follower however often its job runs, and only after the incident's earlier changes. A
 * failing follower makes the job fail after the others ran (db-scheduler retries it with
 * backoff, counts the failures, and the backlog metrics show it late); a change whose
 * earlier change is not followed yet waits for it.
 */
@Configuration(proxyBeanMethods = false)
class FollowUps {

	static final TaskDescriptor<String> TASK = TaskDescriptor.of("incident-follow-up", String.class);

	/**
	 * How long a change waits in its job for its incident's earlier change to be
	 * followed, looking again every {@link #INLINE_WAIT_STEP}, before it gives the worker
	 * back and is rescheduled {@link #WAIT_FOR_EARLIER} later.
	 */
	static final Duration INLINE_WAIT = Duration.ofSeconds(2);

	static final Duration INLINE_WAIT_STEP = Duration.ofMillis(20);

	/**
	 * A change that waited in vain looks again this soon (at the next poll, or sooner).
	 */
	static final Duration WAIT_FOR_EARLIER = Duration.ofMillis(500);

	/**
	 * The first retry of a failing follower; doubled per failure up to
	 * {@link #MAX_BACKOFF}.
	 */
	static final Duration FIRST_BACKOFF = Duration.ofSeconds(5);

	static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

	private static final Logger log = LoggerFactory.getLogger(FollowUps.class);

	@Bean
	CustomTask<String> incidentFollowUpTask(Runner runner) {
		return Tasks.custom(TASK).onFailure((complete, operations) -> {
			int failures = complete.getExecution().consecutiveFailures + 1;
			long backoff = Math.min(FIRST_BACKOFF.toMillis() << Math.min(failures - 1, 16), MAX_BACKOFF.toMillis());
			operations.reschedule(complete, complete.getTimeDone().plusMillis(backoff));
		})
			.onDeadExecutionRevive()
			.execute((instance, context) -> runner.follow(Change.decode(instance.getData()))
					? (complete, operations) -> operations.remove()
					: (CompletionHandler<String>) (complete, operations) -> operations.reschedule(complete,
							complete.getTimeDone().plus(WAIT_FOR_EARLIER)));
	}

	@Bean
	Runner incidentFollowUpRunner(List<IncidentFollower> followers, JdbcClient jdbc, JsonMapper json,
			PlatformTransactionManager transactionManager, MeterRegistry meters, Clock clock) {
		return new Runner(followers, jdbc, json, transactionManager, meters, clock);
	}

	/**
	 * Writes the change's follow-up job, in the change's transaction. Due at once: the
	 * poller is woken when the transaction commits. Pages (openings, escalations) at high
	 * priority, the rest at medium, beside runbook steps.
	 */
	static void schedule(SchedulerClient scheduler, Change change, int priority, Instant now) {
		scheduler.scheduleIfNotExists(TASK.instance(change.incident() + "-" + change.number())
			.data(change.encode())
			.priority(priority)
			.scheduledTo(now));
	}

	/**
	 * A change as its job keeps it: which incident, its number, the status after it and
	 * its events' ids.
	 */
	record Change(long incident, int number, IncidentStatus status, List<Long> events) {

		String encode() {
			return this.incident + "/" + this.number + "/" + this.status.name() + "/"
					+ String.join(",", this.events.stream().map(String::valueOf).toList());
		}

		static Change decode(String data) {
			String[] parts = data.split("/", 4);
			List<Long> events = parts[3].isEmpty() ? List.of()
					: Arrays.stream(parts[3].split(",")).map(Long::valueOf).toList();
			return new Change(Long.parseLong(parts[0]), Integer.parseInt(parts[1]), IncidentStatus.valueOf(parts[2]),
					events);
		}

	}

	/**
	 * How far the followers have followed an incident's changes, for the API: a change
	 * still pending a while after it was made is late (see the job metrics).
	 *
	 * @param changes how many of the incident's changes carried news
	 * @param followed how many of them each follower has followed
	 * @param pending whether a follower has yet to follow one
	 */
	record State(int changes, Map<String, Integer> followed, boolean pending) {
	}

	/** What a follower did with a change. */
	enum Outcome {

		/** It followed the change now. */
		FOLLOWED,

		/**
		 * It had followed the change before: a job run again after a crash or a retry.
		 */
		ALREADY,

		/** The incident's earlier change is not followed yet: look again soon. */
		WAITING

	}

	/** Runs a change's followers. */
	static class Runner {

		private final List<IncidentFollower> followers;

		private final JdbcClient jdbc;

		private final JsonMapper json;

		private final TransactionTemplate transactions;

		private final MeterRegistry meters;

		private final Clock clock;

		private final Map<String, Counter> counters = new ConcurrentHashMap<>();

		private final Map<String, Timer> lags = new ConcurrentHashMap<>();

		Runner(List<IncidentFollower> followers, JdbcClient jdbc, JsonMapper json,
				PlatformTransactionManager transactionManager, MeterRegistry meters, Clock clock) {
			this.clock = clock;
			this.followers = List.copyOf(followers);
			this.jdbc = jdbc;
			this.json = json;
			this.transactions = new TransactionTemplate(transactionManager);
			this.meters = meters;
		}

		/**
		 * Hands the change to every follower that has not followed it yet.
		 * @return true when every follower has followed it; false when one waits for an
		 * earlier change
		 * @throws FollowerFailed when a follower failed (after the others ran)
		 */
		boolean follow(Change change) {
			List<String> failed = new ArrayList<>();
			RuntimeException cause = null;
			boolean waiting = false;
			IncidentChange[] loaded = new IncidentChange[1];
			for (IncidentFollower follower : this.followers) {
				try {
					Outcome outcome = followWaiting(follower, change,
							() -> (loaded[0] != null) ? loaded[0] : (loaded[0] = load(change)));
					waiting |= (outcome == Outcome.WAITING);
					counter(follower, outcome.name().toLowerCase(Locale.ROOT)).increment();
				}
				catch (RuntimeException ex) {
					log.warn("Follower {} failed on change {} of incident {}; it is retried: {}",
							follower.followerName(), change.number(), new IncidentId(change.incident()), ex.toString(),
							ex);
					counter(follower, "failed").increment();
					failed.add(follower.followerName());
					cause = ex;
				}
			}
			if (cause != null) {
				throw new FollowerFailed(change, failed, cause);
			}
			return !waiting;
		}

		/**
		 * Follows the change, waiting a moment here when the incident's earlier change is
		 * being followed right now (the common case when both were picked together):
		 * rescheduled, the change would wait for the next poll.
		 */
		private Outcome followWaiting(IncidentFollower follower, Change change, Supplier<IncidentChange> loaded) {
			long deadline = System.nanoTime() + INLINE_WAIT.toNanos();
			while (true) {
				Outcome outcome = this.transactions.execute((status) -> followOnce(follower, change, loaded));
				if (outcome == null) {
					// The follower's first change of the incident: its place is created
					// and committed on its own, so that it is only ever locked once
					// committed (a change that finds it locked waits its turn instead of
					// queueing behind an insert).
					this.jdbc.sql("""
							insert into incident_follower (incident_id, follower, followed) values (?, ?, 0)
							on conflict (incident_id, follower) do nothing""")
						.params(change.incident(), follower.followerName())
						.update();
					continue;
				}
				if (outcome != Outcome.WAITING || System.nanoTime() > deadline) {
					return outcome;
				}
				try {
					Thread.sleep(INLINE_WAIT_STEP.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return outcome;
				}
			}
		}

		/**
		 * Follows the change unless it is not this follower's turn.
		 * @return what happened, or null when the follower has no place in the incident's
		 * changes yet
		 */
		private Outcome followOnce(IncidentFollower follower, Change change, Supplier<IncidentChange> loaded) {
			// Locks the follower's place in the incident's changes until this commits.
			// Held by another instance or thread following the same incident right now:
			// this change waits its turn rather than queueing on the lock.
			Integer place = this.jdbc.sql("""
					select followed from incident_follower where incident_id = ? and follower = ?
					for update skip locked""")
				.params(change.incident(), follower.followerName())
				.query(Integer.class)
				.optional()
				.orElse(null);
			if (place == null) {
				// Held by another job right now, or missing (null: create it first).
				boolean exists = this.jdbc
					.sql("select exists (select 1 from incident_follower where incident_id = ? and follower = ?)")
					.params(change.incident(), follower.followerName())
					.query(Boolean.class)
					.single();
				return exists ? Outcome.WAITING : null;
			}
			int followed = place;
			// This commit (the place's row lock, and whatever the follower writes) need
			// not wait for the disk: until the job's removal commits (synchronously,
			// after every follower, flushing the log up to it), a crash that loses this
			// commit loses its place too, and the job runs again; what the follower owes
			// the world (messages, runbook steps) starts in jobs that are picked by a
			// synchronous commit, which flushes this one first.
			this.jdbc.sql("set local synchronous_commit = off").update();
			if (followed >= change.number()) {
				return Outcome.ALREADY;
			}
			if (followed < change.number() - 1) {
				if (hasEarlierJob(change, followed)) {
					return Outcome.WAITING;
				}
				// No job is left to hand the changes in between to this follower (one
				// added by a newer version of Warden while they were pending, or a job
				// deleted by hand): it starts with this change instead of waiting for
				// ever, and says so.
				log.warn("Follower {} skips changes {}..{} of incident {}: their jobs are gone",
						follower.followerName(), followed + 1, change.number() - 1, new IncidentId(change.incident()));
				counter(follower, "skipped").increment(change.number() - 1 - followed);
			}
			IncidentChange incidentChange = loaded.get();
			follower.follow(incidentChange);
			this.jdbc.sql("update incident_follower set followed = ? where incident_id = ? and follower = ?")
				.params(change.number(), change.incident(), follower.followerName())
				.update();
			if (!incidentChange.events().isEmpty()) {
				lag(follower)
					.record(Duration.between(incidentChange.events().getFirst().occurredAt(), this.clock.instant()));
			}
			return Outcome.FOLLOWED;
		}

		/**
		 * Whether a change of the incident after {@code followed} and before this one
		 * still has its job (a lookup by the jobs' keys).
		 */
		private boolean hasEarlierJob(Change change, int followed) {
			String[] earlier = IntStream.range(followed + 1, change.number())
				.mapToObj((number) -> change.incident() + "-" + number)
				.toArray(String[]::new);
			return this.jdbc
				.sql("select exists (select 1 from job_schedule where task_name = ? and task_instance = any(?))")
				.params(TASK.getTaskName(), earlier)
				.query(Boolean.class)
				.single();
		}

		/** How far the followers have followed the incident's changes. */
		State state(IncidentView incident) {
			Map<String, Integer> followed = new TreeMap<>();
			this.followers.forEach((follower) -> followed.put(follower.followerName(), 0));
			this.jdbc.sql("select follower, followed from incident_follower where incident_id = ?")
				.param(incident.id().value())
				.query((row, n) -> Map.entry(row.getString(1), row.getInt(2)))
				.list()
				.forEach((entry) -> followed.computeIfPresent(entry.getKey(), (name, before) -> entry.getValue()));
			boolean pending = followed.values().stream().anyMatch((number) -> number < incident.changes());
			return new State(incident.changes(), followed, pending);
		}

		/**
		 * The change's events, by plain SQL: an entity query would cost several times as
		 * much per event for rows that never change.
		 */
		private IncidentChange load(Change change) {
			List<RecordedEvent> events = change.events().isEmpty() ? List.of()
					: this.jdbc.sql("""
							select id, type, news, actor_kind, actor_name, occurred_at, summary, details::text
							from timeline_event where id = any(?) order by occurred_at, id""")
						.param(change.events().toArray(Long[]::new))
						.query((row, n) -> new RecordedEvent(row.getLong(1),
								new TimelineEventType(row.getString(2), row.getBoolean(3)),
								new Actor(Actor.Kind.valueOf(row.getString(4)), row.getString(5)),
								row.getTimestamp(6).toInstant(), row.getString(7), details(row.getString(8))))
						.list();
			return new IncidentChange(new IncidentId(change.incident()), change.number(), change.status(), events);
		}

		@SuppressWarnings("unchecked")
		private Map<String, Object> details(String json) {
			Map<String, Object> details = new LinkedHashMap<>();
			this.json.readValue(json, Map.class).forEach((key, value) -> {
				if (value != null) {
					details.put((String) key, value);
				}
			});
			return details;
		}

		private Counter counter(IncidentFollower follower, String outcome) {
			return this.counters.computeIfAbsent(follower.followerName() + " " + outcome,
					(key) -> Counter.builder("warden.incidents.follow_ups")
						.description("Incident changes handed to followers, by outcome")
						.tag("follower", follower.followerName())
						.tag("outcome", outcome)
						.register(this.meters));
		}

		private Timer lag(IncidentFollower follower) {
			return this.lags.computeIfAbsent(follower.followerName(),
					(key) -> Timer.builder("warden.incidents.follow_up.lag")
						.description("From a change to its follower having followed it")
						.tag("follower", follower.followerName())
						.publishPercentileHistogram()
						.register(this.meters));
		}

	}

	/** One or more followers failed on a change; the job is retried. */
	static class FollowerFailed extends RuntimeException {

		FollowerFailed(Change change, List<String> followers, Throwable cause) {
			super("Follower(s) %s failed on change %d of incident %s".formatted(String.join(", ", followers),
					change.number(), new IncidentId(change.incident())), cause);
		}

	}

}
