package dev.warden.console;

import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * Console users written straight into PostgreSQL for tests that need one of a role (a
 * bcrypt hash, as an operator's SQL would set it; Warden accepts those). The hash has
 * BCrypt's lowest cost: what these tests prove does not depend on it, and the suite signs
 * in hundreds of times.
 */
final class ConsoleUserRows {

	private ConsoleUserRows() {
	}

	/** A new enabled user with this role and password; returns the username. */
	static String create(JdbcClient jdbc, String role, String password) {
		String username = role + "-" + UUID.randomUUID().toString().substring(0, 8);
		jdbc.sql("""
				insert into console_user (username, display_name, password_hash, role, created_at, password_changed_at)
				values (?, ?, ?, ?, now(), now())""")
			.params(username, "A " + role, "{bcrypt}" + new BCryptPasswordEncoder(4).encode(password), role)
			.update();
		return username;
	}

}
