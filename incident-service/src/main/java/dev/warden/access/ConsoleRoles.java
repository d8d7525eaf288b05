package dev.warden.access;

import org.springframework.security.core.Authentication;

/** What a console user's role lets them do. */
public final class ConsoleRoles {

	private ConsoleRoles() {
	}

	/** Responders and admins act on incidents and runbooks; viewers only look. */
	public static boolean canRespond(Authentication user) {
		return user != null && user.getAuthorities()
			.stream()
			.anyMatch((authority) -> authority.getAuthority().equals("ROLE_RESPONDER")
					|| authority.getAuthority().equals("ROLE_ADMIN"));
	}

}
