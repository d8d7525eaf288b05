package dev.warden.access;

import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Ends every console session of a user, on every instance: the sessions are rows in
 * PostgreSQL indexed by username, and deleting them signs the user out wherever they are.
 * {@link SignedInUserCheck} stays the guarantee for a request already under way (it
 * compares the session's user with the stored one on every request); this removes what is
 * left, so that no copied cookie leads anywhere.
 */
@Component
class ConsoleSessions {

	private static final Logger log = LoggerFactory.getLogger(ConsoleSessions.class);

	private final FindByIndexNameSessionRepository<? extends Session> sessions;

	ConsoleSessions(FindByIndexNameSessionRepository<? extends Session> sessions) {
		this.sessions = sessions;
	}

	/**
	 * Ends the user's sessions once the caller's transaction commits (at once without
	 * one): a change that is rolled back signs nobody out, and a request that saves its
	 * session in between is caught by the user's raised session version.
	 */
	void endAllOf(Username username) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					end(username);
				}
			});
		}
		else {
			end(username);
		}
	}

	private void end(Username username) {
		try {
			var found = this.sessions.findByPrincipalName(username.value()).keySet();
			HttpSession current = currentSession();
			for (String id : found) {
				if (current != null && current.getId().equals(id)) {
					// This request's own session (an admin resetting their own password):
					// deleted now and not saved again when the request ends.
					current.invalidate();
				}
				else {
					this.sessions.deleteById(id);
				}
			}
			log.info("Ended {} console session(s) of '{}'", found.size(), username);
		}
		catch (RuntimeException ex) {
			// The change is committed: the user's raised session version still ends each
			// session at its next request.
			log.warn("Could not delete the console sessions of '{}' ({}); they end at their next request", username,
					ex.toString());
		}
	}

	private static HttpSession currentSession() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
			try {
				return request.getRequest().getSession(false);
			}
			catch (IllegalStateException ex) {
				return null;
			}
		}
		return null;
	}

}
