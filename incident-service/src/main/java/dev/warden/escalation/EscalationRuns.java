package dev.warden.escalation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.kagkarlsson.scheduler.SchedulerClient;

import dev.warden.incidents.Actor;
import dev.warden.incidents.IncidentId;
import dev.warden.incidents.IncidentNotFound;
import dev.warden.incidents.IncidentService;
import dev.warden.incidents.TimelineEntry;
import dev.warden.incidents.TimelineEventType;

import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs incidents' escalation policies: level after level while nobody acknowledges, the
 * whole policy again up to its repeat count, stopping on acknowledgement or resolution.
 * Each level fired is recorded on the incident as news
 * ({@link TimelineEventType#ESCALATED}), which {@code notifications} turns into pages.
 * The timer is a durable job per incident ({@link EscalationTimers}); the incident's row
 * lock orders a level against a racing acknowledgement, and the acknowledgement wins.
 * {@code notifications} starts, hurries and stops an incident's escalation, in its own
 * transaction.
 */
@Component
public class EscalationRuns {

	static final Actor ESCALATION = new Actor(Actor.Kind.SYSTEM, "escalation");

	/** The escalation's end, when it stopped before running out of levels. */
	static final TimelineEventType STOPPED = TimelineEventType.quiet("escalation.stopped");

	/**
	 * How long a running escalation's state stays unchanged, without a timer, before the
	 * sweep sets one again: longer than a timer's own turn.
	 */
	static final Duration SETTLED = Duration.ofSeconds(30);

	private final EscalationStates store;

	private final IncidentService incidents;

	private final OnCall onCall;

	private final SchedulerClient scheduler;

	private final Clock clock;

	private final TransactionTemplate transactions;

	EscalationRuns(EscalationStates store, IncidentService incidents, OnCall onCall, @Lazy SchedulerClient scheduler,
			Clock clock, PlatformTransactionManager transactionManager) {
		this.store = store;
		this.incidents = incidents;
		this.onCall = onCall;
		this.scheduler = scheduler;
		this.clock = clock;
		this.transactions = new TransactionTemplate(transactionManager);
	}

	/**
	 * Starts (or restarts, for a reopened incident) the policy at its first level, in the
	 * caller's transaction.
	 */
	public void start(IncidentId incident, String policyName, Instant now) {
		long incidentId = incident.value();
		Optional<EscalationPolicy> policy = this.onCall.policy(policyName);
		if (policy.isEmpty()) {
			this.incidents.record(incident, new TimelineEntry(STOPPED, ESCALATION,
					"No escalation: the route names escalation policy '%s', which the on-call file does not define"
						.formatted(policyName),
					Map.of("policy", policyName)));
			return;
		}
		Instant at = now.plus(policy.get().levels().getFirst().delay());
		this.store.save(new EscalationState(incidentId, policyName, 1, 1, at, null), now);
		EscalationTimers.schedule(this.scheduler, incidentId, at);
	}

	/**
	 * Fires the incident's next level now instead of at its time (a runbook that did not
	 * help asked to escalate), in the caller's transaction. Nothing happens when the
	 * escalation is over or the incident has none.
	 */
	public void hurry(IncidentId incident, Instant now) {
		long incidentId = incident.value();
		this.store.lock(incidentId).filter(EscalationState::running).ifPresent((state) -> {
			this.store.save(
					new EscalationState(incidentId, state.policy(), state.nextLevel(), state.cycle(), now, null), now);
			EscalationTimers.schedule(this.scheduler, incidentId, now);
		});
	}

	/**
	 * Stops the incident's escalation, in the caller's transaction, and has its timer run
	 * at once to see it stopped and go away (rather than stay scheduled for a level that
	 * will never fire).
	 */
	public void stop(IncidentId incident, String reason) {
		long incidentId = incident.value();
		this.store.lock(incidentId).filter(EscalationState::running).ifPresent((state) -> {
			Instant now = this.clock.instant();
			this.store.save(
					new EscalationState(incidentId, state.policy(), state.nextLevel(), state.cycle(), null, reason),
					now);
			EscalationTimers.wake(this.scheduler, incidentId, now);
		});
	}

	/**
	 * Sets again the timers of running escalations that have none: a timer that ended
	 * just as a restart found it still running, and so scheduled nothing.
	 * @return how many timers were set
	 */
	int sweep() {
		Instant now = this.clock.instant();
		int scheduled = 0;
		for (EscalationState state : this.store.withoutTimer(now.minus(SETTLED))) {
			this.transactions.executeWithoutResult((status) -> EscalationTimers.schedule(this.scheduler,
					state.incidentId(), state.nextAt().isBefore(now) ? now : state.nextAt()));
			scheduled++;
		}
		return scheduled;
	}

	private String notTriggered(long incidentId) {
		try {
			return switch (this.incidents.status(new IncidentId(incidentId))) {
				case ACKNOWLEDGED -> "the incident was acknowledged";
				case RESOLVED -> "the incident was resolved";
				case TRIGGERED -> "the incident is no longer triggered";
			};
		}
		catch (IncidentNotFound ex) {
			return "the incident no longer exists";
		}
	}

	/**
	 * Ends a run of the incident's timer, under the escalation's lock: while the
	 * escalation runs, the timer stays, due at the next level's time as it is now (a
	 * restart or a hurry may have moved it while the timer ran); otherwise the timer
	 * goes. A restart that commits after the timer went schedules a new one (its state is
	 * written, under the same lock, before it schedules).
	 * @return when the timer runs next, or empty when it was removed
	 */
	Optional<Instant> endTimer(long incidentId, Runnable remove) {
		return this.transactions.execute((status) -> {
			Optional<EscalationState> running = this.store.lock(incidentId).filter(EscalationState::running);
			if (running.isPresent()) {
				Instant at = running.get().nextAt();
				return Optional.of((at != null) ? at : this.clock.instant());
			}
			remove.run();
			return Optional.<Instant>empty();
		});
	}

	/**
	 * Fires the incident's next escalation level if it is due and nobody acknowledged,
	 * and moves the escalation to the level after it; when the timer runs next is
	 * {@link #endTimer}'s to say.
	 */
	void fire(long incidentId) {
		this.transactions.executeWithoutResult((status) -> {
			// The incident's row is locked first (by escalate), then the escalation's,
			// the same order an acknowledgement takes: no deadlock.
			EscalationState state = this.store.find(incidentId).orElse(null);
			if (state == null || !state.running()) {
				return;
			}
			Instant now = this.clock.instant();
			if (state.nextAt() != null && state.nextAt().isAfter(now)) {
				return;
			}
			EscalationPolicy policy = this.onCall.policy(state.policy()).orElse(null);
			if (policy == null || state.nextLevel() > policy.levels().size()) {
				this.store.save(new EscalationState(incidentId, state.policy(), state.nextLevel(), state.cycle(), null,
						"the policy no longer exists"), now);
				return;
			}
			EscalationLevel level = policy.levels().get(state.nextLevel() - 1);
			boolean recorded;
			try {
				recorded = this.incidents.escalate(new IncidentId(incidentId), entry(policy, level, state, now));
			}
			catch (IncidentNotFound ex) {
				recorded = false;
			}
			EscalationState current = this.store.lock(incidentId).orElse(null);
			if (current == null || !current.equals(state)) {
				// Stopped or restarted while this ran: the other change stands.
				status.setRollbackOnly();
				return;
			}
			if (!recorded) {
				// Acknowledged or resolved before the follower that stops the escalation
				// ran: the same reason as that follower gives.
				this.store.save(new EscalationState(incidentId, state.policy(), state.nextLevel(), state.cycle(), null,
						notTriggered(incidentId)), now);
				return;
			}
			next(policy, state, now);
		});
	}

	/** Moves the state to the level after this one, or ends it. */
	private void next(EscalationPolicy policy, EscalationState state, Instant now) {
		int level = state.nextLevel() + 1;
		int cycle = state.cycle();
		if (level > policy.levels().size()) {
			level = 1;
			cycle++;
		}
		if (cycle > policy.repeat() + 1) {
			this.store.save(new EscalationState(state.incidentId(), state.policy(), state.nextLevel(), state.cycle(),
					null, "every level was notified"), now);
			return;
		}
		Instant at = now.plus(delayBefore(policy, level, level == 1));
		this.store.save(new EscalationState(state.incidentId(), state.policy(), level, cycle, at, null), now);
	}

	/**
	 * How long to wait before a level. A repeat starts over at level 1 after level 1's
	 * delay or, when that is zero (at once, for the incident's opening), after the last
	 * level's delay, so a repeat never pages twice in the same instant.
	 */
	static Duration delayBefore(EscalationPolicy policy, int level, boolean repeating) {
		Duration delay = policy.levels().get(level - 1).delay();
		if (repeating && delay.isZero()) {
			return policy.levels().getLast().delay();
		}
		return delay;
	}

	private TimelineEntry entry(EscalationPolicy policy, EscalationLevel level, EscalationState state, Instant now) {
		Set<String> users = new LinkedHashSet<>(level.users());
		Map<String, String> onCallNow = new LinkedHashMap<>();
		List<String> nobody = new ArrayList<>();
		for (String schedule : level.schedules()) {
			this.onCall.onCall(schedule, now).ifPresentOrElse((shift) -> {
				users.add(shift.user().name());
				onCallNow.put(schedule, shift.user().name());
			}, () -> nobody.add(schedule));
		}
		List<String> targets = new ArrayList<>(users);
		targets.addAll(level.slack());
		targets.addAll(level.email());
		String cycle = (policy.repeat() > 0) ? ", pass %d of %d".formatted(state.cycle(), policy.repeat() + 1) : "";
		String summary = "Escalated to level %d of policy %s%s: %s".formatted(level.number(), policy.name(), cycle,
				targets.isEmpty() ? "nobody is on call" : String.join(", ", targets));
		if (!nobody.isEmpty()) {
			summary += " (nobody on call for " + String.join(", ", nobody) + ")";
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("policy", policy.name());
		details.put("level", level.number());
		details.put("cycle", state.cycle());
		details.put("users", List.copyOf(users));
		details.put("schedules", level.schedules());
		details.put("onCall", onCallNow);
		details.put("slack", level.slack());
		details.put("email", level.email());
		return new TimelineEntry(TimelineEventType.ESCALATED, ESCALATION, summary, details);
	}

}
