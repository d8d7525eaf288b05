package dev.warden.incidents;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.Priority;
import io.micrometer.core.instrument.Counter;
import jakarta.persistence.EntityManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.util.PSQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.access.Audit;

import org.springframework.context.annotation.Lazy;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.query.QueryUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The application service of the incidents module: takes in alert batches and people's
 * actions, one transaction each, and answers queries. The only writer of incident state.
 */
@Service
public class IncidentService {

	private static final Logger log = LoggerFactory.getLogger(IncidentService.class);

	/** The partial unique index that allows one open incident per alert group. */
	private static final String ONE_OPEN_PER_GROUP = "incident_one_open_per_group";

	/** Two declarations with one idempotency key raced: the loser finds the winner's. */
	private static final String ONE_INCIDENT_PER_DECLARATION = "incident_one_per_declaration";

	private static final int ATTEMPTS = 3;

	/** An incident's state for the audit log: its status. */
	private static final Function<Incident, String> STATUS = (incident) -> lower(incident.status());

	private static final Function<Incident, String> MITIGATED_AT = (incident) -> Objects
		.toString(incident.milestones().mitigatedAt(), null);

	private static final Function<Incident, String> IMPACT_STARTED_AT = (incident) -> Objects
		.toString(incident.milestones().impactStartedAt(), null);

	/** Longest part of a note the audit log keeps; the timeline has all of it. */
	private static final int AUDITED_NOTE = 200;

	/**
	 * A write gives up after this long (PostgreSQL cancels its statements) and the caller
	 * answers 503, well within the time Alertmanager waits before it retries.
	 */
	private static final int WRITE_TIMEOUT_SECONDS = 10;

	private final Incidents incidents;

	private final IncidentSettings settings;

	private final IncidentPolicy policy;

	private final Clock clock;

	private final TransactionTemplate writes;

	private final TransactionTemplate reads;

	private final Counter opened;

	private final Counter resolved;

	private final Counter reopened;

	/**
	 * Lazy: the scheduler is built from the task beans, whose followers need this
	 * service.
	 */
	private final SchedulerClient scheduler;

	private final EntityManager entityManager;

	private final Audit audit;

	IncidentService(Incidents incidents, IncidentSettings settings, Clock clock,
			PlatformTransactionManager transactionManager, MeterRegistry meters, @Lazy SchedulerClient scheduler,
			EntityManager entityManager, Audit audit) {
		this.incidents = incidents;
		this.audit = audit;
		this.entityManager = entityManager;
		this.scheduler = scheduler;
		this.settings = settings;
		this.policy = settings.policy();
		this.clock = clock;
		this.writes = new TransactionTemplate(transactionManager);
		this.writes.setTimeout(WRITE_TIMEOUT_SECONDS);
		this.reads = new TransactionTemplate(transactionManager);
		this.reads.setReadOnly(true);
		this.opened = Counter.builder("warden.incidents.opened").description("Incidents opened").register(meters);
		this.resolved = Counter.builder("warden.incidents.resolved")
			.description("Incidents resolved, by people or automatically")
			.register(meters);
		this.reopened = Counter.builder("warden.incidents.reopened").description("Incidents reopened").register(meters);
	}

	/**
	 * Takes in one Alertmanager notification in one transaction: the group's open
	 * incident receives the alerts; otherwise a recently resolved one reopens, or a new
	 * one opens. Replays change nothing but "last seen". Safe under concurrency across
	 * instances: the database's one-open-incident-per-group constraint decides, and the
	 * loser retries and attaches.
	 * <p>
	 * The transaction writes the incident, its alerts, its timeline and, when the change
	 * is news, one follow-up job; nothing else runs before the answer. After the commit
	 * the job hands the change to the {@link IncidentFollower followers}, each in its own
	 * transaction, exactly once:
	 * <ol>
	 * <li>notifications: routing decides who hears about a new incident (routes,
	 * silences, mute windows, on-call) and applies its outcome with
	 * {@link #route(IncidentId, RoutingOutcome)}; the first Slack message and emails are
	 * owed as delivery jobs and the escalation policy's timer starts; later news becomes
	 * thread replies, card updates and the closing emails;</li>
	 * <li>runbooks: a new or reopened incident starts the automatic runbooks its firing,
	 * unsilenced alerts choose, each a durable job.</li>
	 * </ol>
	 */
	public Ingested ingest(AlertBatch batch) {
		Ingested ingested = withRetries(() -> this.writes.execute((status) -> ingestOnce(batch)));
		switch (ingested.outcome()) {
			case OPENED -> this.opened.increment();
			case REOPENED -> this.reopened.increment();
			default -> {
			}
		}
		if (ingested.autoResolved()) {
			this.resolved.increment();
		}
		return ingested;
	}

