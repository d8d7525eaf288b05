package dev.warden.runbooks;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where runbooks come from.
 *
 * @param directory the directory holding one YAML file per runbook; relative paths are
 * resolved against the working directory
 */
@ConfigurationProperties("warden.runbooks")
@Validated
record RunbookSettings(@NotNull @DefaultValue("./runbooks") Path directory) {
}
