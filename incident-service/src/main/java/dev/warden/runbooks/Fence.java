package dev.warden.runbooks;

/**
 * The check an action makes right before each change it makes outside the run's own
 * record (a Docker call that changes something, a message): that this instance still
 * holds the claim on the run's job. An instance that was paused or cut off long enough
 * for another instance to take the job over stops there without acting.
 */
@FunctionalInterface
interface Fence {

	/** For plans (dry-runs), which never act. */
	Fence PLAN = (what) -> {
		throw new IllegalStateException("a plan never acts, yet it was about to " + what);
	};

	/**
	 * Passes when this instance still holds the job's claim, and records (once per
	 * attempt) that the step may have acted from now on.
	 * @param what what the action is about to do, e.g. {@code restart db-1}, for the
	 * timeline when it may not
	 * @throws ClaimLost when another instance holds the job now: the action must not act
	 */
	void beforeActing(String what);

}
