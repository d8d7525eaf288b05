package dev.warden.access;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an API token may do, mirroring the console's roles. {@code respond},
 * {@code automate} and {@code admin} each include {@code read}; {@code admin} includes
 * everything; {@code respond} and {@code automate} are independent of each other, so that
 * a chat bot acknowledging incidents cannot start runbooks and a deployment tool pausing
 * automation cannot silence alerts. {@code heartbeat} is for batch jobs and reads
 * nothing: it only sends heartbeats.
 */
public enum Scope {

	/**
	 * Every GET of the API (tokens and the audit log excepted), dry-runs, route tests.
	 */
	READ,

	/**
	 * Acting on incidents: acknowledge, resolve, reopen, notes, severity, postmortems,
	 * silences, on-call overrides, resending notifications.
	 */
	RESPOND,

	/** Runbooks: run, approve, cancel; pausing and resuming automatic runs. */
	AUTOMATE,

	/** Everything, and reloads, API tokens and the audit log. */
	ADMIN,

	/**
	 * Sending heartbeats ({@code POST /api/v1/heartbeats/{name}}) and nothing else, not
	 * even reading: the credential a batch job carries.
	 */
	HEARTBEAT;

	/** The name in requests, responses and the database: {@code read}, ... */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** Whether a token holding this scope may do what {@code needed} allows. */
	public boolean includes(Scope needed) {
		return this == needed || this == ADMIN || (needed == READ && this != HEARTBEAT);
	}

	/** Whether any of these held scopes includes {@code needed}. */
	public static boolean anyIncludes(Collection<Scope> held, Scope needed) {
		return held.stream().anyMatch((scope) -> scope.includes(needed));
	}

	/** Every scope these held scopes include, themselves too. */
	public static Set<Scope> effective(Collection<Scope> held) {
		Set<Scope> effective = EnumSet.noneOf(Scope.class);
		for (Scope scope : values()) {
			if (anyIncludes(held, scope)) {
				effective.add(scope);
			}
		}
		return effective;
	}

	/** The scope with this {@link #value()}, ignoring case; empty for anything else. */
	public static Optional<Scope> of(String value) {
		return Arrays.stream(values())
			.filter((scope) -> value != null && scope.value().equalsIgnoreCase(value.strip()))
			.findFirst();
	}

	/**
	 * The scope names, for messages: {@code read, respond, automate, admin, heartbeat}.
	 */
	static String names() {
		return String.join(", ", Arrays.stream(values()).map(Scope::value).toList());
	}

}
