package dev.warden.cluster;

import java.time.Instant;
import java.util.List;

/**
 * One recorded version of a kind of configuration: what a reload (or an instance's start)
 * read, who asked for it, when and where.
 *
 * @param kind the configuration's kind, such as {@code routing}
 * @param version the version number, from 1, per kind
 * @param contentHash the SHA-256 of the files read, or {@code unreadable}
 * @param actor the user or API token that reloaded, or {@code start of <instance>}
 * @param recordedAt when it was recorded
 * @param instance the instance that read the files
 * @param applied whether the files loaded without problems
 * @param problems the problems found, in words
 */
public record ConfigVersion(String kind, long version, String contentHash, String actor, Instant recordedAt,
		String instance, boolean applied, List<String> problems) {

	public ConfigVersion {
		problems = List.copyOf(problems);
	}

}