	private Ingested ingestOnce(AlertBatch batch) {
		Instant now = now();
		String group = Incident.hashOf(batch.groupKey());
		var open = this.incidents.findOpenForUpdate(group);
		if (open.isPresent()) {
			Incident incident = open.get();
			SplitRouting routed = routeSplits(incident, batch, now);
			if (routed.rest() == null) {
				followUp(incident);
				return routed.answer(incident);
			}
			return routed
				.plus(received(incident, Ingested.Outcome.ATTACHED, incident.receive(routed.rest(), this.policy, now)));
		}
		var latest = this.incidents.findLatestResolvedForUpdate(group);
		SplitRouting routed = SplitRouting.NONE;
		if (latest.isPresent()) {
			// Fingerprints split out of the group's incident go to their own incidents
			// first, whatever became of the group's incident since.
			routed = routeSplits(latest.get(), batch, now);
			if (routed.rest() == null) {
				followUp(latest.get());
				return routed.answer(latest.get());
			}
			batch = routed.rest();
		}
		if (latest.isPresent() && latest.get().mergedInto() != null) {
			// The group's incident was merged into another: its alerts go there while
			// that one is open; replays of what it knows change nothing; anything else
			// opens a new incident for the group.
			Incident merged = latest.get();
			Incident target = mergeTarget(merged);
			if (target.status().isOpen()) {
				return routed.plus(received(target, Ingested.Outcome.ATTACHED,
						target.receiveMerged(batch, this.policy, now, merged.id())));
			}
			if (!target.isNews(batch, this.policy, now)) {
				return routed.plus(received(target, Ingested.Outcome.REPLAYED,
						target.receiveMerged(batch, this.policy, now, merged.id())));
			}
			followUp(merged);
			latest = java.util.Optional.empty();
		}
		if (latest.isPresent()) {
			Incident incident = latest.get();
			if (!incident.isNews(batch, this.policy, now)) {
				return routed
					.plus(received(incident, Ingested.Outcome.REPLAYED, incident.receive(batch, this.policy, now)));
			}
			boolean withinWindow = !incident.milestones().resolvedAt().plus(this.settings.reopenWindow()).isBefore(now);
			if (withinWindow && incident.hasFiringNews(batch, this.policy, now)) {
				incident.reopen(Actor.ALERTMANAGER, now, "an alert of its group fired again within "
						+ this.settings.reopenWindow().toMinutes() + " min of resolution");
				return routed
					.plus(received(incident, Ingested.Outcome.REOPENED, incident.receive(batch, this.policy, now)));
			}
			if (withinWindow) {
				return routed
					.plus(received(incident, Ingested.Outcome.ATTACHED, incident.receive(batch, this.policy, now)));
			}
			followUp(incident);
		}
		Incident incident = Incident.open(batch, this.policy, now);
		Change change = changeOf(incident);
		this.incidents.save(incident);
		followUp(incident, change);
		return new Ingested(incident.id(), Ingested.Outcome.OPENED, incident.status(), batch.alerts().size(), 0,
				incident.status() == IncidentStatus.RESOLVED);
	}

	/**
	 * Hands the events recorded since the last call to the followers after the commit:
	 * writes the change's follow-up job when any of them is news.
	 */
	private void followUp(Incident incident) {
		followUp(incident, changeOf(incident));
	}

	/**
	 * Takes the incident's events recorded since the last call and, when any is news,
	 * numbers the change (before the incident is written, so that the number goes out
	 * with it).
	 * @return the change to follow up, or null when it has no news
	 */
	private Change changeOf(Incident incident) {
		List<TimelineEvent> recorded = incident.drainUnpublished();
		if (recorded.stream().noneMatch((event) -> event.type().news())) {
			return null;
		}
		return new Change(incident.nextChange(), recorded);
	}

	private void followUp(Incident incident, Change change) {
		if (change == null) {
			return;
		}
		// The events' ids go into the job. A new incident's rows have theirs already; an
		// existing incident's new rows get theirs when they are flushed (once, under the
		// incident's lock: see IncidentRowIds).
		if (change.events().stream().anyMatch((event) -> event.id() == null)) {
			this.incidents.flush();
		}
		FollowUps.schedule(this.scheduler,
				new FollowUps.Change(incident.id().value(), change.number(), incident.status(),
						change.events().stream().map(TimelineEvent::id).toList()),
				change.pages() ? Priority.HIGH : Priority.MEDIUM, now());
	}

