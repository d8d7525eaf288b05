package dev.warden.access;

/** A token name that cannot be used; the message says why, for people. */
public class InvalidApiTokenName extends InvalidApiTokenRequest {

	InvalidApiTokenName(String message) {
		super(message);
	}

}
