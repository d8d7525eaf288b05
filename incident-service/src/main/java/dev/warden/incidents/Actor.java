package dev.warden.incidents;

import java.util.Locale;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

/**
 * Who did something to an incident.
 *
 * @param kind a person, Alertmanager, or Warden itself
 * @param name the user or token name; the source name for the others
 */
@Embeddable
public record Actor(@Enumerated(EnumType.STRING) @Column(name = "actor_kind") Kind kind,
		@Column(name = "actor_name") String name) {

	/** Warden itself, e.g. its housekeeping. */
	public static final Actor SYSTEM = new Actor(Kind.SYSTEM, "warden");

	/** Alertmanager, through its webhook. */
	public static final Actor ALERTMANAGER = new Actor(Kind.ALERTMANAGER, "alertmanager");

	public Actor {
		Objects.requireNonNull(kind, "kind");
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("An actor needs a name");
		}
	}

	/** A person, identified by user or API token name. */
	public static Actor user(String name) {
		return new Actor(Kind.USER, name);
	}

	@Override
	public String toString() {
		return (this.kind == Kind.USER) ? this.name : this.kind.name().toLowerCase(Locale.ROOT) + ":" + this.name;
	}

	/** The kinds of actor. */
	public enum Kind {

		SYSTEM, ALERTMANAGER, USER

	}

}