	/** A change with news, numbered, not yet written. */
	private record Change(int number, List<TimelineEvent> events) {

		/**
		 * Whether the change pages people (an opening, a reopening, an escalation): its
		 * follow-up goes before the rest (runbook steps, notes, replies), as pages do
		 * among deliveries, so that a storm's later news never holds up a page.
		 */
		boolean pages() {
			return this.events.stream()
				.map(TimelineEvent::type)
				.anyMatch((type) -> type.equals(TimelineEventType.INCIDENT_OPENED)
						|| type.equals(TimelineEventType.REOPENED) || type.equals(TimelineEventType.ESCALATED));
		}

	}

	private Ingested received(Incident incident, Ingested.Outcome outcome, Incident.Reception reception) {
		followUp(incident);
		return new Ingested(incident.id(), outcome, incident.status(), reception.changedAlerts(),
				reception.unchangedAlerts(), reception.autoResolved());
	}

	/**
	 * Opens an incident a person declared (see {@link Incident#declare}); its opening is
	 * followed like an alert's: routing, notifications and escalation. With an
	 * idempotency key, the same person declaring again with the same key gets the
	 * incident the first declaration opened, unchanged.
	 * @return the incident, and whether this call opened it
	 */
	public Declared declare(Declaration declaration, Actor by) {
		Declared declared = withRetries(() -> this.writes.execute((status) -> {
			Instant now = now();
			String key = Incident.declarationKey(declaration, by);
			if (key != null) {
				var earlier = this.incidents.findByDeclarationKey(key);
				if (earlier.isPresent()) {
					return new Declared(IncidentView.of(earlier.get()), false);
				}
			}
			Incident incident = Incident.declare(declaration, by, now);
			Change change = changeOf(incident);
			this.incidents.save(incident);
			followUp(incident, change);
			this.audit.recordAs(by.name(), "incident.declare", incident.id().toString(), null, lower(incident.status()),
					Map.of("title", incident.title(), "severity", lower(incident.severity())));
			return new Declared(IncidentView.of(incident), true);
		}));
		if (declared.opened()) {
			this.opened.increment();
		}
		return declared;
	}

	/**
	 * A declared incident and whether the call opened it.
	 *
	 * @param incident the incident as it is
	 * @param opened false when an earlier declaration with the same key opened it
	 */
	public record Declared(IncidentView incident, boolean opened) {
	}

	/**
	 * Attaches an Alertmanager group to a declared incident that has none: that group's
	 * alerts come to it from now on.
	 * @throws IllegalIncidentTransition when it was not declared, already has a group, is
	 * resolved, or another open incident has the group
	 */
	public IncidentView attachGroup(IncidentId id, Actor by, String groupKey) {
		return change(id, audited(by, "incident.attach_group", Incident::groupKey, (incident, now) -> {
			if (groupKey != null && !groupKey.isBlank()) {
				var holder = this.incidents.findOpenForUpdate(Incident.hashOf(groupKey));
				if (holder.isPresent() && !holder.get().id().equals(incident.id())) {
					throw new IllegalIncidentTransition(incident.id(), incident.status(), "given this alert group",
							holder.get().id() + " is open for it");
				}
			}
			return incident.attachGroup(by, groupKey, now);
		}));
	}

