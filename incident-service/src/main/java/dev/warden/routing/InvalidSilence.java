package dev.warden.routing;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A silence Warden refuses to create, with every reason. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidSilence extends RuntimeException {

	private final List<String> reasons;

	InvalidSilence(List<String> reasons) {
		super("Invalid silence: " + String.join("; ", reasons));
		this.reasons = List.copyOf(reasons);
	}

	/** Everything wrong with the silence. */
	public List<String> reasons() {
		return this.reasons;
	}

}
