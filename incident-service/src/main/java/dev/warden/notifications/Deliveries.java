package dev.warden.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;
import dev.warden.incidents.Actor;
import dev.warden.incidents.Incident;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.notifications.email.Email;
import dev.warden.notifications.email.EmailComposer;
import dev.warden.notifications.email.EmailFailure;
import dev.warden.notifications.email.EmailGateway;
import dev.warden.notifications.email.EmailKind;
import dev.warden.notifications.slack.Posted;
import dev.warden.notifications.slack.SlackBusy;
import dev.warden.notifications.slack.SlackFailure;
import dev.warden.notifications.slack.SlackGateway;
import dev.warden.notifications.slack.SlackMessages;
import dev.warden.notifications.slack.SlackPost;
import dev.warden.notifications.slack.Urgency;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers owed messages, one attempt per job run: posts and replies in Slack, sends
 * email, and decides after a failure whether and when to try again. A Slack post whose
 * outcome is unknown (a timeout, a reset connection, a crash) is looked up by its
 * idempotency key before it is posted again, so it lands once.
 * <p>
 * Slack is paced (see {@link SlackGateway}): a delivery or update whose turn has not come
 * returns when to come back, and its job is rescheduled for then, spending no attempt and
 * holding no worker thread. A new incident's first message in a channel goes before other
 * incidents' replies and updates: its job runs at a higher priority, and it may use the
 * channel's whole burst while replies leave most of it to first messages.
 */
@Component
class Deliveries {

	private static final Logger log = LoggerFactory.getLogger(Deliveries.class);

	/**
	 * How long a card update waits for more changes: changes this close together make one
	 * update.
	 */
	static final Duration COALESCE = Duration.ofSeconds(1);

	/** How long a reply waits for its thread's message before looking again. */
	static final Duration THREAD_WAIT = Duration.ofSeconds(2);

	/**
	 * The sweep leaves alone what changed more recently than this: it may be in flight.
	 */
	static final Duration SETTLED = Duration.ofSeconds(30);

	private final NotificationStore store;

	private final IncidentService incidents;

	private final IncidentViews views;

	private final SlackGateway slack;

	private final EmailGateway email;

	private final EmailComposer composer;

	private final SchedulerClient scheduler;

	private final NotificationSettings settings;

	private final MeterRegistry meters;

	private final Clock clock;

	private final TransactionTemplate transactions;

	private final Audit audit;

	/**
	 * The job scheduler's clock: a job due "in a second" is due a second from its now.
	 */
	private final com.github.kagkarlsson.scheduler.Clock schedulerClock;

