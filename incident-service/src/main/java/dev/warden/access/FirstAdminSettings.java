package dev.warden.access;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * The console's first admin, created on the first start, while no console user exists;
 * ignored once any does.
 *
 * @param username the first admin's username ({@code WARDEN_CONSOLE_ADMIN_USERNAME})
 * @param password the first admin's password ({@code WARDEN_CONSOLE_ADMIN_PASSWORD}), at
 * least 12 characters; when empty Warden generates one and keeps it in the file
 * {@code console-admin-password} of its data directory
 * @param displayName how the console names the first admin
 */
@ConfigurationProperties("warden.console.admin")
@Validated
record FirstAdminSettings(@DefaultValue("admin") @NotBlank @Pattern(regexp = "\\s*[A-Za-z0-9][A-Za-z0-9._@-]{0,63}\\s*",
		message = "must be 1 to 64 letters, digits and . _ @ -, starting with a letter or digit") String username,
		String password,
		@DefaultValue("Administrator") @NotBlank @Size(max = UserAdministration.MAX_DISPLAY_NAME) String displayName) {

	FirstAdminSettings {
		// Empty means "generate one", as when unset (compose files often pass empty
		// variables).
		if (StringUtils.hasLength(password) && (password.length() < UserAdministration.MIN_PASSWORD
				|| password.length() > UserAdministration.MAX_PASSWORD)) {
			throw new IllegalArgumentException(
					"warden.console.admin.password must have " + UserAdministration.MIN_PASSWORD + " to "
							+ UserAdministration.MAX_PASSWORD + " characters, or be empty to have Warden generate one");
		}
	}

	boolean hasPassword() {
		return StringUtils.hasLength(this.password);
	}

	Username admin() {
		return Username.of(this.username);
	}

	@Override
	public String toString() {
		return "FirstAdminSettings[username=" + this.username + ", password=" + (hasPassword() ? "(set)" : "(none)")
				+ "]";
	}

}
