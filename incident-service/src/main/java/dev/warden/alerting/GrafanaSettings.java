package dev.warden.alerting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How Grafana's webhook contact point reaches Warden
 * ({@code POST /api/v1/alerts/grafana}). Its credentials are its own: Alertmanager's
 * never open this endpoint, nor these Alertmanager's. With neither a token nor basic
 * credentials configured, Warden generates a token on first start and keeps it in its
 * data directory: the endpoint is never open.
 *
 * @param token the credentials Grafana sends in its {@code Authorization} header (the
 * contact point's "Authorization Header - Credentials"); empty means none
 * @param tokenScheme the scheme Grafana sends the token with (the contact point's
 * "Authorization Header - Scheme", {@code Bearer} unless changed there)
 * @param basicUsername user name for basic auth (the contact point's "Basic
 * Authentication User"); empty means none
 * @param basicPassword password for basic auth
 * @param maxBody largest accepted webhook body
 */
@ConfigurationProperties("warden.grafana")
@Validated
record GrafanaSettings(String token, @DefaultValue("Bearer") String tokenScheme, String basicUsername,
		String basicPassword, @DefaultValue("4MB") DataSize maxBody) {

	GrafanaSettings {
		if (StringUtils.hasText(basicUsername) != StringUtils.hasText(basicPassword)) {
			throw new IllegalArgumentException("warden.grafana.basic-username and basic-password must be set together");
		}
		if (tokenScheme == null || !tokenScheme.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")
				|| tokenScheme.equalsIgnoreCase("Basic")) {
			throw new IllegalArgumentException(
					"warden.grafana.token-scheme must be one word such as Bearer (not Basic: set basic-username and basic-password for basic auth), not "
							+ tokenScheme);
		}
		if (maxBody.toBytes() <= 0) {
			throw new IllegalArgumentException("warden.grafana.max-body must be positive");
		}
	}

	boolean hasToken() {
		return StringUtils.hasText(this.token);
	}

	boolean hasBasicAuth() {
		return StringUtils.hasText(this.basicUsername);
	}

}
