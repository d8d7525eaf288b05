package dev.warden.alerting;

import dev.warden.storage.DataDirectory;

import org.springframework.stereotype.Component;

/**
 * The credentials Alertmanager must present, compared in constant time. Closed by
 * default: with nothing configured, a generated bearer token from the data directory.
 */
@Component
class WebhookCredentials {

	static final String GENERATED_TOKEN_FILE = "alertmanager-webhook-token";

	private final AuthorizationCheck check;

	WebhookCredentials(AlertmanagerSettings settings, DataDirectory dataDirectory) {
		String bearer = settings.bearerToken();
		if (!settings.hasBearerToken() && !settings.hasBasicAuth()) {
			bearer = dataDirectory.secret(GENERATED_TOKEN_FILE, "Alertmanager webhook bearer token").value();
		}
		this.check = new AuthorizationCheck("Bearer", bearer, settings.basicUsername(), settings.basicPassword());
	}

	/** True when the {@code Authorization} header carries valid credentials. */
	boolean accepts(String authorization) {
		return this.check.accepts(authorization);
	}

}
