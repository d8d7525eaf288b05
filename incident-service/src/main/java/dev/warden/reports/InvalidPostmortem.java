package dev.warden.reports;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Sections that cannot be saved; nothing was saved. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
class InvalidPostmortem extends RuntimeException {

	InvalidPostmortem(List<String> problems) {
		super("The postmortem was not saved: " + String.join("; ", problems));
	}

}
