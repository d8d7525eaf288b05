package dev.warden.runbooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** A fresh runbook directory under {@code target/} for one test class's runbook files. */
final class RunbookDirectory {

	private final Path path;

	RunbookDirectory() {
		try {
			this.path = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Writes one runbook file. */
	RunbookDirectory write(String file, String yaml) {
		try {
			Files.writeString(this.path.resolve(file), yaml);
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path path() {
		return this.path;
	}

}
