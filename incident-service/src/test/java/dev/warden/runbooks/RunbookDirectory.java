package dev.warden.runbooks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** A fresh runbook directory under {@code target/} for one test class's runbook files. */
final class RunbookDirectory {

	private final Path path;

	private final Map<String, String> substitutions = new LinkedHashMap<>();

	RunbookDirectory() {
		try {
			this.path = Files.createDirectories(Path.of("target", "test-runbooks", UUID.randomUUID().toString()))
				.toAbsolutePath();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Replaces {@code placeholder} by {@code value} in every file written from now on,
	 * e.g. a run id only known when the class loads.
	 */
	RunbookDirectory substituting(String placeholder, String value) {
		this.substitutions.put(placeholder, value);
		return this;
	}

	/** Writes one runbook file. */
	RunbookDirectory write(String file, String yaml) {
		String text = yaml;
		for (Map.Entry<String, String> substitution : this.substitutions.entrySet()) {
			text = text.replace(substitution.getKey(), substitution.getValue());
		}
		try {
			Files.writeString(this.path.resolve(file), text);
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
