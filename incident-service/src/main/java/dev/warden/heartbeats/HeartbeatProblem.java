package dev.warden.heartbeats;

/**
 * Something wrong with the heartbeat file.
 *
 * @param file the heartbeat file, as configured (or the classpath default)
 * @param line the 1-based line the problem is on; 0 when unknown
 * @param reason what is wrong, for people
 */
public record HeartbeatProblem(String file, int line, String reason) {

	@Override
	public String toString() {
		return this.file + ((this.line > 0) ? ":" + this.line : "") + ": " + this.reason;
	}

}
