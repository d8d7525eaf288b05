package dev.warden.alerting;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How Alertmanager reaches Warden. With neither a bearer token nor basic credentials
 * configured, Warden generates a bearer token on first start and keeps it in its data
 * directory: the webhook is never open.
 *
 * @param bearerToken token Alertmanager sends as {@code Authorization: Bearer}
 * (http_config.authorization); empty means none
 * @param basicUsername user name for basic auth (http_config.basic_auth); empty means
 * none
 * @param basicPassword password for basic auth
 * @param maxBody largest accepted webhook body
 */
@ConfigurationProperties("warden.alertmanager")
@Validated
record AlertmanagerSettings(String bearerToken, String basicUsername, String basicPassword,
		@DefaultValue("4MB") DataSize maxBody) {

	AlertmanagerSettings {
		if (StringUtils.hasText(basicUsername) != StringUtils.hasText(basicPassword)) {
			throw new IllegalArgumentException(
					"warden.alertmanager.basic-username and basic-password must be set together");
		}
		if (maxBody.toBytes() <= 0) {
			throw new IllegalArgumentException("warden.alertmanager.max-body must be positive");
		}
	}

	boolean hasBearerToken() {
		return StringUtils.hasText(this.bearerToken);
	}

	boolean hasBasicAuth() {
		return StringUtils.hasText(this.basicUsername);
	}

}