	/**
	 * Sends the batch's alerts that were split out of the group's incident to their own
	 * incidents (under their locks, after the group's incident's): to an open one as they
	 * come; to a resolved one only its resolved alerts, as replays; a firing alert whose
	 * incident resolved is the group's again.
	 * @return what is left for the group's incident (null when nothing), and the counts
	 */
	private SplitRouting routeSplits(Incident owner, AlertBatch batch, Instant now) {
		if (!owner.hasSplitOut()) {
			return new SplitRouting(batch, 0, 0);
		}
		Map<Long, List<ReceivedAlert>> elsewhere = new LinkedHashMap<>();
		List<ReceivedAlert> here = new ArrayList<>();
		for (ReceivedAlert alert : batch.alerts()) {
			Long split = owner.splitInto(alert.fingerprint());
			if (split != null) {
				elsewhere.computeIfAbsent(split, (key) -> new ArrayList<>()).add(alert);
			}
			else {
				here.add(alert);
			}
		}
		if (elsewhere.isEmpty()) {
			return new SplitRouting(batch, 0, 0);
		}
		int changed = 0;
		int unchanged = 0;
		for (Map.Entry<Long, List<ReceivedAlert>> entry : elsewhere.entrySet()) {
			Incident split = lockIncident(new IncidentId(entry.getKey()));
			List<ReceivedAlert> alerts = entry.getValue();
			if (!split.status().isOpen()) {
				// Firing again after its incident resolved: the group's incident's again.
				// Resolved copies of what the split incident knows change nothing there.
				alerts.stream().filter(ReceivedAlert::firing).forEach((alert) -> {
					owner.takeBack(alert.fingerprint());
					here.add(alert);
				});
				alerts = alerts.stream().filter((alert) -> !alert.firing()).toList();
				if (alerts.isEmpty()) {
					continue;
				}
			}
			Incident.Reception reception = split.receiveSplit(batch.withAlerts(alerts), this.policy, now);
			followUp(split);
			changed += reception.changedAlerts();
			unchanged += reception.unchangedAlerts();
		}
		return new SplitRouting(here.isEmpty() ? null : batch.withAlerts(here), changed, unchanged);
	}

	/**
	 * What {@link #routeSplits} sent to split incidents, and what is left.
	 *
	 * @param rest the alerts left for the group's incident; null when none
	 */
	private record SplitRouting(AlertBatch rest, int changed, int unchanged) {

		static final SplitRouting NONE = new SplitRouting(null, 0, 0);

		/** The answer when every alert went to split incidents. */
		Ingested answer(Incident owner) {
			return new Ingested(owner.id(), Ingested.Outcome.ATTACHED, owner.status(), this.changed, this.unchanged,
					false);
		}

		/** The answer for the rest, with the split incidents' alerts counted in. */
		Ingested plus(Ingested rest) {
			return (this.changed + this.unchanged == 0) ? rest
					: new Ingested(rest.incident(), rest.outcome(), rest.status(), rest.changedAlerts() + this.changed,
							rest.unchangedAlerts() + this.unchanged, rest.autoResolved());
		}

	}

	/**
	 * Splits alerts out of an incident into a new one (see {@link Incident#splitOut}),
	 * which is routed and notified as a new incident. Undone by merging the new one back.
	 * @return the new incident
	 */
	public IncidentView split(IncidentId id, List<String> fingerprints, String title, Actor by) {
		return withRetries(() -> this.writes.execute((status) -> {
			Incident source = lockIncident(id);
			Instant now = now();
			Incident split = source.splitOut(fingerprints, title, now);
			this.incidents.save(split);
			source.completeSplit(split, fingerprints, by, now);
			followUp(source);
			followUp(split);
			if (by.kind() == Actor.Kind.USER) {
				this.audit.recordAs(by.name(), "incident.split", id.toString(), null, "split into " + split.id(),
						Map.of("into", split.id().toString(), "alerts", fingerprints.size(), "title", split.title()));
			}
			this.incidents.flush();
			this.opened.increment();
			return IncidentView.of(split);
		}));
	}

	/** How many merges Warden follows from a merged incident to the one that holds it. */
	private static final int MAX_MERGE_CHAIN = 20;

	/**
	 * The incident a merged one ended in, under its lock: merged into A, which may have
	 * been merged into C since.
	 */
	private Incident mergeTarget(Incident merged) {
		Incident current = merged;
		for (int hop = 0; hop < MAX_MERGE_CHAIN && current.mergedInto() != null; hop++) {
			current = lockIncident(current.mergedInto());
		}
		return current;
	}

	/**
	 * Merges incident {@code from} into {@code into} (see {@link Incident#mergeInto}):
	 * the alerts move, {@code from} resolves as merged, its group's later alerts go to
	 * {@code into}, and both timelines say so once, which their followers tell people.
	 * Undone by {@link #unmerge}.
	 * @return the incident merged into, as it is now
	 */
	public IncidentView merge(IncidentId from, IncidentId into, Actor by) {
		if (from.equals(into)) {
			throw new InvalidIncidentInput("An incident cannot be merged into itself");
		}
		return withRetries(() -> this.writes.execute((status) -> {
			// The merged incident first, then its target: as a webhook of the merged
			// incident's group takes them.
			Incident source = lockIncident(from);
			Incident target = lockIncident(into);
			if (this.incidents.existsByMergedInto(from.value())) {
				// Undoing chains of merges would need every link: one at a time.
				throw new IllegalIncidentTransition(from, source.status(), "merged",
						"other incidents were merged into it; merge those into " + into + " instead, or unmerge them");
			}
			Instant now = now();
			String before = lower(source.status());
			int moved = source.mergeInto(target, by, now);
			followUp(source);
			followUp(target);
			if (by.kind() == Actor.Kind.USER) {
				this.audit.recordAs(by.name(), "incident.merge", from.toString(), before, "merged into " + into,
						Map.of("into", into.toString(), "alertsMoved", moved, "title", source.title()));
			}
			this.incidents.flush();
			return IncidentView.of(target);
		}));
	}

