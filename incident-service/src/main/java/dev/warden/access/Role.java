package dev.warden.access;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a console user may do, in the console and through the Slack buttons that act as
 * them. Each role includes the ones below it (the console's role hierarchy says the
 * same): an admin is also a responder, a responder also a viewer.
 */
public enum Role {

	/** Reads incidents, timelines and reports. */
	VIEWER,

	/** Also acts on incidents: acknowledge, resolve, run runbooks. */
	RESPONDER,

	/** Also manages console users and API tokens. */
	ADMIN;

	/**
	 * The name in the database and in forms: {@code viewer}, {@code responder},
	 * {@code admin}.
	 */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** The authority Spring Security checks for this role, like {@code ROLE_ADMIN}. */
	public GrantedAuthority authority() {
		return new SimpleGrantedAuthority("ROLE_" + name());
	}

	/** The role with this {@link #value()}, ignoring case; empty for anything else. */
	public static Optional<Role> of(String value) {
		return Arrays.stream(values()).filter((role) -> role.value().equalsIgnoreCase(value)).findFirst();
	}

	/**
	 * True when this role includes {@code other}: an admin includes responder and viewer.
	 */
	public boolean includes(Role other) {
		return compareTo(other) >= 0;
	}

}
