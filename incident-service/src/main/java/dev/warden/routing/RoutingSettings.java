package dev.warden.routing;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the routing tree comes from.
 *
 * @param file the routing file (YAML); relative paths are resolved against the working
 * directory. When unset, the default shipped in the jar
 * ({@code classpath:routing/default-routing.yaml}) is used.
 */
@ConfigurationProperties("warden.routing")
@Validated
record RoutingSettings(Path file) {
}