	/**
	 * Undoes a merge: the alerts {@code id} brought to the incident it was merged into
	 * (and those of its group that came there since) move back, and {@code id} opens
	 * again. Refused while its group has another open incident.
	 * @return the unmerged incident, as it is now
	 */
	public IncidentView unmerge(IncidentId id, Actor by) {
		return withRetries(() -> this.writes.execute((status) -> {
			Incident source = lockIncident(id);
			if (source.mergedInto() == null) {
				throw new IllegalIncidentTransition(id, source.status(), "unmerged", "it is not merged");
			}
			Incident target = lockIncident(source.mergedInto());
			var holder = this.incidents.findOpenForUpdate(source.groupHash());
			if (holder.isPresent()) {
				throw new IllegalIncidentTransition(id, source.status(), "unmerged",
						holder.get().id() + " is open for its group; merge that one first or resolve it");
			}
			Instant now = now();
			int moved = source.unmergeFrom(target, by, now);
			followUp(source);
			followUp(target);
			if (by.kind() == Actor.Kind.USER) {
				this.audit.recordAs(by.name(), "incident.unmerge", id.toString(), "merged into " + target.id(), "open",
						Map.of("from", target.id().toString(), "alertsMoved", moved, "title", source.title()));
			}
			this.incidents.flush();
			this.reopened.increment();
			return IncidentView.of(source);
		}));
	}

	/** Acknowledges a triggered incident. */
	public IncidentView acknowledge(IncidentId id, Actor by) {
		return change(id,
				audited(by, "incident.acknowledge", STATUS, (incident, now) -> incident.acknowledge(by, now)));
	}

	/** Resolves an open incident by hand. */
	public IncidentView resolve(IncidentId id, Actor by) {
		IncidentView incident = change(id,
				audited(by, "incident.resolve", STATUS, (it, now) -> it.resolve(by, now, "resolved by " + by.name())));
		this.resolved.increment();
		return incident;
	}

	/** Reopens a resolved incident by hand, unless its group already has an open one. */
	public IncidentView reopen(IncidentId id, Actor by) {
		IncidentView incident = change(id, audited(by, "incident.reopen", STATUS, (it, now) -> {
			if (it.status() == IncidentStatus.RESOLVED) {
				this.incidents.findOpenForUpdate(Incident.hashOf(it.groupKey())).ifPresent((other) -> {
					throw new IllegalIncidentTransition(id, it.status(), "reopened",
							other.id() + " is already open for the same alert group");
				});
			}
			return it.reopen(by, now, "reopened by " + by.name());
		}));
		this.reopened.increment();
		return incident;
	}

	/** Adds a note to the timeline. */
	public IncidentView addNote(IncidentId id, Actor by, String text) {
		return change(id,
				audited(by, "incident.note", (incident) -> null,
						Map.of("note", (text != null && text.length() > AUDITED_NOTE)
								? text.substring(0, AUDITED_NOTE) + "…" : String.valueOf(text)),
						(incident, now) -> incident.addNote(by, now, text)));
	}

	/** Sets the severity by hand. */
	public IncidentView changeSeverity(IncidentId id, Actor by, Severity severity) {
		return change(id, audited(by, "incident.severity", (incident) -> lower(incident.severity()),
				(incident, now) -> incident.changeSeverity(by, now, severity)));
	}

	/**
	 * A person marks the incident mitigated, at {@code at}, or now (a resolved incident:
	 * at its resolution).
	 * @throws IllegalIncidentTransition when it is already mitigated
	 * @throws InvalidIncidentInput when {@code at} is before detection, after a
	 * resolution or in the future
	 */
	public IncidentView mitigateByHand(IncidentId id, Actor by, Instant at, String note) {
		return change(id,
				audited(by, "incident.mitigate", MITIGATED_AT, auditedText("note", note), (incident, now) -> incident
					.mitigateByHand(by, (at != null) ? at.truncatedTo(ChronoUnit.MICROS) : null, now, note)));
	}

