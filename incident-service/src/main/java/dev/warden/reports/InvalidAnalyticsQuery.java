package dev.warden.reports;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Analytics parameters Warden refuses: an empty or too long window, an unknown zone. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidAnalyticsQuery extends RuntimeException {

	InvalidAnalyticsQuery(String message) {
		super(message);
	}

}
