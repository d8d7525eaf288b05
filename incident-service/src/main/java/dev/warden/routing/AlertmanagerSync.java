package dev.warden.routing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.jobs.Backoff;
import dev.warden.routing.AlertmanagerClient.AmMatcher;
import dev.warden.routing.AlertmanagerClient.AmSilence;
import dev.warden.routing.AlertmanagerClient.NewAmSilence;
import dev.warden.routing.AlertmanagerCopy.State;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps Warden's silences in step with Alertmanager: a silence created in Warden is
 * created there, with Warden's id in its comment
 * ({@code <comment> (warden silence <id>)}), and expired there when it is expired in
 * Warden.
 * <p>
 * Each change is a durable job (db-scheduler) written in the transaction that creates or
 * expires the silence: one job instance for the creation ({@code <id>}) and one for the
 * expiry ({@code <id>/expire}), so that an expiry never waits on, or is swallowed by, a
 * creation that is still being retried. Both run the same idempotent step: it looks at
 * the silence's state in Warden and brings Alertmanager to it. While Alertmanager is
 * unreachable or answers 5xx the job is retried with capped exponential backoff until the
 * silence would have ended anyway; a 4xx marks the copy failed, visibly, and is not
 * retried.
 * <p>
 * A creation whose answer was lost (a timeout after Alertmanager stored it, an instance
 * that died mid-request) must not create a second copy: before creating, the step looks
 * for an unexpired silence whose comment carries this silence's id, and adopts it. A
 * creation that finishes after the silence was expired in Warden expires what it created.
 */
@Component
class AlertmanagerSync {

	private static final Logger log = LoggerFactory.getLogger(AlertmanagerSync.class);

	static final TaskDescriptor<String> TASK = TaskDescriptor.of("alertmanager-silence-sync", String.class);

	/** The marker in a copy's comment; Warden's silence id in group 1. */
	static final Pattern MARKER = Pattern.compile("\\(warden silence ([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})\\)");

	private static final String EXPIRE_SUFFIX = "/expire";

	private final Silences silences;

	private final AlertmanagerClient alertmanager;

	private final AlertmanagerApiSettings settings;

	private final JdbcClient jdbc;

	private final Clock clock;

