package dev.warden.access;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Budgets of console sign-in attempts, kept in PostgreSQL so that every instance enforces
 * the same limits. An attempt is taken from both budgets before the password is checked;
 * a successful sign-in gives its attempt back. A spent budget refills steadily: one
 * attempt every {@code window / limit}.
 *
 * @param maxFailuresPerUsernameAndAddress attempts for one username from one client
 * address within the window; never limits that username from other addresses
 * @param maxFailuresPerAddress attempts from one client address within the window,
 * whatever the usernames (IPv6 addresses count per /64 network)
 * @param window the time in which a spent budget refills completely
 */
@ConfigurationProperties("warden.console.login-throttle")
@Validated
record LoginThrottleSettings(@DefaultValue("10") @Min(1) int maxFailuresPerUsernameAndAddress,
		@DefaultValue("50") @Min(1) int maxFailuresPerAddress, @DefaultValue("15m") @NotNull Duration window) {

	LoginThrottleSettings {
		if (window != null && window.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("warden.console.login-throttle.window must be at least 1s");
		}
	}

}
