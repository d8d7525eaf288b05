package dev.warden.access;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * API access.
 *
 * @param token the bootstrap API token (named "bootstrap"); when empty Warden generates
 * one on first start and keeps it in its data directory
 */
@ConfigurationProperties("warden.api")
@Validated
record ApiSettings(String token) {

	boolean hasToken() {
		return StringUtils.hasText(this.token);
	}

}
