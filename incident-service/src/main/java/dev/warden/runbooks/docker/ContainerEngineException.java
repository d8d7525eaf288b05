package dev.warden.runbooks.docker;

/** The engine could not do what was asked; the message says why, for the timeline. */
public class ContainerEngineException extends RuntimeException {

	public ContainerEngineException(String message) {
		super(message);
	}

	public ContainerEngineException(String message, Throwable cause) {
		super(message, cause);
	}

}
