package dev.warden.incidents;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One entry of an incident's append-only timeline: what happened, when, who did it, and
 * the details that matter for it.
 */
@Entity
@Immutable
@Table(name = "timeline_event")
class TimelineEvent {

	@Id
	@IncidentRowId
	private Long id;

	/** The id drawn for a new event, until it is persisted with it. */
	@Transient
	private Long drawnId;

	@ManyToOne(fetch = FetchType.LAZY, optional = false)
	@JoinColumn(name = "incident_id")
	private Incident incident;

	private Instant occurredAt;

	@Convert(converter = TypeConverter.class)
	private TimelineEventType type;

	/** Whether the type was declared news, stored so that it reads back as declared. */
	private boolean news;

	@Embedded
	private Actor actor;

	private String summary;

	@JdbcTypeCode(SqlTypes.JSON)
	private Map<String, Object> details;

	protected TimelineEvent() {
	}

	TimelineEvent(Incident incident, Instant occurredAt, TimelineEventType type, Actor actor, String summary,
			Map<String, ?> details) {
		this.incident = Objects.requireNonNull(incident);
		this.occurredAt = Objects.requireNonNull(occurredAt);
		this.type = Objects.requireNonNull(type);
		this.news = type.news();
		this.actor = Objects.requireNonNull(actor);
		this.summary = Objects.requireNonNull(summary);
		this.details = new LinkedHashMap<>();
		details.forEach((key, value) -> {
			if (value != null) {
				this.details.put(key, (value instanceof Instant instant) ? instant.toString() : value);
			}
		});
	}

	/** The event's id; ids of one incident's events grow with time. */
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

	public Instant occurredAt() {
		return this.occurredAt;
	}

	public TimelineEventType type() {
		return (this.type.news() == this.news) ? this.type : new TimelineEventType(this.type.name(), this.news);
	}

	public Actor actor() {
		return this.actor;
	}

	/** One line a person can read. */
	public String summary() {
		return this.summary;
	}

	/** Structured details; instants are ISO-8601 strings. */
	public Map<String, Object> details() {
		return Collections.unmodifiableMap(this.details);
	}

	@Converter
	static class TypeConverter implements AttributeConverter<TimelineEventType, String> {

		@Override
		public String convertToDatabaseColumn(TimelineEventType type) {
			return (type != null) ? type.name() : null;
		}

		@Override
		public TimelineEventType convertToEntityAttribute(String name) {
			return (name != null) ? new TimelineEventType(name) : null;
		}

	}

}
