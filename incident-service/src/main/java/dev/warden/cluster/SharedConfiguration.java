package dev.warden.cluster;

import java.util.List;

/**
 * A configuration loaded from files that every instance must run the same way (the
 * routing tree, the on-call file, the runbooks, the heartbeats). Its module registers it
 * as a bean; {@link ConfigVersions} then records its versions and reloads it when another
 * instance recorded a newer one.
 */
public interface SharedConfiguration {

	/** The kind, such as {@code routing}: short, lower case, unique among kinds. */
	String kind();

	/** What the last load read, without reading again. */
	Loaded loaded();

	/**
	 * Reads the files again, exactly as the reload endpoint does, and says what it read.
	 * Never throws for anything in the files.
	 */
	Loaded reload();

	/**
	 * What one load read.
	 *
	 * @param contentHash the SHA-256 of what was read (see
	 * {@link dev.warden.yaml.ContentHash}), or {@code unreadable}
	 * @param applied whether everything read is in use (no problems)
	 * @param problems the problems found, in words, with file and line
	 */
	record Loaded(String contentHash, boolean applied, List<String> problems) {

		public Loaded {
			problems = List.copyOf(problems);
		}

	}

}
