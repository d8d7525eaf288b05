package dev.warden.heartbeats;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where heartbeats are declared and how often Warden looks for silent ones.
 *
 * @param file the heartbeat file (YAML); relative paths are resolved against the working
 * directory. When unset, the default shipped in the jar
 * ({@code classpath:heartbeats/default-heartbeats.yaml}, the alert pipeline's Watchdog)
 * is used
 * @param checkInterval how often the check for silent heartbeats runs (on one instance at
 * a time); a silence is noticed at most this long after its interval and grace ran out
 */
@ConfigurationProperties("warden.heartbeats")
@Validated
record HeartbeatSettings(Path file,
		@DefaultValue("10s") @NotNull @DurationMin(millis = 100) @DurationMax(hours = 1) Duration checkInterval) {

	static final String DEFAULT_RESOURCE = "heartbeats/default-heartbeats.yaml";

}
