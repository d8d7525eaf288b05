package dev.warden.runbooks.docker;

import java.time.Duration;
import java.util.List;

/**
 * The container engine the Docker actions drive. Every method either does what it says or
 * throws {@link ContainerEngineException} with a reason a person can act on (daemon
 * unreachable, container gone, conflict, timeout); it never hangs past its configured
 * response timeout.
 */
public interface ContainerEngine {

	/** Containers, running or not, that match the selector; newest first. */
	List<ContainerInfo> find(ContainerSelector selector);

	/** One container by id or name. */
	ContainerInfo inspect(String idOrName);

	/**
	 * Restarts a container, giving it {@code stopTimeout} to stop before it is killed.
	 */
	void restart(String id, Duration stopTimeout);

	/**
	 * Creates and starts a new container with the same configuration as {@code template}
	 * (image, command, entrypoint, environment, labels, mounts, network mode, restart
	 * policy), under a new unique name derived from the template's.
	 * @return the new container
	 */
	ContainerInfo cloneOf(ContainerInfo template);

	/** Stops (within {@code stopTimeout}) and removes a container. */
	void stopAndRemove(String id, Duration stopTimeout);

	/**
	 * Replaces a container by one with the same configuration and name but another image:
	 * stops and removes the old one, creates and starts the new one.
	 * @return the new container
	 */
	ContainerInfo recreate(ContainerInfo container, String image, Duration stopTimeout);

	/**
	 * Gives a container the name {@code name} and starts it: how an interrupted
	 * {@link #recreate} is finished, when its replacement was created but the crash came
	 * before it took the old container's name.
	 * @return the started container
	 */
	ContainerInfo renameAndStart(String id, String name);

	/** True when the engine answers a ping. */
	boolean isAvailable();

}
