package dev.warden.access;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * Who is signed in, as kept in the session: no password hash. Refreshed from the database
 * on every request (see {@link SignedInUserCheck}).
 *
 * @param id the user's id
 * @param username the username
 * @param displayName how the console names the user
 * @param role the user's role
 * @param sessionVersion the user's session version at sign-in; a reset password or
 * disabling raises it and so ends the session
 */
public record SignedInUser(long id, String username, String displayName, Role role,
		long sessionVersion) implements AuthenticatedPrincipal, Serializable {

	static SignedInUser of(ConsoleUser user) {
		return new SignedInUser(user.id(), user.username().value(), user.displayName(), user.role(),
				user.sessionVersion());
	}

	/**
	 * The user signed in with the role as stored now, keeping the other authorities (how
	 * the user proved who they are) and the details of an earlier authentication.
	 */
	static Authentication authentication(ConsoleUser user, Authentication earlier) {
		List<GrantedAuthority> authorities = new ArrayList<>();
		authorities.add(user.role().authority());
		earlier.getAuthorities()
			.stream()
			.filter((authority) -> !String.valueOf(authority.getAuthority()).startsWith("ROLE_"))
			.forEach(authorities::add);
		var authentication = UsernamePasswordAuthenticationToken.authenticated(of(user), null, authorities);
		authentication.setDetails(earlier.getDetails());
		return authentication;
	}

	@Override
	public String getName() {
		return this.username;
	}

	/** Whether the admin pages are for this user; for templates. */
	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

	/** The role's name, for templates. */
	public String roleName() {
		return this.role.value();
	}

}
