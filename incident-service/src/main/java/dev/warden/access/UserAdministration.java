package dev.warden.access;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What admins do to console users: create them, change their role, disable and enable
 * them, reset their password. Every change is checked first and refused whole with
 * {@link InvalidUserChange}; one rule spans users: at least one enabled admin remains.
 */
@Service
public class UserAdministration {

	private static final Logger log = LoggerFactory.getLogger(UserAdministration.class);

	static final int MIN_PASSWORD = 12;

	static final int MAX_PASSWORD = 256;

	static final int MAX_DISPLAY_NAME = 100;

	private final ConsoleUsers users;

	private final PasswordEncoder passwordEncoder;

	private final Clock clock;

	private final Audit audit;

	private final ConsoleSessions sessions;

	UserAdministration(ConsoleUsers users, PasswordEncoder passwordEncoder, Clock clock, Audit audit,
			ConsoleSessions sessions) {
		this.audit = audit;
		this.sessions = sessions;
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.clock = clock;
	}

	/** Every console user, by username. */
	@Transactional(readOnly = true)
	public List<ConsoleUser> all() {
		return this.users.all();
	}

	/** The user with this id; a 404 ({@code UserNotFound}) when there is none. */
	@Transactional(readOnly = true)
	public ConsoleUser get(long id) {
		return this.users.find(id).orElseThrow(() -> new UserNotFound(id));
	}

	/**
	 * Creates an enabled user.
	 * @throws InvalidUserChange when a field is not valid or the username is taken
	 */
	@Transactional
	public ConsoleUser create(String username, String displayName, String role, String password, SignedInUser by) {
		Username name;
		try {
			name = Username.of(username);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidUserChange(ex.getMessage());
		}
		String display = displayName(displayName);
		Role chosen = role(role);
		checkPassword(password);
		long id = this.users.insert(name, display, this.passwordEncoder.encode(password), chosen, this.clock.instant())
			.orElseThrow(() -> new InvalidUserChange("A user named '" + name + "' exists already."));
		log.info("Console admin '{}' created user '{}' ({})", by.username(), name, chosen.value());
		this.audit.recordAs(by.username(), "user.create", name.toString(), null, chosen.value(),
				Map.of("displayName", display));
		return get(id);
	}

	/**
	 * Gives a user another role.
	 * @throws InvalidUserChange when the role is unknown or no enabled admin would remain
	 */
	@Transactional
	public ConsoleUser changeRole(long id, String role, SignedInUser by) {
		Role chosen = role(role);
		ConsoleUser user = lock(id);
		if (user.role() == chosen) {
			return user;
		}
		if (user.isEnabledAdmin()) {
			requireAnotherEnabledAdmin(user, "take the admin role from");
		}
		this.users.updateRole(id, chosen);
		this.audit.recordAs(by.username(), "user.role", user.username().toString(), user.role().value(), chosen.value(),
				null);
		log.info("Console admin '{}' changed the role of '{}' from {} to {}", by.username(), user.username(),
				user.role().value(), chosen.value());
		return get(id);
	}

	/**
	 * Lets a user sign in, or not; disabling ends the user's sessions on every instance.
	 * @throws InvalidUserChange when admins would disable themselves or the last enabled
	 * admin
	 */
	@Transactional
	public ConsoleUser setEnabled(long id, boolean enabled, SignedInUser by) {
		ConsoleUser user = lock(id);
		if (user.enabled() == enabled) {
			return user;
		}
		if (!enabled) {
			if (user.id() == by.id()) {
				throw new InvalidUserChange("You cannot disable your own account; ask another admin.");
			}
			if (user.isEnabledAdmin()) {
				requireAnotherEnabledAdmin(user, "disable");
			}
		}
		this.users.updateEnabled(id, enabled);
		if (!enabled) {
			this.sessions.endAllOf(user.username());
		}
		this.audit.recordAs(by.username(), enabled ? "user.enable" : "user.disable", user.username().toString(),
				enabled ? "disabled" : "enabled", enabled ? "enabled" : "disabled", null);
		log.info("Console admin '{}' {} user '{}'", by.username(), enabled ? "enabled" : "disabled", user.username());
		return get(id);
	}

	/**
	 * Sets a new password for a user, ending the user's sessions on every instance.
	 * @throws InvalidUserChange when the password is too short or too long
	 */
	@Transactional
	public ConsoleUser resetPassword(long id, String password, SignedInUser by) {
		checkPassword(password);
		ConsoleUser user = lock(id);
		this.users.updatePassword(id, this.passwordEncoder.encode(password), this.clock.instant());
		this.sessions.endAllOf(user.username());
		this.audit.recordAs(by.username(), "user.password_reset", user.username().toString(), null, null, null);
		log.info("Console admin '{}' reset the password of '{}'", by.username(), user.username());
		return get(id);
	}

	private ConsoleUser lock(long id) {
		return this.users.lock(id).orElseThrow(() -> new UserNotFound(id));
	}

	private void requireAnotherEnabledAdmin(ConsoleUser user, String action) {
		boolean another = this.users.lockEnabledAdmins().stream().anyMatch((admin) -> admin != user.id());
		if (!another) {
			throw new InvalidUserChange("You cannot " + action + " '" + user.username()
					+ "': it is the only enabled admin. Make another user admin first.");
		}
	}

	private static String displayName(String displayName) {
		String stripped = (displayName != null) ? displayName.strip() : "";
		if (stripped.isEmpty()) {
			throw new InvalidUserChange("Give the user a display name.");
		}
		if (stripped.length() > MAX_DISPLAY_NAME) {
			throw new InvalidUserChange("A display name has at most " + MAX_DISPLAY_NAME + " characters.");
		}
		if (stripped.chars().anyMatch(Character::isISOControl)) {
			throw new InvalidUserChange("A display name cannot contain control characters.");
		}
		return stripped;
	}

	private static Role role(String role) {
		return Role.of(role).orElseThrow(() -> new InvalidUserChange("Choose a role: viewer, responder or admin."));
	}

	private static void checkPassword(String password) {
		if (password == null || password.length() < MIN_PASSWORD) {
			throw new InvalidUserChange("A password has at least " + MIN_PASSWORD + " characters.");
		}
		if (password.length() > MAX_PASSWORD) {
			throw new InvalidUserChange("A password has at most " + MAX_PASSWORD + " characters.");
		}
	}

}
