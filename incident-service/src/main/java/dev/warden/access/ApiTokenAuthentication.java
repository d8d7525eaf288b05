package dev.warden.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Optional;

import dev.warden.storage.DataDirectory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Checks API tokens by their digest and keeps the bootstrap token in place: the
 * configured one, or one generated into the data directory.
 */
@Component
class ApiTokenAuthentication {

	static final String BOOTSTRAP = "bootstrap";

	static final String GENERATED_TOKEN_FILE = "api-token";

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

	/** The name of the active token with this value. */
	@Transactional(readOnly = true)
	public Optional<String> authenticate(String token) {
		return this.tokens.findByTokenHash(digest(token)).filter(ApiToken::isActive).map(ApiToken::name);
	}

	@EventListener(ApplicationReadyEvent.class)
	@Transactional
	public void ensureBootstrapToken() {
		String token = this.settings.hasToken() ? this.settings.token().strip()
				: this.dataDirectory.secret(GENERATED_TOKEN_FILE, "API token (send as 'Authorization: Bearer ...')")
					.value();
		this.tokens.putActive(BOOTSTRAP, digest(token), this.clock.instant());
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
