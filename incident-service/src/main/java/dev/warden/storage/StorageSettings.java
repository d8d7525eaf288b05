package dev.warden.storage;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where Warden keeps local state.
 *
 * @param directory data directory: embedded PostgreSQL files and generated secrets live
 * here
 * @param embeddedPostgres the embedded PostgreSQL used when no
 * {@code spring.datasource.url} is configured
 */
@ConfigurationProperties("warden.storage")
@Validated
record StorageSettings(@DefaultValue("./data") @NotNull Path directory,
		@DefaultValue EmbeddedPostgresSettings embeddedPostgres) {

	/**
	 * @param port TCP port on loopback; 0 picks a free one at every start
	 * @param database name of the database Warden creates and uses
	 * @param durable whether PostgreSQL flushes every commit to disk before Warden
	 * answers ({@code fsync}, {@code synchronous_commit} and {@code full_page_writes}
	 * on), so that a 200 means stored even if PostgreSQL, Warden or the machine crashes
	 * next; {@code false} only for throwaway data, where a crash may lose acknowledged
	 * alerts or corrupt the data directory
	 */
	record EmbeddedPostgresSettings(@DefaultValue("0") @Min(0) @Max(65535) int port,
			@DefaultValue("warden") @NotNull String database, @DefaultValue("true") boolean durable) {
	}

	Path postgresDirectory() {
		return this.directory.resolve("postgres");
	}

}
