package dev.warden.access;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** Audit log filters that mean nothing; the message says why, for people. */
@ResponseStatus(HttpStatus.BAD_REQUEST)
public class InvalidAuditQuery extends RuntimeException {

	InvalidAuditQuery(String message) {
		super(message);
	}

}
