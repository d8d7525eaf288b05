package dev.warden.reports;

import dev.warden.incidents.IncidentId;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A save based on an older revision than the newest: it would overwrite someone. */
@ResponseStatus(HttpStatus.CONFLICT)
public class StalePostmortemRevision extends RuntimeException {

	StalePostmortemRevision(IncidentId id, int base, int newest) {
		super("The postmortem of %s is at revision %d, not %d: reload it and apply your changes again".formatted(id,
				newest, base));
	}

}
