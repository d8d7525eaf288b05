package dev.warden.incidents;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One alert of an incident, tracked by its Alertmanager fingerprint. Changed only through
 * its {@link Incident}.
 */
// A resend moves only last_seen_at: the update sets that, not the labels and annotations
// (JSON written again for every alert of a large group).
@DynamicUpdate
@Entity
@Table(name = "alert")
class Alert {

	@Id
	@IncidentRowId
	private Long id;

	/** The id drawn for a new alert, until it is persisted with it. */
	@Transient
	private Long drawnId;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "incident_id")
	private Incident incident;

	private String fingerprint;

	private String alertName;

	@Enumerated(EnumType.STRING)
	private AlertStatus status;

	@Enumerated(EnumType.STRING)
	private Severity severity;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> labels;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, String> annotations;

	private Instant startsAt;

	private Instant endsAt;

	private Instant resolvedSeenAt;

	@Column(name = "generator_url")
	private String generatorUrl;

	private Instant firstSeenAt;

	private Instant lastSeenAt;

	/**
	 * The incident this alert came from when that one was merged into its own; or null.
	 */
	private Long mergedFrom;

	// What Grafana's webhook adds; all null for alerts from Alertmanager.
	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, Double> grafanaValues;

	private String grafanaValueString;

	private String dashboardUrl;

	private String panelUrl;

	private String silenceUrl;

	private String imageUrl;

	protected Alert() {
	}

	Alert(Incident incident, ReceivedAlert received, Severity severity, Instant now) {
		this.incident = Objects.requireNonNull(incident);
		this.fingerprint = received.fingerprint();
		this.alertName = received.name();
		this.severity = severity;
		this.firstSeenAt = now;
		apply(received, now);
	}

	void apply(ReceivedAlert received, Instant now) {
		this.status = received.firing() ? AlertStatus.FIRING : AlertStatus.RESOLVED;
		this.labels = new TreeMap<>(received.labels());
		this.annotations = new TreeMap<>(received.annotations());
		this.startsAt = received.startsAt();
		this.endsAt = received.endsAt();
		this.generatorUrl = received.generatorUrl();
		this.lastSeenAt = now;
		this.resolvedSeenAt = received.firing() ? null : now;
		grafana(received.grafana());
	}

	/**
	 * A resend of what is known: its annotations and Grafana's values may have moved on
	 * (Grafana sends the values of its latest evaluation).
	 */
	void seen(ReceivedAlert received, Instant now) {
		this.annotations = new TreeMap<>(received.annotations());
		this.lastSeenAt = now;
		grafana(received.grafana());
	}

	private void grafana(GrafanaDetails details) {
		this.grafanaValues = (details != null) ? new TreeMap<>(details.values()) : null;
		this.grafanaValueString = (details != null) ? details.valueString() : null;
		this.dashboardUrl = (details != null) ? details.dashboardUrl() : null;
		this.panelUrl = (details != null) ? details.panelUrl() : null;
		this.silenceUrl = (details != null) ? details.silenceUrl() : null;
		this.imageUrl = (details != null) ? details.imageUrl() : null;
	}

	/** Moves the alert to another incident of a merge (or back, when unmerged). */
	void moveTo(Incident other, Long mergedFrom) {
		this.incident = other;
		this.mergedFrom = mergedFrom;
	}

	Long mergedFrom() {
		return this.mergedFrom;
	}

	void expire() {
		this.status = AlertStatus.EXPIRED;
	}

	/**
	 * True when a firing notification for this alert's resolved occurrence is a late
	 * retry (or an HA peer's copy) rather than the alert firing again.
	 */
	boolean isStaleFiring(ReceivedAlert received, Duration replayHorizon, Instant now) {
		return this.status == AlertStatus.RESOLVED && received.startsAt().equals(this.startsAt)
				&& this.resolvedSeenAt != null && this.resolvedSeenAt.plus(replayHorizon).isAfter(now);
	}

	public Long id() {
		return this.id;
	}

	Incident incident() {
		return this.incident;
	}

	Long drawnId() {
		return this.drawnId;
	}

	void drawn(long id) {
		this.drawnId = id;
	}

	public String fingerprint() {
		return this.fingerprint;
	}

	/** The {@code alertname} label. */
	public String name() {
		return this.alertName;
	}

	public AlertStatus status() {
		return this.status;
	}

	public Severity severity() {
		return this.severity;
	}

	public Map<String, String> labels() {
		return Collections.unmodifiableMap(this.labels);
	}

	public Map<String, String> annotations() {
		return Collections.unmodifiableMap(this.annotations);
	}

	public Instant startsAt() {
		return this.startsAt;
	}

	/** When the alert ended, or null while it has not. */
	public Instant endsAt() {
		return this.endsAt;
	}

	public String generatorUrl() {
		return this.generatorUrl;
	}

	/** What Grafana's webhook added, or null for an alert from elsewhere. */
	public GrafanaDetails grafana() {
		if (this.grafanaValues == null) {
			return null;
		}
		return new GrafanaDetails(this.grafanaValues, this.grafanaValueString, this.dashboardUrl, this.panelUrl,
				this.silenceUrl, this.imageUrl);
	}

	public Instant firstSeenAt() {
		return this.firstSeenAt;
	}

	public Instant lastSeenAt() {
		return this.lastSeenAt;
	}

	boolean isFiring() {
		return this.status == AlertStatus.FIRING;
	}

	/** The summary annotation, else the alert name. */
	String headline() {
		String summary = this.annotations.get("summary");
		return (summary != null && !summary.isBlank()) ? summary : this.alertName;
	}

}
