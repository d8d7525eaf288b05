package dev.warden.runbooks;

/**
 * Something wrong with a runbook file.
 *
 * @param file the file's name relative to the runbook directory ({@code .} for the
 * directory itself)
 * @param line the 1-based line the problem is on; 0 when unknown
 * @param reason what is wrong, for people
 */
public record RunbookProblem(String file, int line, String reason) {

	@Override
	public String toString() {
		return this.file + ((this.line > 0) ? ":" + this.line : "") + ": " + this.reason;
	}

}
