package dev.warden.access;

import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads console accounts for modules that act as a person outside the console, such as
 * Slack's buttons: whether the account exists, its role and whether it is enabled. Only
 * reads; {@link UserAdministration} changes accounts.
 */
@Component
public class ConsoleAccounts {

	private final JdbcClient jdbc;

	ConsoleAccounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The console account with this username (console usernames are lower case), if there
	 * is one.
	 */
	public Optional<Account> find(String username) {
		if (username == null || username.isBlank()) {
			return Optional.empty();
		}
		return this.jdbc.sql("select username, role, enabled from console_user where username = ?")
			.param(username)
			.query((row, number) -> new Account(row.getString("username"), Role.of(row.getString("role")).orElseThrow(),
					row.getBoolean("enabled")))
			.optional();
	}

	/**
	 * A console account as others see it.
	 *
	 * @param username the username
	 * @param role what the account may do
	 * @param enabled false when an admin has disabled it: it may do nothing
	 */
	public record Account(String username, Role role, boolean enabled) {

		/** True when the account is enabled and its role includes {@code needed}. */
		public boolean may(Role needed) {
			return this.enabled && this.role.includes(needed);
		}

	}

}
