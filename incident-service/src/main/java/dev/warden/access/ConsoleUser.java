package dev.warden.access;

import java.time.Instant;

/**
 * A person who signs in to the console. The password hash is not part of it: only sign-in
 * reads it (see {@link ConsoleUsers#credentials(Username)}).
 *
 * @param id the user's id
 * @param username unique, lower case
 * @param displayName how the console names the user
 * @param role what the user may do
 * @param enabled whether the user may sign in
 * @param createdAt when the user was created
 * @param passwordChangedAt when the password was last set
 * @param sessionVersion raised when the password is reset or the user disabled: sessions
 * signed in with an older version end
 */
public record ConsoleUser(long id, Username username, String displayName, Role role, boolean enabled, Instant createdAt,
		Instant passwordChangedAt, long sessionVersion) {

	boolean isEnabledAdmin() {
		return this.enabled && this.role == Role.ADMIN;
	}

}
