package dev.warden.runbooks;

import java.util.List;

/**
 * The outcome of loading the runbook directory.
 *
 * @param loaded ids of the runbooks the catalog holds after the load, sorted (including
 * last good definitions kept for files that broke)
 * @param problems every problem found, by file and line
 */
public record LoadReport(List<String> loaded, List<RunbookProblem> problems) {

	public LoadReport {
		loaded = List.copyOf(loaded);
		problems = List.copyOf(problems);
	}

	/** Like {@code 4 runbooks, 1 problem}, for the audit log. */
	public String summary() {
		return "%d runbook(s), %d problem(s)".formatted(this.loaded.size(), this.problems.size());
	}

}
