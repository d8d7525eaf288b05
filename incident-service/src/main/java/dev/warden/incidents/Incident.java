package dev.warden.incidents;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.Version;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An incident: the alerts of one Alertmanager group, the people's response to them, and
 * the timeline of both. The aggregate owns its rules; every change goes through an
 * intention-revealing method that checks the current status and records a timeline event.
 */
// An update sets the columns that changed: most webhooks move only "last seen" and
// "updated", not the group's labels and annotations (JSON).
@DynamicUpdate
@Entity
@Table(name = "incident")
class Incident {

	private static final int MAX_NOTE_LENGTH = 10_000;

	/** A mitigation's note or a correction's reason. */
	static final int MAX_REASON_LENGTH = 1_000;

	/**
	 * How long before detection a corrected impact start may be: a quality regression can
	 * go unnoticed for weeks, but not for more than the longest analytics window.
	 */
	static final Duration MAX_IMPACT_BEFORE_DETECTION = Duration.ofDays(366);

	/**
	 * Starts the group key of a declared incident until a person attaches an Alertmanager
	 * group to it (Alertmanager's keys start with the route's matchers, {@code {}...}).
	 */
	static final String DECLARED_GROUP = "warden:declared:";

	static final int MAX_TITLE_LENGTH = 300;

	static final int MAX_DESCRIPTION_LENGTH = 10_000;

	static final int MAX_LABELS = 30;

	static final int MAX_LABEL_VALUE_LENGTH = 1_000;

	static final int MAX_GROUP_KEY_LENGTH = 10_000;

