package dev.warden.access;

import java.util.Set;

/**
 * Who an authenticated API request comes from.
 *
 * @param name the token's name; actions are attributed to it
 * @param scopes the scopes the token was given
 */
record ApiCaller(String name, Set<Scope> scopes) {

	ApiCaller {
		scopes = Set.copyOf(scopes);
	}

}
