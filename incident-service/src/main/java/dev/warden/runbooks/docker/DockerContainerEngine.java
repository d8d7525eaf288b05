package dev.warden.runbooks.docker;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ContainerEngine} on a real Docker engine, through docker-java and its Apache
 * HttpClient 5 transport.
 * <p>
 * Creating it contacts nothing, so Warden starts without a Docker engine; the first call
 * does. Each request to the engine is bounded by the configured response timeout, also on
 * unix sockets, where the transport cannot time out a read by itself. Every failure,
 * whether the engine refused or could not be reached, becomes a
 * {@link ContainerEngineException} that says what was attempted, on which container, and
 * why. Close it to release its connections.
 */
public class DockerContainerEngine implements ContainerEngine, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DockerContainerEngine.class);

	private static final Pattern DAEMON_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern FULL_ID = Pattern.compile("[0-9a-f]{64}");

	private final String host;

	private final Duration connectTimeout;

	private final Duration responseTimeout;

	private final DockerClient docker;

	// Requests run here so that a caller can stop waiting (and interrupt the read) when
	// the engine does not answer in time.
	private final ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor();

	DockerContainerEngine(DockerSettings settings) {
		this.host = settings.host();
		this.connectTimeout = settings.connectTimeout();
		this.responseTimeout = settings.responseTimeout();
		DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder()
			.withDockerHost(settings.host())
			.withDockerTlsVerify(settings.tlsVerify());
		if (settings.certPath() != null && !settings.certPath().isBlank()) {
			config.withDockerCertPath(settings.certPath());
		}
		DefaultDockerClientConfig clientConfig = config.build();
		ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(clientConfig.getDockerHost())
			.sslConfig(clientConfig.getSSLConfig())
			.connectionTimeout(settings.connectTimeout())
			.responseTimeout(settings.responseTimeout())
			.maxConnections(settings.maxConnections())
			.build();
		this.docker = DockerClientImpl.getInstance(clientConfig, http);
	}

	@Override
	public List<ContainerInfo> find(ContainerSelector selector) {
		String attempt = "Cannot list containers with " + selector;
		ListContainersCmd list = this.docker.listContainersCmd().withShowAll(true);
		if (selector.name() != null) {
			// the engine matches names as a regular expression; exact matching follows
			list.withNameFilter(List.of(selector.name()));
		}
		else {
			list.withLabelFilter(selector.labels());
		}
		List<Container> containers = call(attempt, list::exec);
		return containers.stream()
			.filter((container) -> selector.name() == null || hasName(container, selector.name()))
			.map((container) -> inspectIfPresent(attempt, container.getId()))
			.flatMap(Optional::stream)
			.sorted(Comparator.comparing(ContainerInfo::createdAt, Comparator.nullsLast(Comparator.reverseOrder())))
			.toList();
	}

	@Override
	public ContainerInfo inspect(String idOrName) {
		return info(inspectContainer("Cannot inspect container " + describe(idOrName), idOrName));
	}

	@Override
	public void restart(String id, Duration stopTimeout) {
		String attempt = "Cannot restart container " + describe(id);
		int seconds = stopSeconds(attempt, stopTimeout);
		call(attempt, () -> this.docker.restartContainerCmd(id).withTimeout(seconds).exec());
	}

	@Override
	public ContainerInfo renameAndStart(String id, String name) {
		String attempt = "Cannot rename container " + describe(id) + " to " + name + " and start it";
		call(attempt, () -> this.docker.renameContainerCmd(id).withName(name).exec());
		call(attempt, () -> this.docker.startContainerCmd(id).exec());
		return info(inspectContainer(attempt, id));
	}

	@Override
	public void stopAndRemove(String id, Duration stopTimeout) {
		String attempt = "Cannot stop and remove container " + describe(id);
		int seconds = stopSeconds(attempt, stopTimeout);
		stop(attempt, id, seconds);
		remove(attempt, id);
	}

	@Override
	public ContainerInfo cloneOf(ContainerInfo template) {
		String attempt = "Cannot clone container " + describe(template);
		InspectContainerResponse original = inspectContainer(attempt, reference(template));
		String name = nameOf(original) + "-" + randomHex();
		HostConfig source = original.getHostConfig();
		HostConfig host = HostConfig.newHostConfig();
		if (source != null) {
			if (source.getBinds() != null && source.getBinds().length > 0) {
				host.withBinds(source.getBinds());
			}
			if (source.getMounts() != null && !source.getMounts().isEmpty()) {
				host.withMounts(source.getMounts());
			}
			host.withNetworkMode(source.getNetworkMode()).withRestartPolicy(source.getRestartPolicy());
		}
		CreateContainerCmd create = createLike(attempt, original, sameImage(attempt, original), name, host);
		String id = call(attempt, create::exec).getId();
		try {
			call(attempt + ": its clone " + name + " (" + shortId(id) + ") did not start",
					() -> this.docker.startContainerCmd(id).exec());
		}
		catch (ContainerEngineException ex) {
			removeQuietly(id);
			throw ex;
		}
		return info(inspectContainer(attempt + ": cannot inspect its clone " + name + " (" + shortId(id) + ")", id));
	}

	@Override
	public ContainerInfo recreate(ContainerInfo container, String image, Duration stopTimeout) {
		String attempt = "Cannot recreate container " + describe(container) + " on image " + image;
		int seconds = stopSeconds(attempt, stopTimeout);
		InspectContainerResponse old = inspectContainer(attempt, reference(container));
		String name = nameOf(old);
		// The replacement is created under a temporary name before the old container
		// goes,
		// so a missing image or a refused configuration leaves the old one running.
		String temporaryName = name + "-next-" + randomHex();
		CreateContainerCmd create = createLike(attempt, old, image, temporaryName, hostConfigForReplacement(old));
		String id = call(attempt, create::exec).getId();
		try {
			stop(attempt, old.getId(), seconds);
			remove(attempt, old.getId());
		}
		catch (ContainerEngineException ex) {
			removeQuietly(id);
			throw ex;
		}
		String replaced = attempt + ": the old container is removed but its replacement " + temporaryName + " ("
				+ shortId(id) + ")";
		call(replaced + " cannot take the name " + name,
				() -> this.docker.renameContainerCmd(id).withName(name).exec());
		call(replaced + " did not start", () -> this.docker.startContainerCmd(id).exec());
		return info(inspectContainer(attempt + ": cannot inspect the started replacement " + shortId(id), id));
	}

	@Override
	public boolean isAvailable() {
		try {
			withinDeadline(() -> this.docker.pingCmd().exec(), this.connectTimeout);
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("Docker engine at {} does not answer a ping", this.host, ex);
			return false;
		}
	}

	/** Stops waiting for pending requests and closes the connections to the engine. */
	@Override
	public void close() {
		this.requests.shutdownNow();
		try {
			this.docker.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot close the Docker client for " + this.host, ex);
		}
	}

	private InspectContainerResponse inspectContainer(String attempt, String idOrName) {
		return call(attempt, () -> this.docker.inspectContainerCmd(idOrName).exec());
	}

	private Optional<ContainerInfo> inspectIfPresent(String attempt, String id) {
		try {
			return Optional.of(info(withinDeadline(() -> this.docker.inspectContainerCmd(id).exec())));
		}
		catch (NotFoundException ex) {
			// removed between listing and inspecting
			return Optional.empty();
		}
		catch (RuntimeException ex) {
			throw failure(attempt + ": inspecting " + shortId(id), ex);
		}
	}

	private void stop(String attempt, String id, int seconds) {
		try {
			withinDeadline(() -> this.docker.stopContainerCmd(id).withTimeout(seconds).exec());
		}
		catch (NotModifiedException ex) {
			// already stopped
		}
		catch (RuntimeException ex) {
			throw failure(attempt, ex);
		}
	}

	private void remove(String attempt, String id) {
		try {
			withinDeadline(() -> this.docker.removeContainerCmd(id).exec());
		}
		catch (NotFoundException ex) {
			// it stopped, so it existed: an auto-remove container is gone already
		}
		catch (ConflictException ex) {
			if (!daemonMessage(ex).contains("already in progress")) {
				throw failure(attempt, ex);
			}
		}
		catch (RuntimeException ex) {
			throw failure(attempt, ex);
		}
	}

	private void removeQuietly(String id) {
		try {
			withinDeadline(() -> this.docker.removeContainerCmd(id).withForce(true).exec());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not remove container {} after a failed operation: {}", shortId(id), reason(ex));
		}
	}

	/**
	 * A create command with the container's own configuration: what the image provided
	 * (environment, labels, command, working directory, user) is left for the image to
	 * provide, so that a new image brings its own defaults rather than the old one's.
	 */
	private CreateContainerCmd createLike(String attempt, InspectContainerResponse original, String image, String name,
			HostConfig hostConfig) {
		ContainerConfig own = original.getConfig();
		ContainerConfig fromImage = imageConfig(attempt, original.getImageId());
		CreateContainerCmd create = this.docker.createContainerCmd(image).withName(name).withHostConfig(hostConfig);
		boolean ownEntrypoint = fromImage == null || !Arrays.equals(own.getEntrypoint(), fromImage.getEntrypoint());
		boolean ownCmd = fromImage == null || !Arrays.equals(own.getCmd(), fromImage.getCmd());
		// The engine ignores the image's command once the entrypoint is set, so both go.
		if (ownEntrypoint && own.getEntrypoint() != null) {
			create.withEntrypoint(own.getEntrypoint());
			if (own.getCmd() != null) {
				create.withCmd(own.getCmd());
			}
		}
		else if (ownCmd && own.getCmd() != null) {
			create.withCmd(own.getCmd());
		}
		List<String> imageEnv = (fromImage != null && fromImage.getEnv() != null) ? List.of(fromImage.getEnv())
				: List.of();
		if (own.getEnv() != null) {
			create.withEnv(Arrays.stream(own.getEnv()).filter((entry) -> !imageEnv.contains(entry)).toList());
		}
		Map<String, String> imageLabels = (fromImage != null && fromImage.getLabels() != null) ? fromImage.getLabels()
				: Map.of();
		Map<String, String> labels = new LinkedHashMap<>();
		if (own.getLabels() != null) {
			own.getLabels().forEach((key, value) -> {
				if (!value.equals(imageLabels.get(key))) {
					labels.put(key, value);
				}
			});
		}
		create.withLabels(labels);
		String imageWorkingDir = (fromImage != null) ? fromImage.getWorkingDir() : null;
		if (hasText(own.getWorkingDir()) && !own.getWorkingDir().equals(imageWorkingDir)) {
			create.withWorkingDir(own.getWorkingDir());
		}
		String imageUser = (fromImage != null) ? fromImage.getUser() : null;
		if (hasText(own.getUser()) && !own.getUser().equals(imageUser)) {
			create.withUser(own.getUser());
		}
		if (Boolean.TRUE.equals(own.getTty())) {
			create.withTty(true);
		}
		if (Boolean.TRUE.equals(own.getStdinOpen())) {
			create.withStdinOpen(true);
		}
		return create;
	}

	/**
	 * The image reference the container was created from while it still names the same
	 * image, otherwise the image's id: a clone runs what its template runs even after the
	 * tag moved.
	 */
	private String sameImage(String attempt, InspectContainerResponse container) {
		String reference = container.getConfig().getImage();
		try {
			String current = withinDeadline(() -> this.docker.inspectImageCmd(reference).exec()).getId();
			return current.equals(container.getImageId()) ? reference : container.getImageId();
		}
		catch (NotFoundException ex) {
			return container.getImageId();
		}
		catch (RuntimeException ex) {
			throw failure(attempt + ": inspecting image " + reference, ex);
		}
	}

	/** The image's own configuration, or null when the image is gone. */
	private ContainerConfig imageConfig(String attempt, String imageId) {
		if (imageId == null) {
			return null;
		}
		try {
			return withinDeadline(() -> this.docker.inspectImageCmd(imageId).exec()).getConfig();
		}
		catch (NotFoundException ex) {
			return null;
		}
		catch (RuntimeException ex) {
			throw failure(attempt + ": inspecting its image", ex);
		}
	}

	/**
	 * The old container's host configuration (ports, mounts, network mode, restart
	 * policy, resources), plus its anonymous volumes so that their data stays with the
	 * replacement.
	 */
	private static HostConfig hostConfigForReplacement(InspectContainerResponse old) {
		HostConfig host = (old.getHostConfig() != null) ? old.getHostConfig() : HostConfig.newHostConfig();
		Set<String> declared = new HashSet<>();
		if (host.getBinds() != null) {
			for (Bind bind : host.getBinds()) {
				declared.add(bind.getVolume().getPath());
			}
		}
		List<Mount> mounts = new ArrayList<>((host.getMounts() != null) ? host.getMounts() : List.of());
		mounts.forEach((mount) -> declared.add(mount.getTarget()));
		if (old.getMounts() != null) {
			for (InspectContainerResponse.Mount used : old.getMounts()) {
				String target = (used.getDestination() != null) ? used.getDestination().getPath() : null;
				if (used.getName() != null && target != null && !declared.contains(target)) {
					mounts.add(new Mount().withType(MountType.VOLUME).withSource(used.getName()).withTarget(target));
				}
			}
		}
		return mounts.isEmpty() ? host : host.withMounts(mounts);
	}

	private static ContainerInfo info(InspectContainerResponse response) {
		ContainerConfig config = response.getConfig();
		InspectContainerResponse.ContainerState state = response.getState();
		Map<String, String> labels = (config != null && config.getLabels() != null) ? config.getLabels() : Map.of();
		return new ContainerInfo(response.getId(), nameOf(response), (config != null) ? config.getImage() : null,
				response.getImageId(), labels, state != null && Boolean.TRUE.equals(state.getRunning()),
				instant(response.getCreated()), (state != null) ? instant(state.getStartedAt()) : null);
	}

	/** Docker's RFC 3339 times with nanoseconds; its zero time means never. */
	static Instant instant(String value) {
		if (value == null || value.isBlank() || value.startsWith("0001-01-01T")) {
			return null;
		}
		try {
			return OffsetDateTime.parse(value).toInstant();
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private int stopSeconds(String attempt, Duration stopTimeout) {
		if (stopTimeout == null || stopTimeout.isNegative()) {
			throw new IllegalArgumentException("Stop timeout must be zero or positive, not " + stopTimeout);
		}
		if (stopTimeout.compareTo(this.responseTimeout) >= 0) {
			throw new ContainerEngineException(attempt + ": the stop timeout " + readable(stopTimeout)
					+ " is not shorter than the response timeout " + readable(this.responseTimeout)
					+ " (warden.docker.response-timeout)");
		}
		long seconds = stopTimeout.getSeconds() + ((stopTimeout.getNano() > 0) ? 1 : 0);
		return Math.toIntExact(seconds);
	}

	private <T> T call(String attempt, Supplier<T> request) {
		try {
			return withinDeadline(request);
		}
		catch (RuntimeException ex) {
			throw failure(attempt, ex);
		}
	}

	private <T> T withinDeadline(Supplier<T> request) {
		return withinDeadline(request, this.responseTimeout);
	}

	/**
	 * Runs one request, waiting at most {@code deadline}; throws what the request threw.
	 */
	private <T> T withinDeadline(Supplier<T> request, Duration deadline) {
		Future<T> pending;
		try {
			pending = this.requests.submit(request::get);
		}
		catch (RejectedExecutionException ex) {
			throw new ClientClosed();
		}
		try {
			return pending.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException(ex.getCause());
		}
		catch (TimeoutException ex) {
			pending.cancel(true);
			throw new NoAnswer(deadline);
		}
		catch (InterruptedException ex) {
			pending.cancel(true);
			Thread.currentThread().interrupt();
			throw new Interrupted();
		}
	}

	private ContainerEngineException failure(String attempt, RuntimeException ex) {
		return new ContainerEngineException(attempt + ": " + reason(ex), ex);
	}

	private String reason(RuntimeException ex) {
		if (ex instanceof NoAnswer noAnswer) {
			return "Docker engine at " + this.host + " did not answer within " + readable(noAnswer.deadline);
		}
		if (ex instanceof Interrupted) {
			return "interrupted while waiting for the Docker engine at " + this.host;
		}
		if (ex instanceof ClientClosed) {
			return "the client for the Docker engine at " + this.host + " is closed";
		}
		if (ex instanceof NotFoundException) {
			String message = daemonMessage(ex);
			return message.startsWith("No such container") ? "no such container" : lowerFirst(message);
		}
		if (ex instanceof ConflictException) {
			return "conflict: " + daemonMessage(ex);
		}
		if (ex instanceof DockerException docker) {
			return "Docker engine at " + this.host + " answered " + docker.getHttpStatus() + ": " + daemonMessage(ex);
		}
		IOException io = ioCause(ex);
		if (io instanceof InterruptedIOException) {
			return "Docker engine at " + this.host + " did not answer within " + readable(this.responseTimeout) + " ("
					+ describe(io) + ")";
		}
		if (io != null) {
			return "Docker engine at " + this.host + " is unreachable: " + describe(rootCause(io));
		}
		if (ex instanceof DockerClientException) {
			return ex.getMessage();
		}
		return "unexpected failure talking to the Docker engine at " + this.host + ": " + describe(ex);
	}

	/** What the engine said, without the status and JSON around it. */
	private static String daemonMessage(RuntimeException ex) {
		String message = (ex.getMessage() != null) ? ex.getMessage().strip() : "";
		Matcher matcher = DAEMON_MESSAGE.matcher(message);
		if (matcher.find()) {
			return matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
		}
		return message.replaceFirst("^Status \\d+: ", "");
	}

	private static IOException ioCause(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException io) {
				return io;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root;
	}

	private static String describe(Throwable ex) {
		return (ex.getMessage() != null && !ex.getMessage().isBlank()) ? ex.getMessage()
				: ex.getClass().getSimpleName();
	}

	private static String describe(String idOrName) {
		return (idOrName != null && FULL_ID.matcher(idOrName).matches()) ? shortId(idOrName) : idOrName;
	}

	private static String describe(ContainerInfo container) {
		if (container.name() == null) {
			return shortId(container.id());
		}
		return (container.id() != null) ? container.name() + " (" + shortId(container.id()) + ")" : container.name();
	}

	private static String reference(ContainerInfo container) {
		return (container.id() != null) ? container.id() : container.name();
	}

	private static String shortId(String id) {
		return (id != null && id.length() > 12) ? id.substring(0, 12) : id;
	}

	private static String nameOf(InspectContainerResponse response) {
		String name = response.getName();
		return (name != null && name.startsWith("/")) ? name.substring(1) : name;
	}

	private static boolean hasName(Container container, String name) {
		return container.getNames() != null && Arrays.asList(container.getNames()).contains("/" + name);
	}

	private static String randomHex() {
		byte[] bytes = new byte[3];
		ThreadLocalRandom.current().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private static String readable(Duration duration) {
		return duration.toString().substring(2).toLowerCase(Locale.ROOT);
	}

	private static String lowerFirst(String message) {
		return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	/** The engine did not answer before the deadline. */
	private static final class NoAnswer extends RuntimeException {

		private final Duration deadline;

		NoAnswer(Duration deadline) {
			super("no answer within " + deadline, null, false, false);
			this.deadline = deadline;
		}

	}

	/** The caller was interrupted while waiting for the engine. */
	private static final class Interrupted extends RuntimeException {

		Interrupted() {
			super("interrupted", null, false, false);
		}

	}

	/** The engine was closed. */
	private static final class ClientClosed extends RuntimeException {

		ClientClosed() {
			super("closed", null, false, false);
		}

	}

}