	/** Prometheus's label names. */
	private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,99}");

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Version
	private long version;

	private String groupKey;

	private String groupHash;

	private String receiver;

	private String groupStatus;

	@Enumerated(EnumType.STRING)
	private IncidentStatus status;

	@Enumerated(EnumType.STRING)
	private Severity severity;

	private boolean severityOverridden;

	private String title;

	private String service;

	private String team;

	/** The person who declared it; null when an alert opened it. */
	@Embedded
	@AttributeOverrides({ @AttributeOverride(name = "kind", column = @Column(name = "declared_by_kind")),
			@AttributeOverride(name = "name", column = @Column(name = "declared_by_name")) })
	private Actor declaredBy;

	/** What the person who declared it wrote; null when an alert opened it. */
	private String description;

	/** The incident this one was merged into; null unless it was. */
	private Long mergedInto;

	/**
	 * The hash of who declared it and their idempotency key, when they gave one: a
	 * repeated declaration finds the incident by it, whatever group it has since.
	 */
	private String declarationKey;

	/** The incident this one was split out of; null unless it was. */
	private Long splitFrom;

	/**
	 * Fingerprints of this incident's group that were split out into another incident:
	 * fingerprint → that incident. Their alerts go there while it is open.
	 */
	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, Long> splitOut = new LinkedHashMap<>();

	/**
	 * While receiving a batch of a group whose incident was merged into this one: that
	 * incident, which new alerts are marked as coming from.
	 */
	@Transient
	private Long receivingFor;

	private String externalUrl;

	/** The routing version the last routing decision was taken with, or null. */
	private Long routingVersion;

	/** The content hash of the routing file the last routing decision used, or null. */
	private String routingHash;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> groupLabels;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> commonLabels;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> commonAnnotations;

	private int truncatedAlerts;

	@Embedded
	private Milestones milestones;

	private int reopenCount;

	/**
	 * How many of its changes were handed to the followers; each change with news takes
	 * the next number (see {@link IncidentService}).
	 */
	private int changes;

	/** Computed by PostgreSQL (status is not resolved), for the console's sort order. */
	@Column(insertable = false, updatable = false)
	private boolean open;

	private Instant lastAlertAt;

	private Instant updatedAt;

	@OneToMany(mappedBy = "incident", cascade = CascadeType.ALL)
	@OrderBy("id")
	private List<Alert> alerts = new ArrayList<>();

	@OneToMany(mappedBy = "incident", cascade = CascadeType.ALL)
	@OrderBy("occurredAt, id")
	private List<TimelineEvent> timeline = new ArrayList<>();

	/** Events recorded in this transaction that listeners have not heard of yet. */
	@Transient
	private List<TimelineEvent> unpublished = new ArrayList<>();

	/**
	 * New alerts and events without ids yet, in the order they were added: their ids are
	 * drawn together (see {@link IncidentRowIds}). Kept apart from the collections so
	 * that drawing never loads the timeline.
	 */
	@Transient
	private List<Alert> alertsWithoutIds = new ArrayList<>();

	@Transient
	private List<TimelineEvent> eventsWithoutIds = new ArrayList<>();

	/**
	 * Opened in this transaction: nobody else can see or change the incident before it
	 * commits, so its rows may take ids drawn earlier (see {@link IncidentRowIds}).
	 */
	@Transient
	private boolean openedInThisTransaction;

	protected Incident() {
	}

	private Incident(AlertBatch batch, IncidentPolicy policy, Instant now) {
		this.groupKey = batch.groupKey();
		this.groupHash = hashOf(batch.groupKey());
		this.status = IncidentStatus.TRIGGERED;
		this.severity = batch.alerts()
			.stream()
			.map((alert) -> policy.severityOf(alert.labels()))
			.min(Enum::compareTo)
			.orElse(policy.defaultSeverity());
		this.title = titleOf(batch);
		this.service = policy.serviceOf(batch);
		this.team = policy.teamOf(batch);
		this.groupLabels = new LinkedHashMap<>(batch.groupLabels());
		this.milestones = new Milestones(now);
		this.lastAlertAt = now;
		this.updatedAt = now;
		this.openedInThisTransaction = true;
	}

	/**
	 * Opens an incident for a group Warden has no open incident for, and takes in the
	 * batch's alerts.
	 */
	static Incident open(AlertBatch batch, IncidentPolicy policy, Instant now) {
		Incident incident = new Incident(batch, policy, now);
		incident.record(now, TimelineEventType.INCIDENT_OPENED, Actor.ALERTMANAGER,
				"Incident opened: " + incident.title,
				details("severity", incident.severity, "service", incident.service, "team", incident.team, "receiver",
						batch.receiver(), "groupKey", batch.groupKey()));
		incident.receive(batch, policy, now, true);
		return incident;
	}

	private Incident(Declaration declaration, Map<String, String> labels, Actor by, Instant now) {
		this.declarationKey = declarationKey(declaration, by);
		this.groupKey = DECLARED_GROUP + hashOf(UUID.randomUUID().toString());
		this.groupHash = hashOf(this.groupKey);
		this.groupStatus = "resolved";
		this.status = IncidentStatus.TRIGGERED;
		this.severity = declaration.severity();
		this.severityOverridden = true;
		this.title = declaration.title().strip();
		this.service = blankToNull(declaration.service());
		this.team = blankToNull(declaration.team());
		this.declaredBy = by;
		this.description = blankToNull(declaration.description());
		this.groupLabels = new LinkedHashMap<>(labels);
		this.commonLabels = new LinkedHashMap<>();
		this.commonAnnotations = new LinkedHashMap<>();
		this.milestones = new Milestones(now);
		if (declaration.impactStartedAt() != null) {
			this.milestones.impactStartCorrected(declaration.impactStartedAt());
		}
		this.lastAlertAt = now;
		this.updatedAt = now;
		this.openedInThisTransaction = true;
	}

	/**
	 * Opens an incident a person declared: no alert has fired for it (yet). Routing
	 * decides who hears about it and escalates it like any other; its severity is the
	 * person's, and routes and alerts keep it; it resolves only by a person's hand.
	 * @throws InvalidIncidentInput when the declaration is incomplete or too large
	 */
	static Incident declare(Declaration declaration, Actor by, Instant now) {
		Map<String, String> labels = checkedDeclaration(declaration, now);
		Incident incident = new Incident(declaration, labels, by, now);
		incident.record(now, TimelineEventType.INCIDENT_OPENED, by,
				"Incident declared by %s: %s".formatted(by.name(), incident.title),
				details("severity", incident.severity, "service", incident.service, "team", incident.team, "declaredBy",
						by.name(), "description", incident.description, "labels", labels, "impactStartedAt",
						declaration.impactStartedAt()));
		return incident;
	}

	/**
	 * The declaration's routing labels: the person's labels with the service, team and
	 * severity they gave, as routes match alerts' labels.
	 */
	private static Map<String, String> checkedDeclaration(Declaration declaration, Instant now) {
		String title = declaration.title();
		if (title == null || title.isBlank()) {
			throw new InvalidIncidentInput("A declared incident needs a title");
		}
		checkedLength(title, "Its title", MAX_TITLE_LENGTH);
		if (declaration.severity() == null) {
			throw new InvalidIncidentInput(
					"A declared incident needs a severity: one of critical, high, warning, info");
		}
		checkedLength(declaration.service(), "Its service", MAX_LABEL_VALUE_LENGTH);
		checkedLength(declaration.team(), "Its team", MAX_LABEL_VALUE_LENGTH);
		checkedLength(declaration.description(), "Its description", MAX_DESCRIPTION_LENGTH);
		if (declaration.labels().size() > MAX_LABELS) {
			throw new InvalidIncidentInput("A declared incident has at most " + MAX_LABELS + " labels");
		}
		Map<String, String> labels = new LinkedHashMap<>();
		declaration.labels().forEach((name, value) -> {
			if (name == null || !LABEL_NAME.matcher(name).matches()) {
				throw new InvalidIncidentInput(
						"Label name '%s' is not a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, at most 100)"
							.formatted(name));
			}
			if (value == null) {
				throw new InvalidIncidentInput("Label " + name + " needs a value");
			}
			checkedLength(value, "Label " + name, MAX_LABEL_VALUE_LENGTH);
			labels.put(name, value);
		});
		put(labels, "service", blankToNull(declaration.service()));
		put(labels, "team", blankToNull(declaration.team()));
		put(labels, "severity", declaration.severity().name().toLowerCase(Locale.ROOT));
		Instant impact = declaration.impactStartedAt();
		if (impact != null && impact.isAfter(now)) {
			throw new InvalidIncidentInput("The impact cannot start in the future: " + impact + " is after " + now);
		}
		if (impact != null && impact.isBefore(now.minus(MAX_IMPACT_BEFORE_DETECTION))) {
			throw new InvalidIncidentInput("An impact start is at most %d days before detection: %s is before %s"
				.formatted(MAX_IMPACT_BEFORE_DETECTION.toDays(), impact, now.minus(MAX_IMPACT_BEFORE_DETECTION)));
		}
		return labels;
	}

	/** Adds the field's label; a label of that name must agree with the field. */
	private static void put(Map<String, String> labels, String name, String value) {
		if (value == null) {
			return;
		}
		String given = labels.get(name);
		if (given != null && !given.equals(value)) {
			throw new InvalidIncidentInput("Label %s is '%s' but the %s given is '%s'; leave the label out"
				.formatted(name, given, name, value));
		}
		labels.put(name, value);
	}

	private static void checkedLength(String text, String what, int max) {
		if (text == null) {
			return;
		}
		if (text.length() > max) {
			throw new InvalidIncidentInput(what + " holds at most " + max + " characters");
		}
		checkedStorable(text, what);
	}

	/**
	 * PostgreSQL's text refuses NUL, and UTF-8 cannot carry an unpaired surrogate: such
	 * text is the caller's mistake, refused rather than failing in the database.
	 */
	static void checkedStorable(String text, String what) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c == '\u0000') {
				throw new InvalidIncidentInput(what + " must not contain the NUL character (\\u0000)");
			}
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new InvalidIncidentInput(what + " must not contain an unpaired UTF-16 surrogate");
			}
		}
	}

	private static String blankToNull(String text) {
		return (text == null || text.isBlank()) ? null : text.strip();
	}

	private Incident(Incident source, List<Alert> alerts, String title, Instant now) {
		this.groupKey = SPLIT_GROUP + hashOf(UUID.randomUUID().toString());
		this.groupHash = hashOf(this.groupKey);
		this.groupStatus = alerts.stream().anyMatch(Alert::isFiring) ? "firing" : "resolved";
		this.status = IncidentStatus.TRIGGERED;
		this.severity = alerts.stream()
			.filter(Alert::isFiring)
			.map(Alert::severity)
			.min(Enum::compareTo)
			.orElse(source.severity);
		this.title = title;
		this.service = source.service;
		this.team = source.team;
		this.splitFrom = source.id().value();
		this.receiver = source.receiver;
		this.externalUrl = source.externalUrl;
		this.groupLabels = new LinkedHashMap<>(source.groupLabels);
		Map<String, String> common = new LinkedHashMap<>(alerts.getFirst().labels());
		for (Alert alert : alerts) {
			common.entrySet().removeIf((label) -> !label.getValue().equals(alert.labels().get(label.getKey())));
		}
		this.commonLabels = common;
		this.commonAnnotations = new LinkedHashMap<>();
		Instant detected = alerts.stream().map(Alert::firstSeenAt).min(Instant::compareTo).orElse(now);
		this.milestones = new Milestones(detected);
		alerts.forEach((alert) -> this.milestones.impactStarted(alert.startsAt()));
		this.lastAlertAt = now;
		this.updatedAt = now;
		this.openedInThisTransaction = true;
	}

	/** Starts the group key of an incident split out of another's group. */
	static final String SPLIT_GROUP = "warden:split:";

	/**
	 * Splits alerts out of this incident into a new one, which routing and notifications
	 * then take up as any new incident (no runbook starts by itself: no alert fired for
	 * it). Later notifications of this incident's group bring those alerts to the new
	 * incident while it is open. Undone by merging the new incident back into this one.
	 * @param fingerprints the alerts to split out: this incident's, not all of them
	 * @param title the new incident's title; null for the first alert's summary or name
	 * @return the new incident, not yet saved
	 */
	Incident splitOut(List<String> fingerprints, String title, Instant now) {
		if (!this.status.isOpen()) {
			throw new IllegalIncidentTransition(id(), this.status, "split", "it is resolved; reopen it first");
		}
		if (fingerprints == null || fingerprints.isEmpty()) {
			throw new InvalidIncidentInput("Splitting needs the fingerprints of the alerts to split out");
		}
		List<Alert> moving = new ArrayList<>();
		for (String fingerprint : new java.util.LinkedHashSet<>(fingerprints)) {
			if (fingerprint == null) {
				throw new InvalidIncidentInput("A fingerprint cannot be null");
			}
			moving.add(alert(fingerprint).orElseThrow(() -> new InvalidIncidentInput(
					"%s has no alert with fingerprint '%s'".formatted(id(), abbreviated(fingerprint)))));
		}
		if (moving.size() == this.alerts.size()) {
			throw new InvalidIncidentInput(
					"That is every alert of " + id() + "; splitting leaves at least one (change its title instead)");
		}
		String given = blankToNull(title);
		if (given != null) {
			checkedLength(given, "Its title", MAX_TITLE_LENGTH);
		}
		String newTitle = (given != null) ? given
				: Optional.ofNullable(moving.getFirst().annotations().get("summary"))
					.filter((summary) -> !summary.isBlank())
					.map(String::strip)
					.orElse(moving.getFirst().name());
		return new Incident(this, moving, newTitle, now);
	}

	/**
	 * Completes a split once the new incident has its id: the alerts move, both timelines
	 * say so, and this incident remembers where their fingerprints go.
	 */
	void completeSplit(Incident split, List<String> fingerprints, Actor by, Instant now) {
		List<Alert> moving = new java.util.LinkedHashSet<>(fingerprints).stream()
			.map((fp) -> alert(fp).orElseThrow())
			.toList();
		for (Alert alert : moving) {
			this.alerts.remove(alert);
			alert.moveTo(split, null);
			split.alerts.add(alert);
			this.splitOut.put(alert.fingerprint(), split.id().value());
		}
		this.updatedAt = now;
		List<String> names = moving.stream().map(Alert::headline).toList();
		record(now, TimelineEventType.SPLIT, by,
				"%d alert(s) split out into %s by %s: %s".formatted(moving.size(), split.id(), by.name(),
						String.join("; ", names)),
				details("into", split.id().value(), "fingerprints", moving.stream().map(Alert::fingerprint).toList()));
		split.record(now, TimelineEventType.INCIDENT_OPENED, by,
				"Incident split out of %s by %s: %s".formatted(id(), by.name(), split.title),
				details("severity", split.severity, "service", split.service, "team", split.team, "splitFrom",
						id().value(), "alerts", moving.size()));
	}

	/**
	 * The incident a fingerprint of this incident's group was split out into, or null.
	 */
	Long splitInto(String fingerprint) {
		return this.splitOut.get(fingerprint);
	}

	boolean hasSplitOut() {
		return !this.splitOut.isEmpty();
	}

	/** The split-out incident no longer takes this fingerprint (it resolved). */
	void takeBack(String fingerprint) {
		this.splitOut.remove(fingerprint);
	}

	private static String abbreviated(String text) {
		return (text.length() > 100) ? text.substring(0, 100) + "…" : text;
	}

	/**
	 * Merges this incident into {@code target}: its alerts move there (those whose
	 * fingerprint the target has already stay here), the target's impact start and
	 * severity take them in as alerts would, and this incident resolves as merged into
	 * the target. Both timelines say so; the rest of this incident's history (timeline,
	 * runbook runs, notifications) stays here, linked from the target's timeline.
	 * @return how many alerts moved
	 */
	int mergeInto(Incident target, Actor by, Instant now) {
		if (target == this || target.id().equals(id())) {
			throw new InvalidIncidentInput("An incident cannot be merged into itself");
		}
		if (!this.status.isOpen()) {
			throw new IllegalIncidentTransition(id(), this.status, "merged", (this.mergedInto != null)
					? "it was already merged into " + new IncidentId(this.mergedInto) : "it is resolved");
		}
		if (!target.status.isOpen()) {
			throw new IllegalIncidentTransition(id(), this.status, "merged into " + target.id(),
					target.id() + " is resolved; reopen it first");
		}
		List<Alert> moving = this.alerts.stream()
			.filter((alert) -> target.alert(alert.fingerprint()).isEmpty())
			.toList();
		for (Alert alert : moving) {
			this.alerts.remove(alert);
			alert.moveTo(target, id().value());
			target.alerts.add(alert);
			target.milestones.impactStarted(alert.startsAt());
			if (alert.isFiring()) {
				target.raiseSeverity(alert.severity(), now);
			}
		}
		if (this.milestones.impactStartedAt() != null) {
			target.milestones.impactStarted(this.milestones.impactStartedAt());
		}
		int stayed = this.alerts.size();
		// Merging a split incident back undoes the split: its fingerprints are the
		// target's group's again.
		target.splitOut.values().removeIf((incident) -> incident.equals(id().value()));
		target.updatedAt = now;
		target.record(now, TimelineEventType.MERGED, by,
				"%s merged into this incident by %s: %s (%d alert(s) moved here)".formatted(id(), by.name(), this.title,
						moving.size()),
				details("from", id().value(), "fromTitle", this.title, "alertsMoved", moving.size(), "alertsStayed",
						stayed));
		transition(IncidentStatus.RESOLVED, "resolved");
		this.status = IncidentStatus.RESOLVED;
		this.milestones.resolved(by, now);
		this.mergedInto = target.id().value();
		this.updatedAt = now;
		record(now, TimelineEventType.RESOLVED, by,
				"Merged into %s by %s: %s".formatted(target.id(), by.name(), target.title),
				details("reason", "merged", "mergedInto", target.id().value(), "alertsMoved", moving.size()));
		return moving.size();
	}

	/**
	 * Undoes {@link #mergeInto}: the alerts this incident brought to {@code target}, and
	 * those of its group that came there since, move back, and this incident opens again
	 * (its group must have no other open incident: the caller checks).
	 * @return how many alerts moved back
	 */
	int unmergeFrom(Incident target, Actor by, Instant now) {
		if (this.mergedInto == null || !this.mergedInto.equals(target.id().value())) {
			throw new IllegalIncidentTransition(id(), this.status, "unmerged", "it is not merged");
		}
		List<Alert> returning = target.alerts.stream()
			.filter((alert) -> Long.valueOf(id().value()).equals(alert.mergedFrom()))
			.filter((alert) -> alert(alert.fingerprint()).isEmpty())
			.toList();
		for (Alert alert : returning) {
			target.alerts.remove(alert);
			alert.moveTo(this, null);
			this.alerts.add(alert);
			if (Long.valueOf(target.id().value()).equals(this.splitFrom)) {
				// Split out of the target, merged back, unmerged: split again.
				target.splitOut.put(alert.fingerprint(), id().value());
			}
		}
		target.updatedAt = now;
		target.record(now, TimelineEventType.UNMERGED, by,
				"%s taken out of this incident by %s: %s (%d alert(s) moved back)".formatted(id(), by.name(),
						this.title, returning.size()),
				details("to", id().value(), "toTitle", this.title, "alertsMoved", returning.size()));
		this.mergedInto = null;
		reopen(by, now,
				"unmerged from %s by %s (%d alert(s) moved back)".formatted(target.id(), by.name(), returning.size()));
		return returning.size();
	}

	/** The incident this one was split out of, or null. */
	public IncidentId splitFrom() {
		return (this.splitFrom != null) ? new IncidentId(this.splitFrom) : null;
	}

	/** The incident this one was merged into, or null. */
	public IncidentId mergedInto() {
		return (this.mergedInto != null) ? new IncidentId(this.mergedInto) : null;
	}

	/** The key a declaration with an idempotency key is found by, or null. */
	static String declarationKey(Declaration declaration, Actor by) {
		return (declaration.idempotencyKey() != null)
				? hashOf(by.kind() + "\n" + by.name() + "\n" + declaration.idempotencyKey()) : null;
	}

	/** Whether a person declared it (no alert opened it). */
	boolean isDeclared() {
		return this.declaredBy != null;
	}

	/** Whether an Alertmanager group was attached to this declared incident. */
	boolean hasOwnGroup() {
		return !this.groupKey.startsWith(DECLARED_GROUP);
	}

	/**
	 * Attaches an Alertmanager group to this declared incident: that group's alerts come
	 * here from now on, as they would to an incident they opened (the caller checks no
	 * other open incident has the group).
	 */
	Incident attachGroup(Actor by, String groupKey, Instant now) {
		if (!isDeclared()) {
			throw new IllegalIncidentTransition(id(), this.status, "given an alert group",
					"its alerts' group opened it; merging incidents is how two groups come together");
		}
		if (hasOwnGroup()) {
			throw new IllegalIncidentTransition(id(), this.status, "given an alert group",
					"it already has the group " + this.groupKey);
		}
		if (!this.status.isOpen()) {
			throw new IllegalIncidentTransition(id(), this.status, "given an alert group");
		}
		if (groupKey == null || groupKey.isBlank()) {
			throw new InvalidIncidentInput("Attaching a group needs the group's key (Alertmanager's groupKey)");
		}
		checkedLength(groupKey, "A group key", MAX_GROUP_KEY_LENGTH);
		if (groupKey.startsWith(DECLARED_GROUP)) {
			throw new InvalidIncidentInput("That is a declared incident's own key, not an Alertmanager group");
		}
		String placeholder = this.groupKey;
		this.groupKey = groupKey;
		this.groupHash = hashOf(groupKey);
		this.updatedAt = now;
		record(now, TimelineEventType.GROUP_ATTACHED, by,
				"Alert group attached by %s: its alerts come to this incident".formatted(by.name()),
				details("groupKey", groupKey, "from", placeholder));
		return this;
	}

	/**
	 * Takes in a batch of this incident's group: new alerts attach, known ones update,
	 * and resends of what Warden already knows only move "last seen".
	 * @return what changed
	 */
	Reception receive(AlertBatch batch, IncidentPolicy policy, Instant now) {
		return receive(batch, policy, now, false);
	}

	/**
	 * Takes in a batch of the group of an incident that was merged into this one: its
	 * alerts come here (new ones marked as that incident's, for an unmerge), but the
	 * group's labels, annotations and status stay this incident's own group's.
	 */
	Reception receiveMerged(AlertBatch batch, IncidentPolicy policy, Instant now, IncidentId from) {
		this.receivingFor = from.value();
		try {
			return receive(batch, policy, now, false, false);
		}
		finally {
			this.receivingFor = null;
		}
	}

	/**
	 * Takes in alerts of the group of the incident this one was split out of: its
	 * fingerprints that come here; the group's labels and status stay this incident's.
	 */
	Reception receiveSplit(AlertBatch batch, IncidentPolicy policy, Instant now) {
		return receive(batch, policy, now, false, false);
	}

	private Reception receive(AlertBatch batch, IncidentPolicy policy, Instant now, boolean opening) {
		return receive(batch, policy, now, opening, true);
	}

	private Reception receive(AlertBatch batch, IncidentPolicy policy, Instant now, boolean opening, boolean ownGroup) {
		int changed = 0;
		int resolvedNow = 0;
		for (ReceivedAlert received : batch.alerts()) {
			Change change = receive(received, policy, now, opening);
			if (change != Change.NONE) {
				changed++;
			}
			if (change == Change.RESOLVED) {
				resolvedNow++;
			}
		}
		if (ownGroup) {
			if (batch.truncatedAlerts() != this.truncatedAlerts && batch.truncatedAlerts() > 0) {
				record(now, TimelineEventType.ALERTS_TRUNCATED, Actor.ALERTMANAGER,
						"Alertmanager left out %d alert(s) of this group (max_alerts)"
							.formatted(batch.truncatedAlerts()),
						details("truncatedAlerts", batch.truncatedAlerts()));
			}
			this.truncatedAlerts = batch.truncatedAlerts();
			this.receiver = batch.receiver();
			this.groupStatus = batch.firing() ? "firing" : "resolved";
			this.commonLabels = new LinkedHashMap<>(batch.commonLabels());
			this.commonAnnotations = new LinkedHashMap<>(batch.commonAnnotations());
			this.externalUrl = batch.externalUrl();
		}
		this.lastAlertAt = now;
		this.updatedAt = now;
		boolean autoResolved = false;
		if (resolvedNow > 0 && this.status.isOpen() && shouldAutoResolve(policy.autoResolve())) {
			resolve(Actor.ALERTMANAGER, now,
					(policy.autoResolve() == AutoResolve.ALL) ? "all alerts resolved" : "an alert resolved");
			autoResolved = true;
		}
		return new Reception(changed, batch.alerts().size() - changed, autoResolved);
	}

	private Change receive(ReceivedAlert received, IncidentPolicy policy, Instant now, boolean opening) {
		Optional<Alert> known = alert(received.fingerprint());
		Severity alertSeverity = policy.severityOf(received.labels());
		if (known.isEmpty()) {
			Alert alert = new Alert(this, received, alertSeverity, now);
			if (this.receivingFor != null) {
				alert.moveTo(this, this.receivingFor);
			}
			this.alerts.add(alert);
			if (!this.openedInThisTransaction) {
				this.alertsWithoutIds.add(alert);
			}
			if (!opening && !received.firing() && received.endsAt() != null
					&& received.endsAt().isBefore(this.milestones.detectedAt())) {
				// Ended before this incident was detected: it belongs to the group's past
				// and must not move this incident's milestones, severity or status.
				record(now, TimelineEventType.ALERT_RESOLVED, Actor.ALERTMANAGER,
						"Alert resolved before this incident was detected: " + alert.headline(), alertDetails(alert));
				return Change.NONE;
			}
			this.milestones.impactStarted(received.startsAt());
			raiseSeverity(alertSeverity, now);
			if (received.firing()) {
				record(now, TimelineEventType.ALERT_FIRED, Actor.ALERTMANAGER, "Alert fired: " + alert.headline(),
						alertDetails(alert));
				return Change.FIRED;
			}
			record(now, TimelineEventType.ALERT_RESOLVED, Actor.ALERTMANAGER,
					"Alert resolved (first seen resolved): " + alert.headline(), alertDetails(alert));
			return Change.RESOLVED;
		}
		Alert alert = known.get();
		if (received.startsAt().isBefore(alert.startsAt())) {
			// An older occurrence arriving late: what Warden knows is newer.
			return Change.NONE;
		}
		boolean sameOccurrence = received.startsAt().equals(alert.startsAt());
		if (received.firing()) {
			if (alert.isStaleFiring(received, policy.replayHorizon(), now)) {
				return Change.NONE;
			}
			if (sameOccurrence && alert.status() == AlertStatus.FIRING) {
				boolean repeated = !alert.lastSeenAt().plus(policy.repeatGap()).isAfter(now);
				alert.seen(received, now);
				if (repeated) {
					record(now, TimelineEventType.ALERT_REPEATED, Actor.ALERTMANAGER,
							"Alert still firing: " + alert.headline(), alertDetails(alert));
				}
				return Change.NONE;
			}
			AlertStatus before = alert.status();
			alert.apply(received, now);
			this.milestones.impactStarted(received.startsAt());
			raiseSeverity(alertSeverity, now);
			String summary = !sameOccurrence ? "Alert fired again: "
					: (before == AlertStatus.EXPIRED) ? "Alert seen firing again after it expired: "
							: "Alert fired again (Alertmanager re-sent the same occurrence after resolving it): ";
			record(now, TimelineEventType.ALERT_FIRED, Actor.ALERTMANAGER, summary + alert.headline(),
					alertDetails(alert));
			return Change.FIRED;
		}
		if (sameOccurrence && alert.status() == AlertStatus.RESOLVED) {
			alert.seen(received, now);
			return Change.NONE;
		}
		alert.apply(received, now);
		record(now, TimelineEventType.ALERT_RESOLVED, Actor.ALERTMANAGER, "Alert resolved: " + alert.headline(),
				alertDetails(alert));
		return Change.RESOLVED;
	}

	/**
	 * True when the batch tells this incident something new: an alert it does not know, a
	 * new occurrence of one it knows, or one firing again after it resolved or expired.
	 * Resends of what it knows, including alerts still firing when the incident was
	 * resolved, are not news: they never reopen an incident or open another one.
	 */
	boolean isNews(AlertBatch batch, IncidentPolicy policy, Instant now) {
		return batch.alerts().stream().anyMatch((alert) -> isNews(alert, policy, now));
	}

	/** True when the batch holds a firing alert that is news to this incident. */
	boolean hasFiringNews(AlertBatch batch, IncidentPolicy policy, Instant now) {
		return batch.alerts().stream().anyMatch((alert) -> alert.firing() && isNews(alert, policy, now));
	}

	private boolean isNews(ReceivedAlert received, IncidentPolicy policy, Instant now) {
		Optional<Alert> known = alert(received.fingerprint());
		if (known.isEmpty() || received.startsAt().isAfter(known.get().startsAt())) {
			return true;
		}
		Alert alert = known.get();
		if (!received.firing() || received.startsAt().isBefore(alert.startsAt())) {
			return false;
		}
		return switch (alert.status()) {
			case FIRING -> false;
			case EXPIRED -> true;
			case RESOLVED -> !alert.isStaleFiring(received, policy.replayHorizon(), now);
		};
	}

	private boolean shouldAutoResolve(AutoResolve policy) {
		if (isDeclared()) {
			// A person declared it: their report does not end when an alert resolves.
			return false;
		}
		return switch (policy) {
			case ALL -> this.alerts.stream().noneMatch(Alert::isFiring);
			case ANY -> true;
			case NEVER -> false;
		};
	}

	private void raiseSeverity(Severity candidate, Instant now) {
		if (!this.severityOverridden && candidate.isWorseThan(this.severity)) {
			Severity previous = this.severity;
			this.severity = candidate;
			record(now, TimelineEventType.SEVERITY_CHANGED, Actor.ALERTMANAGER,
					"Severity raised from %s to %s by a new alert".formatted(previous, candidate),
					details("from", previous, "to", candidate));
		}
	}

	/**
	 * A person (or token) takes ownership; the first acknowledgement is the milestone.
	 */
	Incident acknowledge(Actor by, Instant at) {
		transition(IncidentStatus.ACKNOWLEDGED, "acknowledged");
		this.status = IncidentStatus.ACKNOWLEDGED;
		this.milestones.acknowledged(by, at);
		this.updatedAt = at;
		record(at, TimelineEventType.ACKNOWLEDGED, by, "Acknowledged by " + by.name(), Map.of());
		return this;
	}

	/** Resolves the incident, by a person or because its alerts resolved. */
	Incident resolve(Actor by, Instant at, String reason) {
		transition(IncidentStatus.RESOLVED, "resolved");
		this.status = IncidentStatus.RESOLVED;
		this.milestones.resolved(by, at);
		this.updatedAt = at;
		String summary = (by.kind() == Actor.Kind.USER) ? "Resolved by " + by.name()
				: "Resolved automatically: " + reason;
		record(at, TimelineEventType.RESOLVED, by, summary, details("reason", reason));
		return this;
	}

	/**
	 * Opens a resolved incident again; its earlier milestones stay, resolution is
	 * cleared.
	 */
	Incident reopen(Actor by, Instant at, String reason) {
		if (this.mergedInto != null) {
			throw new IllegalIncidentTransition(id(), this.status, "reopened",
					"it was merged into " + new IncidentId(this.mergedInto) + "; unmerge it instead");
		}
		transition(IncidentStatus.TRIGGERED, "reopened");
		this.status = IncidentStatus.TRIGGERED;
		this.milestones.reopened();
		this.reopenCount++;
		this.updatedAt = at;
		record(at, TimelineEventType.REOPENED, by, "Reopened: " + reason, details("reason", reason));
		return this;
	}

	/**
	 * Records that remediation took effect at {@code at} (for example the action of a
	 * runbook whose verification then succeeded); allowed after resolution too, since
	 * proof often arrives with it. Only the first mitigation counts.
	 */
	Incident mitigate(Actor by, Instant at, Instant now, String how) {
		if (this.milestones.mitigatedAt() == null) {
			this.milestones.mitigated(at);
			this.updatedAt = now;
			record(now, TimelineEventType.MITIGATED, by, "Mitigated: " + how, details("how", how, "mitigatedAt", at));
		}
		return this;
	}

	/**
	 * A person says the incident was mitigated (fixed by hand, before it is resolved or
	 * after): the mitigated milestone, unless one is already set.
	 * @param at when the mitigation took effect: after detection, not in the future, and
	 * not after the resolution of a resolved incident; null for now (for a resolved
	 * incident, its resolution)
	 */
	Incident mitigateByHand(Actor by, Instant at, Instant now, String note) {
		if (this.milestones.mitigatedAt() != null) {
			throw new IllegalIncidentTransition(id(), this.status, "mitigated",
					"it was already mitigated at " + this.milestones.mitigatedAt());
		}
		Instant resolvedAt = this.milestones.resolvedAt();
		Instant when = (at != null) ? at : (resolvedAt != null) ? resolvedAt : now;
		if (when.isAfter(now)) {
			throw new InvalidIncidentInput("A mitigation cannot be in the future: " + when + " is after " + now);
		}
		if (resolvedAt != null && when.isAfter(resolvedAt)) {
			throw new InvalidIncidentInput(
					"A mitigation comes before the resolution: " + when + " is after " + resolvedAt);
		}
		if (when.isBefore(this.milestones.detectedAt())) {
			throw new InvalidIncidentInput(
					"A mitigation comes after detection: " + when + " is before " + this.milestones.detectedAt());
		}
		String text = checkedText(note, "A mitigation's note", false);
		return mitigate(by, when, now, "by " + by.name() + ((text != null) ? ": " + text : ""));
	}

	/**
	 * A person corrects when the impact started (the alerts' {@code startsAt} can be late
	 * or early, or no alert saw it start): the milestone takes this value, later alerts
	 * no longer move it, and the timeline keeps the old value and the reason.
	 * @param at when the impact started: not after detection, and at most
	 * {@link #MAX_IMPACT_BEFORE_DETECTION} before it
	 */
	Incident correctImpactStart(Actor by, Instant at, Instant now, String reason) {
		String why = checkedText(reason, "A correction of the impact start", true);
		if (at == null) {
			throw new InvalidIncidentInput("A correction of the impact start needs the time it started");
		}
		Instant detected = this.milestones.detectedAt();
		if (at.isAfter(detected)) {
			throw new InvalidIncidentInput(
					"The impact cannot start after Warden detected it: " + at + " is after " + detected);
		}
		if (at.isBefore(detected.minus(MAX_IMPACT_BEFORE_DETECTION))) {
			throw new InvalidIncidentInput("An impact start is at most %d days before detection: %s is before %s"
				.formatted(MAX_IMPACT_BEFORE_DETECTION.toDays(), at, detected.minus(MAX_IMPACT_BEFORE_DETECTION)));
		}
		Instant before = this.milestones.impactStartedAt();
		this.milestones.impactStartCorrected(at);
		this.updatedAt = now;
		record(now, TimelineEventType.IMPACT_START_CORRECTED, by,
				"Impact start corrected by %s to %s: %s".formatted(by.name(), at, why),
				details("from", before, "to", at, "reason", why));
		return this;
	}

	private static String checkedText(String text, String what, boolean required) {
		if (text == null || text.isBlank()) {
			if (required) {
				throw new InvalidIncidentInput(what + " needs a reason");
			}
			return null;
		}
		if (text.length() > MAX_REASON_LENGTH) {
			throw new InvalidIncidentInput(what + " holds at most " + MAX_REASON_LENGTH + " characters");
		}
		return text.strip();
	}

	/** Adds a free-text note; allowed in every status. */
	Incident addNote(Actor by, Instant at, String text) {
		if (text == null || text.isBlank()) {
			throw new InvalidIncidentInput("A note needs text");
		}
		if (text.length() > MAX_NOTE_LENGTH) {
			throw new InvalidIncidentInput("A note holds at most " + MAX_NOTE_LENGTH + " characters");
		}
		this.updatedAt = at;
		record(at, TimelineEventType.NOTE_ADDED, by, "Note by " + by.name(), details("text", text.strip()));
		return this;
	}

	/**
	 * Gives the incident the team and service its route names (a null keeps the current
	 * value).
	 */
	Incident assignOwner(Actor by, Instant at, String team, String service) {
		String newTeam = (team != null) ? team : this.team;
		String newService = (service != null) ? service : this.service;
		if (Objects.equals(newTeam, this.team) && Objects.equals(newService, this.service)) {
			return this;
		}
		String from = describeOwner(this.team, this.service);
		this.team = newTeam;
		this.service = newService;
		this.updatedAt = at;
		record(at, TimelineEventType.OWNER_CHANGED, by,
				"Owner set to %s by %s (was %s)".formatted(describeOwner(newTeam, newService), by.name(), from),
				details("team", newTeam, "service", newService));
		return this;
	}

	private static String describeOwner(String team, String service) {
		return "team " + ((team != null) ? team : "none") + ", service " + ((service != null) ? service : "none");
	}

	/**
	 * Keeps which routing file version decided who hears about the incident: the
	 * decision's event is on the timeline; this is where it stands now.
	 */
	Incident routedWith(Long version, String hash) {
		this.routingVersion = version;
		this.routingHash = hash;
		return this;
	}

	/** Sets the severity by hand; later alerts no longer raise it. */
	Incident changeSeverity(Actor by, Instant at, Severity to) {
		if (to == this.severity) {
			return this;
		}
		Severity from = this.severity;
		this.severity = to;
		this.severityOverridden = true;
		this.updatedAt = at;
		record(at, TimelineEventType.SEVERITY_CHANGED, by,
				"Severity changed from %s to %s by %s".formatted(from, to, by.name()), details("from", from, "to", to));
		return this;
	}

	/**
	 * Expires firing alerts Alertmanager stopped mentioning, and resolves the incident
	 * when none fires any more (unless auto-resolve is off).
	 * @return true when anything expired
	 */
	boolean expireAlertsNotSeenSince(Instant cutoff, AutoResolve policy, Instant now) {
		boolean expired = false;
		for (Alert alert : this.alerts) {
			if (alert.isFiring() && alert.lastSeenAt().isBefore(cutoff)) {
				alert.expire();
				expired = true;
				record(now, TimelineEventType.ALERT_EXPIRED, Actor.SYSTEM,
						"Alert expired: Alertmanager has not mentioned it since " + alert.lastSeenAt(),
						details("fingerprint", alert.fingerprint(), "alertname", alert.name(), "lastSeenAt",
								alert.lastSeenAt()));
			}
		}
		if (expired && this.status.isOpen() && policy != AutoResolve.NEVER && !isDeclared()
				&& this.alerts.stream().noneMatch(Alert::isFiring)) {
			resolve(Actor.SYSTEM, now, "no alert has fired since " + cutoff);
		}
		return expired;
	}

	/** Appends an event to the timeline; the way other modules' events get in. */
	TimelineEvent record(Instant at, TimelineEventType type, Actor actor, String summary, Map<String, ?> details) {
		TimelineEvent event = new TimelineEvent(this, at, type, actor, summary, details);
		this.timeline.add(event);
		this.unpublished.add(event);
		if (!this.openedInThisTransaction) {
			this.eventsWithoutIds.add(event);
		}
		return event;
	}

	boolean isOpenedInThisTransaction() {
		return this.openedInThisTransaction;
	}

	/**
	 * Gives every alert and event added since the last call its id, all drawn by one call
	 * of {@code draw}; ids follow the order the rows were added.
	 */
	void drawIds(IdDraw draw) {
		long[][] ids = draw.draw(this.alertsWithoutIds.size(), this.eventsWithoutIds.size());
		if (ids[0].length != this.alertsWithoutIds.size() || ids[1].length != this.eventsWithoutIds.size()) {
			throw new IllegalStateException("Drew %d and %d ids for %d alerts and %d events".formatted(ids[0].length,
					ids[1].length, this.alertsWithoutIds.size(), this.eventsWithoutIds.size()));
		}
		for (int i = 0; i < ids[0].length; i++) {
			this.alertsWithoutIds.get(i).drawn(ids[0][i]);
		}
		for (int i = 0; i < ids[1].length; i++) {
			this.eventsWithoutIds.get(i).drawn(ids[1][i]);
		}
		this.alertsWithoutIds.clear();
		this.eventsWithoutIds.clear();
	}

	/** Draws ids for new rows of an incident, ascending. */
	@FunctionalInterface
	interface IdDraw {

		/**
		 * @return the alerts' ids and the events' ids, each ascending
		 */
		long[][] draw(int alerts, int events);

	}

	/** Whether someone set the severity by hand (later alerts no longer raise it). */
	boolean isSeverityOverridden() {
		return this.severityOverridden;
	}

	int changes() {
		return this.changes;
	}

	/**
	 * Numbers a change with news for the followers: changes of one incident are numbered
	 * under its row lock, so the numbers are the order in which they commit.
	 */
	int nextChange() {
		return ++this.changes;
	}

	/**
	 * The events recorded since the last call, oldest first; the service publishes them
	 * once they are flushed and have ids.
	 */
	List<TimelineEvent> drainUnpublished() {
		List<TimelineEvent> drained = List.copyOf(this.unpublished);
		this.unpublished.clear();
		return drained;
	}

	private void transition(IncidentStatus next, String action) {
		if (!this.status.canTransitionTo(next)) {
			throw new IllegalIncidentTransition(id(), this.status, action);
		}
	}

	private Optional<Alert> alert(String fingerprint) {
		return this.alerts.stream().filter((alert) -> alert.fingerprint().equals(fingerprint)).findFirst();
	}

	/** The stored identity of a group key: SHA-256, as group keys can be long. */
	static String hashOf(String groupKey) {
		return HexFormat.of().formatHex(sha256(groupKey.getBytes(StandardCharsets.UTF_8)));
	}

	private static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String titleOf(AlertBatch batch) {
		String common = batch.commonAnnotations().get("summary");
		if (common != null && !common.isBlank()) {
			return common.strip();
		}
		ReceivedAlert first = batch.alerts().getFirst();
		if (batch.alerts().size() == 1 && first.annotations().get("summary") != null
				&& !first.annotations().get("summary").isBlank()) {
			return first.annotations().get("summary").strip();
		}
		String name = batch.commonLabels().getOrDefault("alertname", batch.groupLabels().get("alertname"));
		return (name != null) ? name : first.name();
	}

	private static Map<String, Object> alertDetails(Alert alert) {
		GrafanaDetails grafana = alert.grafana();
		// Grafana's values as they were at this event: the alert keeps only the latest.
		return details("fingerprint", alert.fingerprint(), "alertname", alert.name(), "status", alert.status(),
				"startsAt", alert.startsAt(), "endsAt", alert.endsAt(), "generatorURL", alert.generatorUrl(), "values",
				(grafana != null) ? grafana.valuesText() : null);
	}

	private static Map<String, Object> details(Object... keyValues) {
		Map<String, Object> details = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			Object value = keyValues[i + 1];
			if (value != null) {
				details.put((String) keyValues[i],
						(value instanceof Enum<?> e) ? e.name().toLowerCase(Locale.ROOT) : value);
			}
		}
		return details;
	}

	public IncidentId id() {
		return (this.id != null) ? new IncidentId(this.id) : null;
	}

	String groupHash() {
		return this.groupHash;
	}

	public String groupKey() {
		return this.groupKey;
	}

	public String receiver() {
		return this.receiver;
	}

	public IncidentStatus status() {
		return this.status;
	}

	public Severity severity() {
		return this.severity;
	}

	public String title() {
		return this.title;
	}

	public String service() {
		return this.service;
	}

	public String team() {
		return this.team;
	}

	/** The person who declared it, or null when an alert opened it. */
	public Actor declaredBy() {
		return this.declaredBy;
	}

	/** What the person who declared it wrote, or null. */
	public String description() {
		return this.description;
	}

	/**
	 * The routing version the last routing decision was taken with, or null (not routed
	 * yet, or by a routing file no version was recorded for).
	 */
	public Long routingVersion() {
		return this.routingVersion;
	}

	/** The content hash of the routing file that last routed the incident, or null. */
	public String routingHash() {
		return this.routingHash;
	}

	public String externalUrl() {
		return this.externalUrl;
	}

	public Map<String, String> groupLabels() {
		return Collections.unmodifiableMap(this.groupLabels);
	}

	/** Labels all alerts of the last notification shared. */
	public Map<String, String> commonLabels() {
		return Collections.unmodifiableMap(this.commonLabels);
	}

	/** Annotations all alerts of the last notification shared. */
	public Map<String, String> commonAnnotations() {
		return Collections.unmodifiableMap(this.commonAnnotations);
	}

	/**
	 * The group's status in the last notification: {@code firing} or {@code resolved}.
	 */
	public String groupStatus() {
		return this.groupStatus;
	}

	/** How many alerts Alertmanager left out of the last notification. */
	public int truncatedAlerts() {
		return this.truncatedAlerts;
	}

	public Milestones milestones() {
		return this.milestones;
	}

	public int reopenCount() {
		return this.reopenCount;
	}

	/** When Alertmanager last sent anything about this incident. */
	public Instant lastAlertAt() {
		return this.lastAlertAt;
	}

	public Instant updatedAt() {
		return this.updatedAt;
	}

	public List<Alert> alerts() {
		return Collections.unmodifiableList(this.alerts);
	}

	public List<TimelineEvent> timeline() {
		return Collections.unmodifiableList(this.timeline);
	}

	private enum Change {

		NONE, FIRED, RESOLVED

	}

	/**
	 * What a batch changed.
	 *
	 * @param changedAlerts alerts that fired, fired again or resolved
	 * @param unchangedAlerts resends that only moved "last seen"
	 * @param autoResolved whether the incident resolved because of the batch
	 */
	record Reception(int changedAlerts, int unchangedAlerts, boolean autoResolved) {
	}

}
