package dev.warden.incidents;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.AttributeOverrides;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.Embedded;

/**
 * The points on an incident's detection-to-resolution timeline, stored explicitly so
 * reports never have to re-derive them from events.
 */
@Embeddable
public class Milestones {

	/**
	 * Earliest {@code startsAt} of the incident's alerts, or when a person said the
	 * impact started ({@link #impactStartCorrected}).
	 */
	private Instant impactStartedAt;

	/** A person corrected the impact start: alerts no longer move it. */
	private boolean impactStartCorrected;

	/** When Warden received the first webhook. */
	private Instant detectedAt;

	/** First explicit acknowledgement. */
	private Instant acknowledgedAt;

	@Embedded
	@AttributeOverrides({ @AttributeOverride(name = "kind", column = @Column(name = "acknowledged_by_kind")),
			@AttributeOverride(name = "name", column = @Column(name = "acknowledged_by_name")) })
	private Actor acknowledgedBy;

	private Instant mitigatedAt;

	private Instant resolvedAt;

	@Embedded
	@AttributeOverrides({ @AttributeOverride(name = "kind", column = @Column(name = "resolved_by_kind")),
			@AttributeOverride(name = "name", column = @Column(name = "resolved_by_name")) })
	private Actor resolvedBy;

	protected Milestones() {
	}

	Milestones(Instant detectedAt) {
		this.detectedAt = detectedAt;
	}

	/**
	 * A detached copy, for the views this module hands out: what they show stays as it
	 * was read, whatever happens to the incident afterwards.
	 */
	Milestones copy() {
		Milestones copy = new Milestones(this.detectedAt);
		copy.impactStartedAt = this.impactStartedAt;
		copy.impactStartCorrected = this.impactStartCorrected;
		copy.acknowledgedAt = this.acknowledgedAt;
		copy.acknowledgedBy = this.acknowledgedBy;
		copy.mitigatedAt = this.mitigatedAt;
		copy.resolvedAt = this.resolvedAt;
		copy.resolvedBy = this.resolvedBy;
		return copy;
	}

	void impactStarted(Instant startsAt) {
		if (!this.impactStartCorrected && (this.impactStartedAt == null || startsAt.isBefore(this.impactStartedAt))) {
			this.impactStartedAt = startsAt;
		}
	}

	void impactStartCorrected(Instant startedAt) {
		this.impactStartedAt = startedAt;
		this.impactStartCorrected = true;
	}

	void acknowledged(Actor by, Instant at) {
		if (this.acknowledgedAt == null) {
			this.acknowledgedAt = at;
			this.acknowledgedBy = by;
		}
	}

	void mitigated(Instant at) {
		if (this.mitigatedAt == null) {
			this.mitigatedAt = at;
		}
	}

	void resolved(Actor by, Instant at) {
		this.resolvedAt = at;
		this.resolvedBy = by;
	}

	void reopened() {
		this.resolvedAt = null;
		this.resolvedBy = null;
	}

	public Instant impactStartedAt() {
		return this.impactStartedAt;
	}

	/** Whether a person set the impact start, rather than the alerts. */
	public boolean impactStartCorrected() {
		return this.impactStartCorrected;
	}

	public Instant detectedAt() {
		return this.detectedAt;
	}

	public Instant acknowledgedAt() {
		return this.acknowledgedAt;
	}

	public Actor acknowledgedBy() {
		return this.acknowledgedBy;
	}

	public Instant mitigatedAt() {
		return this.mitigatedAt;
	}

	public Instant resolvedAt() {
		return this.resolvedAt;
	}

	public Actor resolvedBy() {
		return this.resolvedBy;
	}

	/** From impact start to detection; null until both are known. */
	public Duration timeToDetect() {
		return between(this.impactStartedAt, this.detectedAt);
	}

	/** From detection to the first acknowledgement (MTTA's sample). */
	public Duration timeToAcknowledge() {
		return between(this.detectedAt, this.acknowledgedAt);
	}

	/** From detection to mitigation. */
	public Duration timeToMitigate() {
		return between(this.detectedAt, this.mitigatedAt);
	}

	/** From detection to resolution (MTTR's sample). */
	public Duration timeToResolve() {
		return between(this.detectedAt, this.resolvedAt);
	}

	private static Duration between(Instant from, Instant to) {
		return (from != null && to != null) ? Duration.between(from, to) : null;
	}

}
