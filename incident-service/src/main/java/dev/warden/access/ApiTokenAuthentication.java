package dev.warden.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.warden.storage.DataDirectory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks API tokens by their digest and keeps the bootstrap token in place: the
 * configured one, or one generated into the data directory. A revoked bootstrap token
 * stays revoked, whatever is configured.
 */
@Component
class ApiTokenAuthentication {

	private static final Logger log = LoggerFactory.getLogger(ApiTokenAuthentication.class);

	static final String BOOTSTRAP = "bootstrap";

	static final String GENERATED_TOKEN_FILE = "api-token";

	/** How stale {@code last_used_at} may be: a write per token and minute at most. */
	static final Duration LAST_USE_PRECISION = Duration.ofMinutes(1);

	private final ApiTokens tokens;

	private final ApiSettings settings;

	private final DataDirectory dataDirectory;

	private final Clock clock;

	ApiTokenAuthentication(ApiTokens tokens, ApiSettings settings, DataDirectory dataDirectory, Clock clock) {
		this.tokens = tokens;
		this.settings = settings;
		this.dataDirectory = dataDirectory;
		this.clock = clock;
	}

	/**
	 * The caller with this token value, when the token is neither revoked nor expired;
	 * notes the use when the last one noted is over a minute old.
	 */
	@Transactional
	public Optional<ApiCaller> authenticate(String token) {
		Instant now = this.clock.instant();
		return this.tokens.findByTokenHash(digest(token)).filter((found) -> found.isActiveAt(now)).map((found) -> {
			if (found.lastUsedAt() == null || found.lastUsedAt().isBefore(now.minus(LAST_USE_PRECISION))) {
				this.tokens.used(found.id(), now, now.minus(LAST_USE_PRECISION));
			}
			return new ApiCaller(found.name(), found.scopes());
		});
	}

	@EventListener(ApplicationReadyEvent.class)
	@Transactional
	public void ensureBootstrapToken() {
		Optional<ApiToken> existing = this.tokens.findByName(BOOTSTRAP);
		if (existing.isPresent() && existing.get().revokedAt() != null) {
			warnRevoked(existing.get().revokedAt());
			return;
		}
		String token = this.settings.hasToken() ? this.settings.token().strip()
				: this.dataDirectory.secret(GENERATED_TOKEN_FILE, "API token (send as 'Authorization: Bearer ...')")
					.value();
		if (this.tokens.putBootstrap(BOOTSTRAP, digest(token), this.clock.instant()) == 0) {
			// Revoked by someone between the look-up and the upsert.
			warnRevoked(this.tokens.findByName(BOOTSTRAP).map(ApiToken::revokedAt).orElse(null));
		}
	}

	private void warnRevoked(Instant revokedAt) {
		log.warn(
				"The bootstrap API token ({}) was revoked at {} and stays revoked: not activated. Issue tokens on "
						+ "the console's API tokens page (/admin/tokens) or with another admin token instead.",
				this.settings.hasToken() ? "WARDEN_API_TOKEN" : "data/" + GENERATED_TOKEN_FILE, revokedAt);
	}

	static byte[] digest(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
