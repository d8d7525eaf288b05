package dev.warden.runbooks;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.stereotype.Component;

/**
 * Names this Warden instance in runbook records and timelines: the host name plus the
 * process id, so that two instances on one host (or in one test) differ. db-scheduler's
 * own scheduler name is the host name alone.
 */
@Component
class LocalInstance {

	private final String id;

	LocalInstance() {
		this.id = hostName() + ":" + ProcessHandle.current().pid();
	}

	/** This instance, e.g. {@code warden-1:4711}. */
	String id() {
		return this.id;
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}
