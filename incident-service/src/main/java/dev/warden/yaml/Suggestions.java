package dev.warden.yaml;

/**
 * How a file reader suggests the name that was probably meant when it meets one it does
 * not know, by edit (Levenshtein) distance.
 */
public enum Suggestions {

	/** No suggestion. */
	NONE,

	/** The nearest candidate within two edits; of equally near ones, the first. */
	NEAREST,

	/**
	 * The first candidate within two edits, or within one for a name of at most four
	 * characters: short names are too alike to suggest on two edits (zoe is not a typo of
	 * bob).
	 */
	FIRST_NEAR;

	/**
	 * A suggestion to append to a problem's reason.
	 * @param given the name as written
	 * @param candidates the names it may have meant, in order
	 * @return {@code " (did you mean 'name'?)"}, or empty text when none is near
	 */
	public String didYouMean(String given, Iterable<String> candidates) {
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		int allowed = switch (this) {
			case NONE -> -1;
			case NEAREST -> 2;
			case FIRST_NEAR -> (given.length() > 4) ? 2 : 1;
		};
		for (String candidate : candidates) {
			if (allowed < 0) {
				break;
			}
			int distance = distance(given, candidate);
			if (distance <= allowed && distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
				if (this == FIRST_NEAR) {
					break;
				}
			}
		}
		return (best != null) ? " (did you mean '" + best + "'?)" : "";
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