	Deliveries(NotificationStore store, IncidentService incidents, IncidentViews views, SlackGateway slack,
			EmailGateway email, EmailComposer composer, @Lazy SchedulerClient scheduler, NotificationSettings settings,
			MeterRegistry meters, Clock clock, PlatformTransactionManager transactionManager, Audit audit,
			com.github.kagkarlsson.scheduler.Clock schedulerClock) {
		this.audit = audit;
		this.schedulerClock = schedulerClock;
		this.store = store;
		this.incidents = incidents;
		this.views = views;
		this.slack = slack;
		this.email = email;
		this.composer = composer;
		this.scheduler = scheduler;
		this.settings = settings;
		this.meters = meters;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * Schedules a notification's delivery job, in the caller's transaction, at the
	 * priority of its kind.
	 */
	void schedule(long notificationId, String kind, Instant at) {
		NotificationJobs.scheduleDelivery(this.scheduler, notificationId, NotificationJobs.deliveryPriority(kind), at);
	}

	/**
	 * Schedules an update of the incident's Slack messages in {@link #COALESCE}, in the
	 * caller's transaction, unless one is scheduled already: changes until it runs make
	 * one update.
	 */
	void refreshSoon(long incidentId) {
		if (this.slack.enabled()) {
			NotificationJobs.scheduleRefresh(this.scheduler, incidentId, this.schedulerClock.now().plus(COALESCE));
		}
	}

	/**
	 * One delivery attempt.
	 * @return when to try again (from now), or empty when the notification is done: sent,
	 * failed, or gone
	 */
	Optional<Duration> deliver(long notificationId) {
		Notification notification = this.store.notification(notificationId).orElse(null);
		if (notification == null || !notification.pending()) {
			return Optional.empty();
		}
		int attempt = notification.attempts() + 1;
		try {
			Outcome outcome = switch (notification.channel()) {
				case SLACK -> slack(notification);
				case EMAIL -> email(notification);
			};
			if (outcome == null) {
				return Optional.of(THREAD_WAIT);
			}
			sent(notification, attempt, outcome);
			return Optional.empty();
		}
		catch (SlackBusy busy) {
			return Optional.of(busy.retryIn());
		}
		catch (SlackFailure failure) {
			return failed(notification, attempt, failure.kind() == SlackFailure.Kind.PERMANENT,
					failure.kind() == SlackFailure.Kind.AMBIGUOUS, failure.retryAfter(), failure.reason());
		}
		catch (EmailFailure failure) {
			return failed(notification, attempt, failure.kind() == EmailFailure.Kind.PERMANENT, false, Optional.empty(),
					failure.reason());
		}
		catch (Undeliverable ex) {
			return failed(notification, attempt, true, false, Optional.empty(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			// A bug or an unmapped failure counts as an attempt, so it ends visibly
			// failed
			// rather than retrying unseen; a Slack post may have gone out.
			log.error("Unexpected failure delivering notification {}", notificationId, ex);
			return failed(notification, attempt, false, notification.channel() == Channel.SLACK, Optional.empty(),
					"unexpected error: " + ex);
		}
	}

	/**
	 * Updates the incident's Slack messages that do not show its current state. Changes
	 * made while the update waits for its turn or runs are coalesced: the next run
	 * renders the newest state, so a state superseded before it was sent is never sent.
	 * @return when to try again, or empty when done
	 */
	Optional<Duration> refresh(long incidentId) {
		List<NotificationStore.SlackThread> threads = this.store.threads(incidentId);
		if (threads.isEmpty() || !this.slack.enabled()) {
			return Optional.empty();
		}
		Incident incident = this.incidents.get(new IncidentId(incidentId));
		long rendered = lastEventId(incident);
		List<NotificationStore.SlackThread> behind = threads.stream()
			.filter((thread) -> thread.renderedEventId() < rendered)
			.toList();
		if (!behind.isEmpty()) {
			var card = this.views.card(incident, mentions(incidentId));
			for (NotificationStore.SlackThread thread : behind) {
				try {
					this.slack.update(thread.channelId(), thread.ts(), SlackMessages.text(card),
							SlackMessages.blocks(card));
				}
				catch (SlackBusy busy) {
					return Optional.of(busy.retryIn());
				}
				catch (SlackFailure failure) {
					if (failure.kind() != SlackFailure.Kind.PERMANENT) {
						this.meters.counter("warden.notifications.updates", "outcome", "retried").increment();
						return Optional.of(failure.retryAfter().orElse(this.settings.initialBackoff()));
					}
					log.warn("Cannot update the Slack message of incident {} in {}: {}", incidentId, thread.channel(),
							failure.reason());
				}
				this.transactions
					.executeWithoutResult((status) -> this.store.markRendered(incidentId, thread.channel(), rendered));
			}
			this.meters.counter("warden.notifications.updates", "outcome", "updated").increment();
		}
		long latest = this.store.latestNews(incidentId);
		// A change that committed while this update ran may have found this job running
		// and not scheduled another: look once more.
		return (latest != rendered) ? Optional.of(COALESCE) : Optional.empty();
	}

	/** Owes a failed notification again, with a fresh attempt budget. */
	Notification resend(long notificationId, String by) {
		return this.transactions.execute((status) -> {
			Notification notification = this.store.lockNotification(notificationId)
				.orElseThrow(() -> new NotificationNotFound(notificationId));
			if (!this.store.resend(notificationId)) {
				throw new NotificationNotFailed(notification);
			}
			Instant now = this.clock.instant();
			this.incidents.record(new IncidentId(notification.incidentId()),
					new TimelineEntry(Kinds.RESENT, Actor.user(by),
							"%s to %s owed again by %s".formatted(describe(notification), notification.target(), by),
							Map.of("notification", notificationId, "target", notification.target())));
			schedule(notificationId, notification.kind(), now);
			this.audit.recordAs(by, "notification.resend", "notification " + notificationId, "failed", "pending",
					Map.of("incident", new IncidentId(notification.incidentId()).toString(), "channel",
							notification.channel().value(), "to", notification.target()));
			return this.store.notification(notificationId).orElseThrow();
		});
	}

	private Outcome slack(Notification notification) {
		if (!this.slack.enabled()) {
			throw new Undeliverable("Slack is not configured");
		}
		return switch (notification.kind()) {
			case Kinds.SLACK_MESSAGE -> message(notification);
			case Kinds.SLACK_REPLY -> reply(notification);
			default -> throw new Undeliverable("unknown Slack notification kind " + notification.kind());
		};
	}

	private Outcome message(Notification notification) {
		long incidentId = notification.incidentId();
		var existing = this.store.thread(incidentId, notification.target());
		if (existing.isPresent()) {
			return new Outcome(existing.get().ts(), null);
		}
		if (notification.inFlightSince() != null) {
			Optional<Posted> found = this.slack.findPosted(notification.target(), null, notification.idempotencyKey(),
					notification.inFlightSince());
			if (found.isPresent()) {
				// What it shows is unknown: the refresh after it is sent brings it up to
				// date.
				return posted(notification, found.get(), 0);
			}
		}
		Incident incident = this.incidents.get(new IncidentId(incidentId));
		var card = this.views.card(incident, notification.mentions());
		this.slack.awaitTurnToPost(notification.target(), Urgency.FIRST_MESSAGE);
		inFlight(notification);
		Posted posted = this.slack.post(new SlackPost(notification.target(), null, SlackMessages.text(card),
				SlackMessages.blocks(card), notification.idempotencyKey()));
		return posted(notification, posted, lastEventId(incident));
	}

	private Outcome posted(Notification notification, Posted posted, long renderedEventId) {
		var thread = new NotificationStore.SlackThread(notification.incidentId(), notification.target(),
				posted.channelId(), posted.ts(), this.clock.instant(), renderedEventId);
		return new Outcome(posted.ts(), thread);
	}

	private Outcome reply(Notification notification) {
		var thread = this.store.thread(notification.incidentId(), notification.target()).orElse(null);
		if (thread == null) {
			boolean messageFailed = this.store.notifications(notification.incidentId())
				.stream()
				.anyMatch((other) -> Kinds.SLACK_MESSAGE.equals(other.kind())
						&& other.target().equals(notification.target()) && "failed".equals(other.status()));
			if (messageFailed) {
				throw new Undeliverable("the incident's message in " + notification.target() + " was never posted");
			}
			return null;
		}
		if (notification.inFlightSince() != null) {
			Optional<Posted> found = this.slack.findPosted(thread.channelId(), thread.ts(),
					notification.idempotencyKey(), notification.inFlightSince());
			if (found.isPresent()) {
				return new Outcome(found.get().ts(), null);
			}
		}
		this.slack.awaitTurnToPost(thread.channelId(), Urgency.FOLLOW_UP);
		inFlight(notification);
		String summary = notification.text("summary");
		Posted posted = this.slack.post(new SlackPost(thread.channelId(), thread.ts(),
				SlackMessages.reply((summary != null) ? summary : "", notification.mentions()), List.of(),
				notification.idempotencyKey()));
		return new Outcome(posted.ts(), null);
	}

	private Outcome email(Notification notification) {
		if (!this.email.enabled()) {
			throw new Undeliverable("email is not configured");
		}
		EmailKind kind = switch (notification.kind()) {
			case Kinds.EMAIL_OPENED -> EmailKind.OPENED;
			case Kinds.EMAIL_ESCALATED -> EmailKind.ESCALATED;
			case Kinds.EMAIL_RESOLVED -> EmailKind.RESOLVED;
			default -> throw new Undeliverable("unknown email kind " + notification.kind());
		};
		Incident incident = this.incidents.get(new IncidentId(notification.incidentId()));
		Email message = this.composer.compose(kind, this.views.mail(incident, notification.text("zone")),
				List.of(notification.target()), (notification.eventId() != null) ? notification.eventId() : 0,
				notification.text("detail"));
		this.email.send(message);
		return new Outcome(message.messageId(), null);
	}

	/** Marks a Slack post as on the wire, committed before it is sent. */
	private void inFlight(Notification notification) {
		this.transactions
			.executeWithoutResult((status) -> this.store.markInFlight(notification.id(), this.clock.instant()));
	}

	private void sent(Notification notification, int attempt, Outcome outcome) {
		this.transactions.executeWithoutResult((status) -> {
			if (outcome.thread() != null) {
				this.store.saveThread(outcome.thread());
			}
			this.store.markSent(notification.id(), attempt, outcome.externalId(), this.clock.instant());
			this.incidents.record(new IncidentId(notification.incidentId()),
					new TimelineEntry(Kinds.SENT, Actor.SYSTEM,
							"%s sent to %s (attempt %d)".formatted(describe(notification), notification.target(),
									attempt),
							Map.of("notification", notification.id(), "channel", notification.channel().value(),
									"target", notification.target(), "attempts", attempt)));
			if (outcome.thread() != null
					&& this.store.latestNews(notification.incidentId()) > outcome.thread().renderedEventId()) {
				// The message was rendered before later changes: bring it up to date.
				// Read
				// under the incident's lock (taken by record): a change after it
				// schedules
				// its own refresh.
				refreshSoon(notification.incidentId());
			}
		});
		this.meters.counter("warden.notifications", "channel", notification.channel().value(), "outcome", "sent")
			.increment();
	}

	/**
	 * Reschedules work whose job went missing: a job that finished just as a change found
	 * it still running and so scheduled nothing. Pending notifications without a job,
	 * Slack messages behind their incident's timeline, running escalations without a
	 * timer.
	 * @return how many jobs were scheduled again
	 */
	int sweep() {
		Instant now = this.clock.instant();
		Instant settled = now.minus(SETTLED);
		int scheduled = 0;
		for (long id : this.store.pendingWithoutJob(settled)) {
			String kind = this.store.notification(id).map(Notification::kind).orElse("");
			this.transactions.executeWithoutResult((status) -> schedule(id, kind, now));
			scheduled++;
		}
		if (this.slack.enabled()) {
			for (long incident : this.store.messagesBehind(settled)) {
				this.transactions
					.executeWithoutResult((status) -> NotificationJobs.scheduleRefresh(this.scheduler, incident, now));
				scheduled++;
			}
		}
		for (NotificationStore.EscalationState state : this.store.escalationsWithoutTimer(settled)) {
			this.transactions.executeWithoutResult((status) -> NotificationJobs.scheduleEscalation(this.scheduler,
					state.incidentId(), state.nextAt().isBefore(now) ? now : state.nextAt()));
			scheduled++;
		}
		return scheduled;
	}

	private Optional<Duration> failed(Notification notification, int attempt, boolean permanent, boolean ambiguous,
			Optional<Duration> retryAfter, String reason) {
		String channel = notification.channel().value();
		if (permanent || attempt >= this.settings.maxAttempts()) {
			String why = permanent ? reason : "gave up after %d attempts; last error: %s".formatted(attempt, reason);
			this.transactions.executeWithoutResult((status) -> {
				this.store.markFailed(notification.id(), attempt, reason, this.clock.instant());
				this.incidents.record(new IncidentId(notification.incidentId()),
						new TimelineEntry(Kinds.FAILED, Actor.SYSTEM,
								"%s to %s failed: %s".formatted(describe(notification), notification.target(), why),
								Map.of("notification", notification.id(), "channel", channel, "target",
										notification.target(), "attempts", attempt, "reason", reason)));
			});
			this.meters.counter("warden.notifications", "channel", channel, "outcome", "failed").increment();
			log.warn("{} to {} for incident {} failed: {}", describe(notification), notification.target(),
					notification.incidentId(), why);
			return Optional.empty();
		}
		boolean keepInFlight = ambiguous || notification.inFlightSince() != null;
		this.transactions
			.executeWithoutResult((status) -> this.store.markRetry(notification.id(), attempt, reason, keepInFlight));
		this.meters.counter("warden.notifications", "channel", channel, "outcome", "retried").increment();
		Duration wait = retryAfter.orElseGet(() -> backoff(attempt));
		log.info("{} to {} for incident {}: attempt {} failed ({}); trying again in {}", describe(notification),
				notification.target(), notification.incidentId(), attempt, reason, wait);
		return Optional.of(wait);
	}

	/** Exponential backoff with jitter: half to all of initial × 2^(attempt−1). */
	private Duration backoff(int attempt) {
		long initial = this.settings.initialBackoff().toMillis();
		long max = this.settings.maxBackoff().toMillis();
		long exponential = (attempt >= 31) ? max : Math.min(max, initial * (1L << (attempt - 1)));
		long jittered = exponential / 2 + ThreadLocalRandom.current().nextLong(exponential / 2 + 1);
		return Duration.ofMillis(jittered);
	}

	private List<String> mentions(long incidentId) {
		return this.store.plan(incidentId).map(NotificationStore.Plan::mentions).orElse(List.of());
	}

	private static long lastEventId(Incident incident) {
		return incident.timeline()
			.stream()
			.filter((event) -> Kinds.isNews(event.type()))
			.mapToLong((event) -> event.id())
			.max()
			.orElse(0);
	}

	static String describe(Notification notification) {
		return switch (notification.kind()) {
			case Kinds.SLACK_MESSAGE -> "Slack message";
			case Kinds.SLACK_REPLY -> "Slack thread reply";
			case Kinds.EMAIL_OPENED -> "Email (opened)";
			case Kinds.EMAIL_ESCALATED -> "Email (escalated)";
			case Kinds.EMAIL_RESOLVED -> "Email (resolved)";
			default -> notification.kind();
		};
	}

	/**
	 * What a successful attempt produced.
	 *
	 * @param externalId Slack's ts or the email's Message-ID
	 * @param thread the incident's new Slack message, to remember, or null
	 */
	private record Outcome(String externalId, NotificationStore.SlackThread thread) {
	}

	/** Nothing can deliver this notification: it fails at once. */
	private static final class Undeliverable extends RuntimeException {

		Undeliverable(String message) {
			super(message);
		}

	}

}
