package dev.warden.runbooks;

import java.util.List;

/**
 * A step's parameters name labels or annotations the alert does not have; the run fails
 * before any action, with this message on the timeline.
 */
public class MissingTemplateValue extends RuntimeException {

	private final List<String> references;

	public MissingTemplateValue(List<String> references) {
		super(String.join(", ", references) + ((references.size() == 1) ? " is" : " are") + " not set on the alert");
		this.references = List.copyOf(references);
	}

	/**
	 * The missing references, such as {@code labels.container}, in order of appearance.
	 */
	public List<String> references() {
		return this.references;
	}

}
