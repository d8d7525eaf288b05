package dev.warden.console;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused without checking the password: the username or the client address
 * failed too often lately.
 */
class LoginThrottled extends AuthenticationException {

	LoginThrottled() {
		super("Too many failed sign-ins for this username or address");
	}

}
