package dev.warden.routing;

/**
 * Something wrong with the routing file.
 *
 * @param file the routing file, as configured (or the classpath default)
 * @param line the 1-based line the problem is on; 0 when unknown
 * @param reason what is wrong, for people
 */
public record RoutingProblem(String file, int line, String reason) {

	@Override
	public String toString() {
		return this.file + ((this.line > 0) ? ":" + this.line : "") + ": " + this.reason;
	}

}
