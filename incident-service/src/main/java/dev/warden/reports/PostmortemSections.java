package dev.warden.reports;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What people write in a postmortem: the parts the data cannot tell.
 *
 * @param rootCause why it happened
 * @param contributingFactors what made it worse or likelier
 * @param wentWell what worked and should be kept
 * @param actionItems what will be done, by whom
 */
public record PostmortemSections(String rootCause, String contributingFactors, String wentWell,
		List<ActionItem> actionItems) {

	static final int MAX_TEXT = 20_000;

	static final int MAX_ACTION_ITEMS = 50;

	static final PostmortemSections EMPTY = new PostmortemSections("", "", "", List.of());

	public PostmortemSections {
		rootCause = clean(rootCause);
		contributingFactors = clean(contributingFactors);
		wentWell = clean(wentWell);
		actionItems = (actionItems != null) ? List.copyOf(actionItems) : List.of();
	}

	/** Every problem of the sections, with the field it is about; empty when valid. */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		checkLength("rootCause", this.rootCause, problems);
		checkLength("contributingFactors", this.contributingFactors, problems);
		checkLength("wentWell", this.wentWell, problems);
		if (this.actionItems.size() > MAX_ACTION_ITEMS) {
			problems.add("actionItems: at most " + MAX_ACTION_ITEMS + " action items");
		}
		for (int i = 0; i < this.actionItems.size(); i++) {
			ActionItem item = this.actionItems.get(i);
			if (item == null) {
				problems.add("actionItems[" + i + "]: is empty");
				continue;
			}
			if (item.text() == null || item.text().isBlank()) {
				problems.add("actionItems[" + i + "].text: say what will be done");
			}
			else if (item.text().length() > 2_000) {
				problems.add("actionItems[" + i + "].text: at most 2000 characters");
			}
			if (item.owner() == null || item.owner().isBlank()) {
				problems.add("actionItems[" + i + "].owner: every action item needs an owner");
			}
			else if (item.owner().length() > 200) {
				problems.add("actionItems[" + i + "].owner: at most 200 characters");
			}
		}
		return problems;
	}

	private static void checkLength(String field, String text, List<String> problems) {
		if (text.length() > MAX_TEXT) {
			problems.add(field + ": at most " + MAX_TEXT + " characters");
		}
	}

	private static String clean(String text) {
		return (text != null) ? text.strip() : "";
	}

	/**
	 * One thing to do after the incident.
	 *
	 * @param text what will be done
	 * @param owner who does it
	 * @param due by when, or null
	 * @param done whether it is done
	 */
	public record ActionItem(String text, String owner, LocalDate due, boolean done) {

		public ActionItem {
			text = (text != null) ? text.strip() : null;
			owner = (owner != null) ? owner.strip() : null;
		}

	}

}
