package dev.warden.routing;

/** Where a silence is in its life, at a given time. */
public enum SilenceState {

	/** Starts later. */
	PENDING,
	/** Silences matching alerts now. */
	ACTIVE,
	/** Ended, or expired by hand. */
	EXPIRED

}
