package dev.warden.heartbeats;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ResponseStatus;

/** No heartbeat of that name is declared in the heartbeat file. */
@ResponseStatus(HttpStatus.NOT_FOUND)
public class HeartbeatNotFound extends RuntimeException {

	HeartbeatNotFound(String name) {
		super("There is no heartbeat '" + ((name.length() > 64) ? name.substring(0, 64) + "…" : name)
				+ "' in the heartbeat file");
	}

}
