package dev.warden.console;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on failed console sign-ins, counted in PostgreSQL so that every instance
 * enforces the same limits.
 *
 * @param maxFailuresPerUsername failed sign-ins for one username within the window after
 * which that username is refused for the lockout
 * @param maxFailuresPerAddress failed sign-ins from one client address within the window
 * after which that address is refused for the lockout
 * @param window how long failures count from the first one
 * @param lockout how long a username or address is refused once over its limit
 */
@ConfigurationProperties("warden.console.login-throttle")
@Validated
record LoginThrottleSettings(@DefaultValue("5") @Min(1) int maxFailuresPerUsername,
		@DefaultValue("20") @Min(1) int maxFailuresPerAddress, @DefaultValue("15m") @NotNull Duration window,
		@DefaultValue("15m") @NotNull Duration lockout) {

	LoginThrottleSettings {
		if (window != null && (window.isNegative() || window.isZero())) {
			throw new IllegalArgumentException("warden.console.login-throttle.window must be positive");
		}
		if (lockout != null && (lockout.isNegative() || lockout.isZero())) {
			throw new IllegalArgumentException("warden.console.login-throttle.lockout must be positive");
		}
	}

}
