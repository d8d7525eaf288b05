package dev.warden.routing;

import java.util.List;

/**
 * The outcome of loading the routing file.
 *
 * @param source the file read
 * @param applied true when the file's tree is now in use; false when it had problems and
 * the last good tree (or, at start, an empty root route) stays in use
 * @param routes how many routes the tree in use has, the root included
 * @param problems every problem found, with file, line and reason
 */
public record LoadReport(String source, boolean applied, int routes, List<RoutingProblem> problems) {

	public LoadReport {
		problems = List.copyOf(problems);
	}

	/** Like {@code applied, 12 routes}, for the audit log. */
	String summary() {
		return this.applied ? "applied, %d route(s)".formatted(this.routes)
				: "kept the last good tree, %d problem(s)".formatted(this.problems.size());
	}

}
