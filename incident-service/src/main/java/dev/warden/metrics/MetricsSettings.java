package dev.warden.metrics;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Warden's database-backed metrics are kept.
 *
 * @param refreshInterval how often each instance reads its database-backed gauges (the
 * job backlog, open incidents); a scrape shows the values of the last read
 */
@ConfigurationProperties("warden.metrics")
@Validated
record MetricsSettings(@DefaultValue("15s") @NotNull Duration refreshInterval) {

	MetricsSettings {
		if (refreshInterval != null && refreshInterval.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException("warden.metrics.refresh-interval must be at least 100ms");
		}
	}

}
