package dev.warden.access;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds every console request's session to the user as stored now, so that an admin's
 * change takes effect at once on every instance: a session ends when its user was
 * disabled, removed or given a new password since signing in, and a changed role applies
 * to the next request.
 */
class SignedInUserCheck extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(SignedInUserCheck.class);

	private final ConsoleUsers users;

	private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

	SignedInUserCheck(ConsoleUsers users) {
		this.users = users;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = this.contexts.getContext().getAuthentication();
		if (authentication != null && authentication.getPrincipal() instanceof SignedInUser signedIn) {
			Optional<ConsoleUser> current = this.users.find(signedIn.id());
			if (current.isEmpty() || !current.get().enabled()
					|| current.get().sessionVersion() != signedIn.sessionVersion()) {
				log.info("Ending the console session of '{}': the user was disabled or given a new password",
						signedIn.username());
				this.contexts.clearContext();
				HttpSession session = request.getSession(false);
				if (session != null) {
					session.invalidate();
				}
			}
			else if (current.get().role() != signedIn.role()) {
				SecurityContext refreshed = this.contexts.createEmptyContext();
				refreshed.setAuthentication(SignedInUser.authentication(current.get(), authentication));
				this.contexts.setContext(refreshed);
			}
		}
		chain.doFilter(request, response);
	}

}
