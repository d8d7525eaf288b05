package dev.warden.routing;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A silence that has already ended or been expired cannot be expired again. */
@ResponseStatus(HttpStatus.CONFLICT)
public class SilenceAlreadyExpired extends RuntimeException {

	SilenceAlreadyExpired(Silence silence) {
		super("Silence " + silence.id() + " has already "
				+ ((silence.expiredAt() != null)
						? "been expired by " + silence.expiredBy() + " at " + silence.expiredAt()
						: "ended at " + silence.endsAt()));
	}

}