	/**
	 * A person corrects when the impact started, with a reason.
	 * @throws InvalidIncidentInput when {@code at} is after detection or the reason is
	 * missing
	 */
	public IncidentView correctImpactStart(IncidentId id, Actor by, Instant at, String reason) {
		return change(id,
				audited(by, "incident.impact_start", IMPACT_STARTED_AT, auditedText("reason", reason),
						(incident, now) -> incident.correctImpactStart(by,
								(at != null) ? at.truncatedTo(ChronoUnit.MICROS) : null, now, reason)));
	}

	/**
	 * Sets the mitigated milestone at {@code at}, for example when the action of a
	 * runbook that later proved to work took effect. Only the first mitigation counts.
	 */
	public IncidentView mitigate(IncidentId id, Actor by, Instant at, String how) {
		return change(id, (incident, now) -> incident.mitigate(by, at.truncatedTo(ChronoUnit.MICROS), now, how));
	}

	/**
	 * Appends another module's event to the incident's timeline, in the caller's
	 * transaction when there is one.
	 */
	public void record(IncidentId id, TimelineEntry entry) {
		withRetries(() -> this.writes.execute((status) -> {
			Incident incident = lockIncident(id);
			incident.record(now(), entry.type(), entry.actor(), entry.summary(), entry.details());
			followUp(incident);
			return incident;
		}));
	}

	/**
	 * Applies routing's outcome to a new incident in one step, under one lock: the
	 * severity a route sets, the team and service, the routing version that decided, and
	 * the decision on the timeline. Called by the notifications follower while it follows
	 * the incident's opening, in its transaction; the change is that follower's own doing
	 * and is not handed to the followers again (the first messages, owed next, show it).
	 * A severity a person set before routing ran is kept.
	 */
	public void route(IncidentId id, RoutingOutcome outcome) {
		withRetries(() -> this.writes.execute((status) -> {
			Incident incident = lockIncident(id);
			Instant now = now();
			Actor by = outcome.decision().actor();
			// A person who set the severity before routing ran has the last word.
			if (outcome.severity() != null && !incident.isSeverityOverridden()) {
				incident.changeSeverity(by, now, outcome.severity());
			}
			if (incident.isDeclared()) {
				// The person who declared it named its owner; a route fills in only what
				// they left out.
				incident.assignOwner(by, now, (incident.team() == null) ? outcome.team() : null,
						(incident.service() == null) ? outcome.service() : null);
			}
			else {
				incident.assignOwner(by, now, outcome.team(), outcome.service());
			}
			incident.routedWith(outcome.routingVersion(), outcome.routingHash());
			TimelineEntry decision = outcome.decision();
			incident.record(now, decision.type(), decision.actor(), decision.summary(), decision.details());
			incident.drainUnpublished();
			return incident;
		}));
	}

	/**
	 * Records an escalation, but only while nobody has acknowledged or resolved the
	 * incident: the incident's row lock orders it against a racing acknowledgement, so an
	 * acknowledgement always wins over a later escalation. Joins the caller's transaction
	 * when there is one.
	 * @return true when recorded; false when the incident is no longer triggered
	 */
	public boolean escalate(IncidentId id, TimelineEntry entry) {
		return withRetries(() -> this.writes.execute((status) -> {
			Incident incident = lockIncident(id);
			if (incident.status() != IncidentStatus.TRIGGERED) {
				return false;
			}
			incident.record(now(), entry.type(), entry.actor(), entry.summary(), entry.details());
			followUp(incident);
			return true;
		}));
	}

	/** A person's action that Warden refused; see {@link #recordRefusedAction}. */
	static final TimelineEventType ACTION_REFUSED = TimelineEventType.quiet("action.refused");

	/**
	 * Records on the timeline that a person's action on this incident was refused, for
	 * example a Slack button pressed by someone whose console role may not do it: who,
	 * which action and why. Changes nothing else.
	 * @param action what they tried, like {@code acknowledge}
	 * @param reason why it was refused, for people
	 */
	public void recordRefusedAction(IncidentId id, Actor by, String action, String reason) {
		record(id, new TimelineEntry(ACTION_REFUSED, by, "%s refused for %s: %s".formatted(action, by.name(), reason),
				Map.of("action", action, "reason", reason)));
	}

	/** The incident's alerts as they are now. */
	public List<AlertSnapshot> alerts(IncidentId id) {
		return read(id, (incident) -> incident.alerts().stream().map(AlertSnapshot::of).toList());
	}