	AlertmanagerSync(Silences silences, AlertmanagerClient alertmanager, AlertmanagerApiSettings settings,
			JdbcClient jdbc, Clock clock) {
		this.silences = silences;
		this.alertmanager = alertmanager;
		this.settings = settings;
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** The comment of a silence's copy in Alertmanager. */
	static String comment(Silence silence) {
		return silence.comment() + " (warden silence " + silence.id() + ")";
	}

	/** The Warden silence a comment in Alertmanager names, if any. */
	static Optional<SilenceId> wardenId(String comment) {
		if (comment == null) {
			return Optional.empty();
		}
		Matcher marker = MARKER.matcher(comment);
		return marker.find() ? Optional.of(new SilenceId(UUID.fromString(marker.group(1)))) : Optional.empty();
	}

	/** Schedules the copy's creation, in the caller's transaction. */
	static void scheduleCreation(SchedulerClient scheduler, SilenceId id, Instant at) {
		scheduler.scheduleIfNotExists(TASK.instance(id.toString()).data(id.toString()).scheduledTo(at));
	}

	/** Schedules the copy's expiry, in the caller's transaction. */
	static void scheduleExpiry(SchedulerClient scheduler, SilenceId id, Instant at) {
		scheduler.scheduleIfNotExists(TASK.instance(id + EXPIRE_SUFFIX).data(id.toString()).scheduledTo(at));
	}

	/**
	 * Brings Alertmanager to the silence's state in Warden.
	 * @param data the job's data: the silence's id
	 * @return when to try again (from now), or empty when there is nothing left to do
	 */
	Optional<Duration> sync(String data) {
		SilenceId id = new SilenceId(UUID.fromString(data));
		Silence silence = this.silences.find(id).orElse(null);
		if (silence == null || silence.alertmanager() == null) {
			return Optional.empty();
		}
		State state = silence.alertmanager().state();
		if (state != State.PENDING && state != State.EXPIRING) {
			return Optional.empty();
		}
		if (!this.alertmanager.configured()) {
			failedAttempt(id, "no Alertmanager is configured (warden.alertmanager.api.url) on the instance that ran"
					+ " the job; the silence holds in Warden only");
			return Optional.empty();
		}
		try {
			if (state == State.PENDING) {
				create(silence);
			}
			else {
				expire(silence);
			}
			return Optional.empty();
		}
		catch (AlertmanagerClient.Unavailable ex) {
			int attempts = failedAttempt(id, ex.getMessage());
			Duration wait = backoff(attempts, this.settings.initialBackoff(), this.settings.maxBackoff());
			log.info("Silence {}: could not {} it in Alertmanager (attempt {}): {}; trying again in {}", id,
					(state == State.PENDING) ? "create" : "expire", attempts, ex.getMessage(), wait);
			return Optional.of(wait);
		}
		catch (AlertmanagerClient.Refused ex) {
			String reason = ((state == State.PENDING) ? "Alertmanager refused the silence: "
					: "Alertmanager refused to expire the silence: ") + ex.getMessage();
			this.jdbc.sql("""
					update silence set alertmanager_state = 'failed', alertmanager_error = ?,
					    alertmanager_attempts = alertmanager_attempts + 1
					where id = ? and alertmanager_state in ('pending', 'expiring')""")
				.params(reason, id.value())
				.update();
			log.warn("Silence {}: {}", id, reason);
			return Optional.empty();
		}
	}

	private void create(Silence silence) {
		Instant now = this.clock.instant();
		if (!silence.endsAt().isAfter(now)) {
			// It ended before Alertmanager could be reached: nothing is left to silence.
			this.jdbc.sql("""
					update silence set alertmanager_state = 'expired',
					    alertmanager_error = coalesce(alertmanager_error || '; ', '')
					        || 'ended before it reached Alertmanager'
					where id = ? and alertmanager_state = 'pending'""").param(silence.id().value()).update();
			return;
		}
		String copy = copies(silence).stream()
			.filter((found) -> !found.expired())
			.map(AmSilence::id)
			.findFirst()
			.orElseGet(() -> this.alertmanager
				.create(new NewAmSilence(silence.matchers().stream().map(AmMatcher::of).toList(), silence.startsAt(),
						silence.endsAt(), silence.createdBy(), comment(silence))));
		int created = this.jdbc.sql("""
				update silence set alertmanager_state = 'created', alertmanager_id = ?, alertmanager_error = null,
				    alertmanager_attempts = 0, alertmanager_synced_at = ?
				where id = ? and alertmanager_state = 'pending'""")
			.params(copy, Timestamp.from(this.clock.instant()), silence.id().value())
			.update();
		if (created == 0) {
			// Expired in Warden while the copy was being made: note the copy first, so
			// that a retry expires it, then expire it.
			this.jdbc.sql("""
					update silence set alertmanager_id = ?, alertmanager_state = 'expiring'
					where id = ? and alertmanager_state in ('expiring', 'expired')""")
				.params(copy, silence.id().value())
				.update();
			this.silences.find(silence.id()).ifPresent(this::expire);
		}
	}

	private void expire(Silence silence) {
		Set<String> ids = new LinkedHashSet<>();
		if (silence.alertmanager().silenceId() != null) {
			ids.add(silence.alertmanager().silenceId());
		}
		Instant now = this.clock.instant();
		if (silence.endsAt().isAfter(now)) {
			// A creation whose answer was lost may have left a copy Warden has no id of.
			copies(silence).stream().filter((found) -> !found.expired()).forEach((found) -> ids.add(found.id()));
			ids.forEach(this.alertmanager::expire);
		}
		// else: the copy ended with the silence, at the same time.
		this.jdbc.sql("""
				update silence set alertmanager_state = 'expired', alertmanager_error = null,
				    alertmanager_attempts = 0, alertmanager_synced_at = ?
				where id = ? and alertmanager_state = 'expiring'""")
			.params(Timestamp.from(this.clock.instant()), silence.id().value())
			.update();
	}

	/** Alertmanager's silences whose comment names this Warden silence. */
	private List<AmSilence> copies(Silence silence) {
		return this.alertmanager.silences()
			.stream()
			.filter((found) -> wardenId(found.comment()).filter(silence.id()::equals).isPresent())
			.toList();
	}

	/** Notes a failed attempt. @return failed attempts in a row, this one included */
	private int failedAttempt(SilenceId id, String reason) {
		return this.jdbc.sql("""
				update silence set alertmanager_error = ?, alertmanager_attempts = alertmanager_attempts + 1
				where id = ? returning alertmanager_attempts""")
			.params(reason, id.value())
			.query(Integer.class)
			.optional()
			.orElse(1);
	}

	/** See {@link Backoff#capped}. */
	static Duration backoff(int attempt, Duration initialBackoff, Duration maxBackoff) {
		return Backoff.capped(attempt, initialBackoff, maxBackoff);
	}

	/** The job. */
	@Configuration(proxyBeanMethods = false)
	static class Job {

		/**
		 * After an exception (the database away, or a bug) the job runs again this late.
		 */
		static final Duration AFTER_ERROR = Duration.ofSeconds(10);

		@Bean
		CustomTask<String> alertmanagerSilenceSyncTask(AlertmanagerSync sync) {
			return Tasks.custom(TASK)
				.onFailure((complete, operations) -> operations.reschedule(complete,
						complete.getTimeDone().plus(AFTER_ERROR)))
				.onDeadExecutionRevive()
				.execute((instance, context) -> {
					Optional<Duration> again = sync.sync(instance.getData());
					return (complete, operations) -> {
						if (again.isPresent()) {
							operations.reschedule(complete, complete.getTimeDone().plus(again.get()));
						}
						else {
							operations.remove();
						}
					};
				});
		}

	}

}
