package dev.warden.runbooks;

import java.time.Instant;
import java.util.List;

/** What a step's run came to. */
sealed interface StepResult {

	List<String> output();

	/** The step did its work. */
	record Done(List<String> output) implements StepResult {

		static Done of(String... lines) {
			return new Done(List.of(lines));
		}

	}

	/** The step could not do its work; {@code reason} goes on the timeline. */
	record Failed(String reason, List<String> output) implements StepResult {

		static Failed of(String reason) {
			return new Failed(reason, List.of());
		}

	}

	/**
	 * The step's action did not finish within its deadline and was abandoned; the engine
	 * may still complete what it was asked.
	 */
	record TimedOut(String reason, List<String> output) implements StepResult {
	}

	/** The step waits, without holding a thread, and resumes at {@code resumeAt}. */
	record WaitUntil(Instant resumeAt, List<String> output) implements StepResult {
	}

}