	/** One incident with its alerts and timeline, read in one transaction. */
	public IncidentView get(IncidentId id) {
		return read(id, IncidentView::of);
	}

	/** The incident's status now, without loading its alerts or timeline. */
	public IncidentStatus status(IncidentId id) {
		return read(id, Incident::status);
	}

	/**
	 * What routing decides a new incident by (its labels and alerts), without loading its
	 * timeline: a busy incident's timeline can be long.
	 */
	public IncidentLabels labels(IncidentId id) {
		return read(id, (incident) -> new IncidentLabels(id, incident.groupLabels(), incident.commonLabels(),
				incident.alerts().stream().map(AlertSnapshot::of).toList()));
	}

	/** A page of incidents matching the query, without their alerts and timelines. */
	public Page<IncidentSummary> list(IncidentQuery query, Pageable page) {
		return this.reads
			.execute((status) -> this.incidents.findAll(query.toSpecification(), page).map(IncidentSummary::of));
	}

	/**
	 * A page of incidents matching the query and how many match by status and severity,
	 * in one read: the page's total comes from the counts, not from another count query.
	 */
	public CountedPage listCounted(IncidentQuery query, Pageable page) {
		return this.reads.execute((status) -> {
			var builder = this.entityManager.getCriteriaBuilder();
			var grouped = builder.createQuery(Object[].class);
			var groupedRoot = grouped.from(Incident.class);
			grouped.multiselect(groupedRoot.get("status"), groupedRoot.get("severity"), builder.count(groupedRoot))
				.where(query.toSpecification().toPredicate(groupedRoot, grouped, builder))
				.groupBy(groupedRoot.get("status"), groupedRoot.get("severity"));
			IncidentCounts counts = IncidentCounts.of(this.entityManager.createQuery(grouped).getResultList());

			var content = builder.createQuery(Incident.class);
			var root = content.from(Incident.class);
			content.select(root)
				.where(query.toSpecification().toPredicate(root, content, builder))
				.orderBy(QueryUtils.toOrders(page.getSort(), root, builder));
			List<IncidentSummary> incidents = this.entityManager.createQuery(content)
				.setFirstResult((int) page.getOffset())
				.setMaxResults(page.getPageSize())
				.getResultList()
				.stream()
				.map(IncidentSummary::of)
				.toList();
			return new CountedPage(new PageImpl<>(incidents, page, counts.total()), counts);
		});
	}

	/**
	 * A page of incidents with the counts of everything matching.
	 *
	 * @param page the incidents of the page
	 * @param counts how many match, by status and by severity
	 */
	public record CountedPage(Page<IncidentSummary> page, IncidentCounts counts) {
	}

	/** How many incidents are not resolved. */
	public long countOpen() {
		return this.incidents.countByStatusNot(IncidentStatus.RESOLVED);
	}

	/**
	 * Expires firing alerts Alertmanager stopped mentioning for longer than the stale
	 * timeout, resolving incidents left with nothing firing.
	 * @return how many incidents had alerts expire
	 */
	public int expireStaleAlerts() {
		if (this.settings.staleAfter().isZero()) {
			return 0;
		}
		Instant cutoff = now().minus(this.settings.staleAfter());
		int expired = 0;
		for (Long id : this.incidents.findIdsWithFiringAlertsNotSeenSince(cutoff)) {
			Boolean changed = withRetries(() -> this.writes.execute((status) -> {
				Incident incident = lockIncident(new IncidentId(id));
				boolean wasOpen = incident.status() != IncidentStatus.RESOLVED;
				boolean any = incident.expireAlertsNotSeenSince(cutoff, this.settings.autoResolve(), now());
				followUp(incident);
				if (wasOpen && incident.status() == IncidentStatus.RESOLVED) {
					this.resolved.increment();
				}
				return any;
			}));
			if (Boolean.TRUE.equals(changed)) {
				expired++;
			}
		}
		return expired;
	}

	/** The incident under its row lock. */
	private Incident lockIncident(IncidentId id) {
		return this.incidents.findByIdForUpdate(id.value()).orElseThrow(() -> new IncidentNotFound(id));
	}

