package dev.warden.alerting;

import dev.warden.storage.DataDirectory;

import org.springframework.stereotype.Component;

/**
 * The credentials Grafana's webhook contact point must present, compared in constant
 * time: its own, never Alertmanager's. Closed by default: with nothing configured, a
 * generated token from the data directory, sent with the configured scheme.
 */
@Component
class GrafanaCredentials {

	static final String GENERATED_TOKEN_FILE = "grafana-webhook-token";

	private final AuthorizationCheck check;

	GrafanaCredentials(GrafanaSettings settings, DataDirectory dataDirectory) {
		String token = settings.token();
		if (!settings.hasToken() && !settings.hasBasicAuth()) {
			token = dataDirectory.secret(GENERATED_TOKEN_FILE, "Grafana webhook token").value();
		}
		this.check = new AuthorizationCheck(settings.tokenScheme(), token, settings.basicUsername(),
				settings.basicPassword());
	}

	/** True when the {@code Authorization} header carries valid credentials. */
	boolean accepts(String authorization) {
		return this.check.accepts(authorization);
	}

}
