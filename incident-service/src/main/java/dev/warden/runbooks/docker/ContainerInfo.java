package dev.warden.runbooks.docker;

import java.time.Instant;
import java.util.Map;

/**
 * What Warden knows of a container.
 *
 * @param id full container id
 * @param name name without the leading slash
 * @param image the image reference it was created from (e.g. {@code ai-app:2})
 * @param imageId the image's id
 * @param labels its labels
 * @param running whether it runs now
 * @param createdAt when it was created
 * @param startedAt when it last started; null if never
 */
public record ContainerInfo(String id, String name, String image, String imageId, Map<String, String> labels,
		boolean running, Instant createdAt, Instant startedAt) {

	public ContainerInfo {
		labels = Map.copyOf(labels);
	}

}
