package dev.warden.incidents;

/** When an incident resolves itself because its alerts resolved. */
enum AutoResolve {

	/** Once every alert of the incident has resolved. */
	ALL,
	/** As soon as any alert resolves. */
	ANY,
	/** Never; a person resolves every incident. */
	NEVER

}
