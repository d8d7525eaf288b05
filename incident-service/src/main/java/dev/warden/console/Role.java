package dev.warden.console;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What a console user may do. Each role includes the ones below it (see
 * {@link ConsoleSecurityConfiguration#roleHierarchy()}): an admin is also a responder, a
 * responder also a viewer.
 */
enum Role {

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

	GrantedAuthority authority() {
		return new SimpleGrantedAuthority("ROLE_" + name());
	}

	/** The role with this {@link #value()}, ignoring case; empty for anything else. */
	static Optional<Role> of(String value) {
		return Arrays.stream(values()).filter((role) -> role.value().equalsIgnoreCase(value)).findFirst();
	}

}
