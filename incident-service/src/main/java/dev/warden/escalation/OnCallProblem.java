package dev.warden.escalation;

/**
 * Something wrong with the on-call file.
 *
 * @param file the file's name (or {@code classpath:} resource)
 * @param line the 1-based line the problem is on; 0 when unknown
 * @param reason what is wrong, for people
 */
record OnCallProblem(String file, int line, String reason) {

	@Override
	public String toString() {
		return this.file + ((this.line > 0) ? ":" + this.line : "") + ": " + this.reason;
	}

}
