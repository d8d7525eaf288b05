package dev.warden.escalation;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where users and on-call schedules come from.
 *
 * @param file the YAML file with users and schedules; relative paths are resolved against
 * the working directory. When unset, the default shipped in the jar
 * ({@code classpath:oncall/default-oncall.yaml}) is used
 */
@ConfigurationProperties("warden.oncall")
@Validated
record OnCallSettings(Path file) {

	static final String DEFAULT_RESOURCE = "oncall/default-oncall.yaml";

}
