package dev.warden.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.storage.DataDirectory;
import dev.warden.storage.DataDirectory.GeneratedSecret;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Creates the console's first admin when Warden starts and no console user exists: with
 * the configured password, or with one generated into the data directory (as the API
 * token is). Once any user exists it is never created again, and the settings are
 * ignored: admins manage users in the console.
 */
@Component
class FirstAdmin {

	private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

	static final String GENERATED_PASSWORD_FILE = "console-admin-password";

	private final ConsoleUsers users;

	private final FirstAdminSettings settings;

	private final DataDirectory dataDirectory;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	FirstAdmin(ConsoleUsers users, FirstAdminSettings settings, DataDirectory dataDirectory,
			PasswordEncoder passwordEncoder, Clock clock) {
		this.users = users;
		this.settings = settings;
		this.dataDirectory = dataDirectory;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
	}

	@EventListener(ApplicationReadyEvent.class)
	public void ensureFirstAdmin() {
		if (this.users.any()) {
			if (this.settings.hasPassword()) {
				log.info("Console users exist: warden.console.admin.password is only used on the first start "
						+ "and is ignored");
			}
			return;
		}
		Username username = this.settings.admin();
		GeneratedSecret generated = this.settings.hasPassword() ? null : this.dataDirectory
			.secret(GENERATED_PASSWORD_FILE, "Console password of the first admin '" + username + "'");
		String password = (generated != null) ? generated.value() : this.settings.password();
		if (this.users.insertFirst(username, this.settings.displayName().strip(), this.passwordEncoder.encode(password),
				this.clock.instant())) {
			log.info("Created the console's first admin '{}'{}", username,
					(generated != null) ? "; its password is in " + generated.file() : " with the configured password");
			return;
		}
		log.info("Another Warden instance created the console's first admin at the same time");
		if (generated != null) {
			forgetUnusedPassword(username, generated);
		}
	}

	/**
	 * Removes a generated password that lost the race to another instance's, so that
	 * nobody tries it: unless this instance shares its data directory with the winner,
	 * whose password the file then holds.
	 */
	private void forgetUnusedPassword(Username username, GeneratedSecret generated) {
		try {
			if (!Files.exists(generated.file())) {
				return;
			}
			String kept = Files.readString(generated.file(), StandardCharsets.UTF_8).strip();
			boolean valid = this.users.credentials(username)
				.map((credentials) -> this.passwordEncoder.matches(kept, credentials.passwordHash()))
				.orElse(false);
			if (!valid) {
				Files.deleteIfExists(generated.file());
				log.warn("Removed {}: the first admin's password is in the data directory of the instance that "
						+ "created it", generated.file());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
