package dev.warden.access;

import org.springframework.security.core.AuthenticationException;

/**
 * A sign-in refused without checking the password: this username from this client
 * address, or this address, used up its budget of attempts.
 */
class LoginThrottled extends AuthenticationException {

	LoginThrottled() {
		super("Too many sign-in attempts for this username from this address, or from this address");
	}

}
