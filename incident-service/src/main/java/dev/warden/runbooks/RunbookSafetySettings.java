package dev.warden.runbooks;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What runbooks may touch and how often.
 *
 * @param allowlistLabel containers carrying this label (name=value) may be acted on
 * @param allowlistNames containers with these exact names may be acted on too
 * @param minReplicas {@code docker.scale} never goes below this
 * @param maxReplicas {@code docker.scale} never goes above this
 * @param approvalTimeout a run waiting for approval expires after this
 */
@ConfigurationProperties("warden.runbooks.safety")
@Validated
record RunbookSafetySettings(
		@DefaultValue("warden.managed=true") @Pattern(regexp = "[^=\\s]+=[^=\\s]*",
				message = "must be name=value") String allowlistLabel,
		@DefaultValue List<String> allowlistNames, @DefaultValue("1") @Min(0) int minReplicas,
		@DefaultValue("10") @Min(1) int maxReplicas, @DefaultValue("1h") @NotNull Duration approvalTimeout) {

	RunbookSafetySettings {
		if (minReplicas > maxReplicas) {
			throw new IllegalArgumentException("warden.runbooks.safety.min-replicas must not exceed max-replicas");
		}
	}

	String allowlistLabelName() {
		return this.allowlistLabel.substring(0, this.allowlistLabel.indexOf('='));
	}

	String allowlistLabelValue() {
		return this.allowlistLabel.substring(this.allowlistLabel.indexOf('=') + 1);
	}

}
