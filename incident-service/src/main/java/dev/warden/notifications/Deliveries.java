package dev.warden.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;
import dev.warden.incidents.Actor;
import dev.warden.incidents.Durations;
import dev.warden.incidents.IncidentView;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.jobs.Backoff;
import dev.warden.notifications.email.Email;
import dev.warden.notifications.email.EmailComposer;
import dev.warden.notifications.email.EmailFailure;
import dev.warden.notifications.email.EmailGateway;
import dev.warden.notifications.email.EmailKind;
import dev.warden.notifications.slack.IncidentCard;
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
	 * How long a message waits before looking again while an earlier message to its
	 * target is failing; the earlier one moves it forward when it is done, unless this
	 * one's job is running at that moment: then this wait is how late it goes.
	 */
	static final Duration TURN_WAIT = Duration.ofSeconds(5);

	/**
	 * How long past its horizon a rate-limited message keeps waiting for Slack's
	 * {@code Retry-After} (at most an hour) instead of giving up: a 429 is no attempt, so
	 * a message whose last attempt was rate limited, or whose turn came only after its
	 * horizon, still gets a real last attempt.
	 */
	static final Duration RATE_LIMITED_GRACE = Duration.ofHours(1);

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
			this.store.lockRefresh(incidentId);
			NotificationJobs.scheduleRefresh(this.scheduler, incidentId, this.schedulerClock.now().plus(COALESCE));
		}
	}

	/**
	 * Ends the incident's refresh job (by {@code remove}, in this method's transaction)
	 * if every Slack message shows the newest news, under the lock {@link #refreshSoon}
	 * takes: a caller that found the job scheduled while it ran, and so scheduled none,
	 * committed what it changed before this looks, or looks for the job after it is gone.
	 * Without the lock such a change would wait for the sweep.
	 * @return empty when the job ended; when there is news to show, when the job runs
	 * again
	 */
	Optional<Instant> endRefresh(long incidentId, Runnable remove) {
		return this.transactions.execute((status) -> {
			this.store.lockRefresh(incidentId);
			if (this.slack.enabled() && this.store.anyMessageBehind(incidentId)) {
				return Optional.of(this.schedulerClock.now().plus(COALESCE));
			}
			remove.run();
			return Optional.<Instant>empty();
		});
	}

	/**
	 * One delivery attempt, unless an earlier message of the incident to the same target
	 * is still owed: messages to one channel or address go out in the order they were
	 * owed.
	 * @return when to try again (from now), or empty when the notification is done: sent,
	 * failed, or gone
	 */
	Optional<Duration> deliver(long notificationId) {
		Notification notification = this.store.notification(notificationId).orElse(null);
		if (notification == null || !notification.pending()) {
			return Optional.empty();
		}
		Optional<Duration> turn = awaitTurn(notification);
		if (turn.isPresent()) {
			return turn;
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
			nudgeNext(notification);
			return Optional.empty();
		}
		catch (SlackBusy busy) {
			return Optional.of(busy.retryIn());
		}
		catch (SlackFailure failure) {
			return failed(notification, attempt, Failure.of(failure));
		}
		catch (EmailFailure failure) {
			return failed(notification, attempt, Failure.of(failure));
		}
		catch (Undeliverable ex) {
			return failed(notification, attempt, Failure.permanent(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			// A bug or an unmapped failure is retried like an outage, so it ends visibly
			// failed at the horizon rather than never; a Slack post may have gone out.
			log.error("Unexpected failure delivering notification {}", notificationId, ex);
			return failed(notification, attempt, new Failure(Failure.Kind.TRANSIENT,
					notification.channel() == Channel.SLACK, Optional.empty(), "unexpected error: " + ex));
		}
	}

	/**
	 * How long to wait while an earlier message of the incident to the same target is
	 * owed: an incident's thread replies go out in order, as do its emails to one address
	 * (opened, escalated, resolved). A Slack message never waits: it starts its thread.
	 * @return the wait, or empty when it is this notification's turn
	 */
	private Optional<Duration> awaitTurn(Notification notification) {
		if (Kinds.SLACK_MESSAGE.equals(notification.kind())) {
			return Optional.empty();
		}
		return this.store.earlierPending(notification)
			// One that is failing may take long (an outage): look again just after its
			// next attempt (at least TURN_WAIT, at most the longest backoff), so a long
			// outage does not run every waiting message's job every few seconds; it
			// nudges this one when it is delivered or given up.
			.map((earlier) -> (earlier.attempts() > 0 || earlier.lastError() != null) ? afterAttemptOf(earlier)
					: THREAD_WAIT);
	}

	private Duration afterAttemptOf(Notification earlier) {
		Duration max = (this.settings.maxBackoff().compareTo(TURN_WAIT) > 0) ? this.settings.maxBackoff() : TURN_WAIT;
		return this.store.nextAttempt(earlier.id())
			.map((at) -> Duration.between(this.schedulerClock.now(), at).plus(THREAD_WAIT))
			.map((wait) -> (wait.compareTo(TURN_WAIT) < 0) ? TURN_WAIT : (wait.compareTo(max) > 0) ? max : wait)
			.orElse(TURN_WAIT);
	}

	/**
	 * Lets the next message owed to the same target go now rather than at its next look,
	 * once this one no longer holds it up. Runs after this one's outcome committed.
	 */
	private void nudgeNext(Notification notification) {
		List<Long> later = this.store.laterPending(notification);
		if (later.isEmpty()) {
			return;
		}
		try {
			this.scheduler.reschedule(NotificationJobs.DELIVERY.instanceId(String.valueOf(later.getFirst())),
					this.clock.instant());
		}
		catch (RuntimeException ex) {
			// Running right now, or its job is gone (the sweep owes it again): it looks
			// for its turn by itself.
			log.debug("Could not move the delivery of notification {} forward: {}", later.getFirst(), ex.toString());
		}
	}

	/**
	 * Updates the incident's Slack messages that do not show its current state. Changes
	 * made while the update waits for its turn or runs are coalesced: the next run
	 * renders the newest state, so a state superseded before it was sent is never sent.
	 * While Slack fails, updates are retried with the deliveries' capped exponential
	 * backoff, counted per message from its last update that went through.
	 * @return when to try again, or empty when done
	 */
	Optional<Duration> refresh(long incidentId) {
		List<NotificationStore.SlackThread> threads = this.store.threads(incidentId);
		if (threads.isEmpty() || !this.slack.enabled()) {
			return Optional.empty();
		}
		IncidentView incident = this.incidents.get(new IncidentId(incidentId));
		long rendered = lastEventId(incident);
		List<NotificationStore.SlackThread> behind = threads.stream()
			.filter((thread) -> thread.renderedEventId() < rendered)
			.toList();
		if (!behind.isEmpty()) {
			var card = this.views.card(incident, mentions(incidentId));
			for (NotificationStore.SlackThread thread : behind) {
				Optional<Duration> again = update(incidentId, thread, card, rendered);
				if (again.isPresent()) {
					return again;
				}
			}
			this.meters.counter("warden.notifications.updates", "outcome", "updated").increment();
		}
		// Changes may have come in while this ran: after an update, look again a moment
		// later; a run with nothing to update ends (see endRefresh) unless one did.
		return behind.isEmpty() ? Optional.empty() : Optional.of(COALESCE);
	}

	/**
	 * Updates one Slack message to the card, and records what it shows. A message Slack
	 * refuses for good is given up (and counts as shown).
	 * @return when to try again: Warden's pace, Slack's rate limit, or an outage (backed
	 * off like deliveries, by this message's failed updates in a row, so that a long
	 * outage costs a few calls, not hundreds); empty when done
	 */
	private Optional<Duration> update(long incidentId, NotificationStore.SlackThread thread, IncidentCard card,
			long rendered) {
		try {
			this.slack.update(thread.channelId(), thread.ts(), SlackMessages.text(card), SlackMessages.blocks(card));
		}
		catch (SlackBusy busy) {
			return Optional.of(busy.retryIn());
		}
		catch (SlackFailure failure) {
			if (failure.kind() == SlackFailure.Kind.RATE_LIMITED) {
				this.meters.counter("warden.notifications.updates", "outcome", "retried").increment();
				return Optional.of(failure.retryAfter().orElse(this.settings.initialBackoff()));
			}
			if (failure.kind() != SlackFailure.Kind.PERMANENT) {
				Integer failures = this.transactions
					.execute((status) -> this.store.markUpdateFailed(incidentId, thread.channel()));
				this.meters.counter("warden.notifications.updates", "outcome", "retried").increment();
				return Optional.of(backoff((failures != null) ? failures : 1));
			}
			log.warn("Cannot update the Slack message of incident {} in {}: {}", incidentId, thread.channel(),
					failure.reason());
		}
		this.transactions
			.executeWithoutResult((status) -> this.store.markRendered(incidentId, thread.channel(), rendered));
		return Optional.empty();
	}

	/**
	 * Owes a failed notification again, with a fresh attempt count and a retry horizon
	 * that starts now. Resending an incident's Slack message that was never posted also
	 * owes again the thread replies that failed with it.
	 */
	Notification resend(long notificationId, String by) {
		return this.transactions.execute((status) -> {
			Notification notification = this.store.lockNotification(notificationId)
				.orElseThrow(() -> new NotificationNotFound(notificationId));
			Instant now = this.clock.instant();
			if (!this.store.resend(notificationId, now)) {
				throw new NotificationNotFailed(notification);
			}
			List<Long> replies = failedReplies(notification);
			replies.forEach((reply) -> this.store.resend(reply, now));
			String withReplies = replies.isEmpty() ? ""
					: " with %d thread repl%s".formatted(replies.size(), (replies.size() == 1) ? "y" : "ies");
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("notification", notificationId);
			details.put("target", notification.target());
			Map<String, Object> audited = new LinkedHashMap<>();
			audited.put("incident", new IncidentId(notification.incidentId()).toString());
			audited.put("channel", notification.channel().value());
			audited.put("to", notification.target());
			if (!replies.isEmpty()) {
				details.put("replies", replies);
				audited.put("replies", replies.toString());
			}
			this.incidents.record(new IncidentId(notification.incidentId()),
					new TimelineEntry(Kinds.RESENT, Actor.user(by), "%s to %s owed again%s by %s"
						.formatted(describe(notification), notification.target(), withReplies, by), details));
			schedule(notificationId, notification.kind(), now);
			// The replies wait for the message's post, then go in order.
			replies.forEach((reply) -> schedule(reply, Kinds.SLACK_REPLY, now));
			this.audit.recordAs(by, "notification.resend", "notification " + notificationId, "failed", "pending",
					audited);
			return this.store.notification(notificationId).orElseThrow();
		});
	}

	/**
	 * The failed thread replies of a Slack message that was never posted: they failed
	 * because it failed.
	 */
	private List<Long> failedReplies(Notification notification) {
		if (!Kinds.SLACK_MESSAGE.equals(notification.kind())
				|| this.store.thread(notification.incidentId(), notification.target()).isPresent()) {
			return List.of();
		}
		return this.store.notifications(notification.incidentId())
			.stream()
			.filter((other) -> Kinds.SLACK_REPLY.equals(other.kind()) && other.target().equals(notification.target())
					&& other.failed())
			.map(Notification::id)
			.toList();
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
		IncidentView incident = this.incidents.get(new IncidentId(incidentId));
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
		// Paced by the channel as routing names it, like the incident's message: every
		// instance then paces the channel's pages and replies as one.
		this.slack.awaitTurnToPost(thread.channel(), Urgency.FOLLOW_UP);
		inFlight(notification);
		String summary = notification.text("summary");
		Posted posted = this.slack.post(new SlackPost(thread.channelId(), thread.ts(),
				SlackMessages.reply((summary != null) ? summary : "", notification.mentions()), List.of(),
				notification.idempotencyKey(), thread.channel()));
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
		IncidentView incident = this.incidents.get(new IncidentId(notification.incidentId()));
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
				// Read under the incident's lock (taken by record): a change after it
				// schedules its own refresh.
				refreshSoon(notification.incidentId());
			}
		});
		this.meters.counter("warden.notifications", "channel", notification.channel().value(), "outcome", "sent")
			.increment();
	}

	/**
	 * Reschedules work whose job went missing: a job that finished just as a change found
	 * it still running and so scheduled nothing: pending notifications without a job,
	 * Slack messages behind their incident's timeline ({@code escalation} sweeps its own
	 * timers).
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
		return scheduled;
	}

	/**
	 * Decides after a failed attempt: a permanent failure fails at once; a rate limit
	 * waits as long as Slack asked and costs no attempt; anything else is tried again
	 * with capped exponential backoff until the horizon
	 * ({@link NotificationSettings#giveUpAfter()} after the message was owed) has passed.
	 * A rate limit at or after the horizon still waits, for up to
	 * {@link #RATE_LIMITED_GRACE}, so that the last attempt is a real one.
	 */
	private Optional<Duration> failed(Notification notification, int attempt, Failure failure) {
		String channel = notification.channel().value();
		Instant now = this.clock.instant();
		Instant horizon = notification.owedSince().plus(this.settings.giveUpAfter());
		boolean rateLimited = failure.kind() == Failure.Kind.RATE_LIMITED;
		int attempts = rateLimited ? notification.attempts() : attempt;
		// A 429 is no attempt: past the horizon it waits (for a while) for a real one.
		Instant givesUpAt = rateLimited ? horizon.plus(RATE_LIMITED_GRACE) : horizon;
		if (failure.kind() == Failure.Kind.PERMANENT || !now.isBefore(givesUpAt)) {
			String why = (failure.kind() == Failure.Kind.PERMANENT) ? failure.reason()
					: "gave up after %s and %d attempt%s; last error: %s".formatted(
							Durations.words(Duration.between(notification.owedSince(), now)), attempts,
							(attempts == 1) ? "" : "s", failure.reason());
			this.transactions.executeWithoutResult((status) -> {
				this.store.markFailed(notification.id(), attempts, why, now);
				this.incidents.record(new IncidentId(notification.incidentId()),
						new TimelineEntry(Kinds.FAILED, Actor.SYSTEM,
								"%s to %s failed: %s".formatted(describe(notification), notification.target(), why),
								Map.of("notification", notification.id(), "channel", channel, "target",
										notification.target(), "attempts", attempts, "reason", failure.reason(),
										"permanent", failure.kind() == Failure.Kind.PERMANENT)));
			});
			this.meters.counter("warden.notifications", "channel", channel, "outcome", "failed").increment();
			log.warn("{} to {} for incident {} failed: {}", describe(notification), notification.target(),
					notification.incidentId(), why);
			nudgeNext(notification);
			return Optional.empty();
		}
		Duration wait;
		if (rateLimited) {
			// Slack did nothing and said when to come back; the wait is not an attempt.
			// Nothing was posted, so the next attempt needs no lookup, unless an earlier
			// attempt's outcome is still unknown.
			boolean keepInFlight = notification.inFlightSince() != null;
			this.transactions.executeWithoutResult(
					(status) -> this.store.markRateLimited(notification.id(), failure.reason(), keepInFlight));
			this.meters.counter("warden.notifications", "channel", channel, "outcome", "rate_limited").increment();
			wait = failure.retryAfter().orElse(this.settings.initialBackoff());
		}
		else {
			boolean keepInFlight = failure.ambiguous() || notification.inFlightSince() != null;
			this.transactions.executeWithoutResult(
					(status) -> this.store.markRetry(notification.id(), attempt, failure.reason(), keepInFlight));
			this.meters.counter("warden.notifications", "channel", channel, "outcome", "retried").increment();
			// The last attempt is made at the horizon, not a backoff after it.
			Duration left = Duration.between(now, horizon);
			Duration backoff = failure.retryAfter().orElseGet(() -> backoff(attempt));
			wait = (backoff.compareTo(left) > 0) ? left : backoff;
		}
		log.info("{} to {} for incident {}: attempt {} failed ({}); trying again in {}", describe(notification),
				notification.target(), notification.incidentId(), attempt, failure.reason(), wait);
		return Optional.of(wait);
	}

	private Duration backoff(int attempt) {
		return backoff(attempt, this.settings.initialBackoff(), this.settings.maxBackoff());
	}

	/** See {@link Backoff#capped}. */
	static Duration backoff(int attempt, Duration initialBackoff, Duration maxBackoff) {
		return Backoff.capped(attempt, initialBackoff, maxBackoff);
	}

	private List<String> mentions(long incidentId) {
		return this.store.plan(incidentId).map(NotificationStore.Plan::mentions).orElse(List.of());
	}

	private static long lastEventId(IncidentView incident) {
		return incident.timeline()
			.stream()
			.filter((event) -> event.type().news())
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

	/**
	 * Why an attempt failed, in the terms the retry decision needs.
	 *
	 * @param kind whether to give up, wait for a rate limit or try again
	 * @param ambiguous whether the attempt may have posted (look it up before posting
	 * again)
	 * @param retryAfter how long the other side asked to wait, when it said
	 * @param reason the error, short enough for the timeline
	 */
	private record Failure(Kind kind, boolean ambiguous, Optional<Duration> retryAfter, String reason) {

		static Failure of(SlackFailure failure) {
			Kind kind = switch (failure.kind()) {
				case PERMANENT -> Kind.PERMANENT;
				case RATE_LIMITED -> Kind.RATE_LIMITED;
				case TRANSIENT, AMBIGUOUS -> Kind.TRANSIENT;
			};
			return new Failure(kind, failure.kind() == SlackFailure.Kind.AMBIGUOUS, failure.retryAfter(),
					failure.reason());
		}

		static Failure of(EmailFailure failure) {
			return (failure.kind() == EmailFailure.Kind.PERMANENT) ? permanent(failure.reason())
					: new Failure(Kind.TRANSIENT, false, Optional.empty(), failure.reason());
		}

		static Failure permanent(String reason) {
			return new Failure(Kind.PERMANENT, false, Optional.empty(), reason);
		}

		enum Kind {

			/** Trying again cannot help: fail at once. */
			PERMANENT,

			/** Nothing was done and the other side said when to come back. */
			RATE_LIMITED,

			/** Worth trying again, until the horizon. */
			TRANSIENT

		}

	}

	/** Nothing can deliver this notification: it fails at once. */
	private static final class Undeliverable extends RuntimeException {

		Undeliverable(String message) {
			super(message);
		}

	}

}
