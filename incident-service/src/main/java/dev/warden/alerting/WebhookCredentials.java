package dev.warden.alerting;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import dev.warden.storage.DataDirectory;

import org.springframework.stereotype.Component;

/**
 * The credentials Alertmanager must present, compared in constant time. Closed by
 * default: with nothing configured, a generated bearer token from the data directory.
 */
@Component
class WebhookCredentials {

	static final String GENERATED_TOKEN_FILE = "alertmanager-webhook-token";

	private final byte[] bearerDigest;

	private final byte[] basicDigest;

	WebhookCredentials(AlertmanagerSettings settings, DataDirectory dataDirectory) {
		String bearer = settings.bearerToken();
		if (!settings.hasBearerToken() && !settings.hasBasicAuth()) {
			bearer = dataDirectory.secret(GENERATED_TOKEN_FILE, "Alertmanager webhook bearer token").value();
		}
		this.bearerDigest = (bearer != null && !bearer.isBlank()) ? digest(bearer.strip()) : null;
		this.basicDigest = settings.hasBasicAuth() ? digest(settings.basicUsername() + ":" + settings.basicPassword())
				: null;
	}

	/** True when the {@code Authorization} header carries valid credentials. */
	boolean accepts(String authorization) {
		if (authorization == null) {
			return false;
		}
		int space = authorization.indexOf(' ');
		if (space < 0) {
			return false;
		}
		String scheme = authorization.substring(0, space);
		String value = authorization.substring(space + 1).strip();
		if (scheme.equalsIgnoreCase("Bearer") && this.bearerDigest != null) {
			return MessageDigest.isEqual(this.bearerDigest, digest(value));
		}
		if (scheme.equalsIgnoreCase("Basic") && this.basicDigest != null) {
			try {
				String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
				return MessageDigest.isEqual(this.basicDigest, digest(decoded));
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}
		return false;
	}

	/**
	 * Comparing fixed-length digests keeps the comparison's time independent of the
	 * secret's length.
	 */
	private static byte[] digest(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
