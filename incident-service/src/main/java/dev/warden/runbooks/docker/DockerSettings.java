package dev.warden.runbooks.docker;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How Warden reaches the Docker engine its runbooks drive.
 *
 * @param host the engine's address: {@code unix:///path/to/docker.sock} or
 * {@code tcp://host:port}
 * @param tlsVerify whether to talk TLS to a {@code tcp://} engine and verify its
 * certificate
 * @param certPath directory holding {@code ca.pem}, {@code cert.pem} and {@code key.pem}
 * when {@code tlsVerify} is on; {@code ~/.docker} when not set
 * @param connectTimeout how long to wait for a connection to the engine; also bounds a
 * ping
 * @param responseTimeout how long to wait for the engine to answer one request; must
 * exceed any stop timeout a runbook asks for, because stopping and restarting answer only
 * once the container has stopped
 * @param maxConnections largest number of simultaneous connections to the engine
 */
@ConfigurationProperties("warden.docker")
@Validated
record DockerSettings(@NotBlank @Pattern(regexp = "(unix|tcp|npipe)://.+",
		message = "must be unix:///path/to/docker.sock or tcp://host:port") @DefaultValue("unix:///var/run/docker.sock") String host,
		@DefaultValue("false") boolean tlsVerify, String certPath,
		@NotNull @DurationMin(millis = 1) @DefaultValue("5s") Duration connectTimeout,
		@NotNull @DurationMin(seconds = 1) @DefaultValue("90s") Duration responseTimeout,
		@Positive @DefaultValue("20") int maxConnections) {

}