	/**
	 * Reads an incident. In a caller's transaction (a follower that looks at the
	 * incident, then records on it) the incident is not left in the transaction's
	 * persistence context: a later write locks and reads it afresh, as it is by then,
	 * instead of meeting the copy read earlier (which a follower may have changed since).
	 */
	private <T> T read(IncidentId id, Function<Incident, T> reader) {
		boolean joining = TransactionSynchronizationManager.isActualTransactionActive();
		return this.reads.execute((status) -> {
			if (joining) {
				// What the caller changed so far is written before the copy is let go.
				this.entityManager.flush();
			}
			Incident incident = this.incidents.findById(id.value()).orElseThrow(() -> new IncidentNotFound(id));
			T result = reader.apply(incident);
			if (joining) {
				this.entityManager.detach(incident);
			}
			return result;
		});
	}

	/**
	 * Changes the incident under its lock and answers how it is after the change, read in
	 * the change's transaction.
	 */
	private IncidentView change(IncidentId id, BiFunction<Incident, Instant, Incident> action) {
		return withRetries(() -> this.writes.execute((status) -> {
			Incident incident = lockIncident(id);
			action.apply(incident, now());
			followUp(incident);
			if (incident.timeline().stream().anyMatch((event) -> event.id() == null)) {
				// Only recorded, no news: no job numbered its events, so their rows
				// get their ids now, for the view this answers with.
				this.incidents.flush();
			}
			return IncidentView.of(incident);
		}));
	}

	/**
	 * A person's change that also goes to the audit log, in the change's transaction;
	 * Warden's own changes (routing, runbooks, escalations) do not.
	 * @param state the incident's state before and after, in short, or null
	 */
	private BiFunction<Incident, Instant, Incident> audited(Actor by, String action, Function<Incident, String> state,
			BiFunction<Incident, Instant, Incident> change) {
		return audited(by, action, state, Map.of(), change);
	}

	private BiFunction<Incident, Instant, Incident> audited(Actor by, String action, Function<Incident, String> state,
			Map<String, Object> details, BiFunction<Incident, Instant, Incident> change) {
		if (by.kind() != Actor.Kind.USER) {
			return change;
		}
		return (incident, now) -> {
			String before = state.apply(incident);
			Incident changed = change.apply(incident, now);
			Map<String, Object> all = new LinkedHashMap<>(details);
			all.put("title", incident.title());
			this.audit.recordAs(by.name(), action, incident.id().toString(), before, state.apply(incident), all);
			return changed;
		};
	}

	/** A person's text for the audit log's details: stripped, and cut as notes are. */
	private static Map<String, Object> auditedText(String key, String text) {
		if (text == null || text.isBlank()) {
			return Map.of();
		}
		String stripped = text.strip();
		return Map.of(key, (stripped.length() > AUDITED_NOTE) ? stripped.substring(0, AUDITED_NOTE) + "…" : stripped);
	}

	private static String lower(Enum<?> value) {
		return value.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Runs a transaction again when it lost a race (another webhook opened the group's
	 * incident first, or a lock conflict). Losing every attempt is still transient: the
	 * caller answers 503 and Alertmanager retries.
	 */
	private <T> T withRetries(Supplier<T> work) {
		if (TransactionSynchronizationManager.isActualTransactionActive()) {
			// Joining the caller's transaction: a failed statement aborted it, so only
			// the
			// caller's own retry can help.
			return work.get();
		}
		for (int attempt = 1;; attempt++) {
			try {
				return work.get();
			}
			catch (DataIntegrityViolationException | PessimisticLockingFailureException ex) {
				if (!isRetryable(ex)) {
					throw ex;
				}
				if (attempt >= ATTEMPTS) {
					throw new ConcurrencyFailureException("Lost " + ATTEMPTS + " races for the same incident", ex);
				}
				log.debug("Retrying after a concurrent change (attempt {}): {}", attempt, ex.getMessage());
				pause(attempt);
			}
		}
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(ThreadLocalRandom.current().nextLong(5, 25) * attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ConcurrencyFailureException("Interrupted while retrying", ex);
		}
	}

	private static boolean isRetryable(RuntimeException ex) {
		if (ex instanceof PessimisticLockingFailureException) {
			return true;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null
					&& (ONE_OPEN_PER_GROUP.equals(psql.getServerErrorMessage().getConstraint())
							|| ONE_INCIDENT_PER_DECLARATION.equals(psql.getServerErrorMessage().getConstraint()))) {
				return true;
			}
		}
		return false;
	}

	private Instant now() {
		// PostgreSQL keeps microseconds; truncating keeps what is stored equal to what
		// was
		// decided.
		return this.clock.instant().truncatedTo(ChronoUnit.MICROS);
	}

}
