package dev.warden.runbooks.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class against the real Docker engine at {@code DOCKER_HOST} (default
 * {@value #DEFAULT_HOST}, the engine {@code .ci/docker-engine} starts), and decides what
 * happens when there is none: with {@code WARDEN_REQUIRE_DOCKER=true} the class fails,
 * otherwise it is skipped with a message saying so. Use with
 * {@code @ExtendWith(DockerEngineAvailable.class)}.
 */
public class DockerEngineAvailable implements BeforeAllCallback, BeforeEachCallback {

	static final String DEFAULT_HOST = "unix:///tmp/warden-docker/docker.sock";

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

	/** Where the tests find the engine. */
	public static String host() {
		String host = System.getenv("DOCKER_HOST");
		return (host != null && !host.isBlank()) ? host : DEFAULT_HOST;
	}

	/** Whether a missing engine fails the build rather than skipping the tests. */
	static boolean required() {
		return "true".equalsIgnoreCase(System.getenv("WARDEN_REQUIRE_DOCKER"));
	}

	/** A docker-java client for {@link #host()}; the caller closes it. */
	public static DockerClient client() {
		DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
			.withDockerHost(host())
			.withDockerTlsVerify(false)
			.build();
		return DockerClientImpl.getInstance(config,
				new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
					.connectionTimeout(Duration.ofSeconds(5))
					.responseTimeout(Duration.ofSeconds(60))
					.build());
	}

	/**
	 * Skips (or, when Docker is required, fails) unless the engine has all the images.
	 */
	static void assumeImages(DockerClient docker, String... images) {
		for (String image : images) {
			try {
				docker.inspectImageCmd(image).exec();
			}
			catch (NotFoundException ex) {
				System.err.println("Docker engine at " + host() + " lacks " + image + ": Docker tests SKIPPED");
				unavailable("image " + image + " is missing (.ci/docker-engine builds it)");
			}
		}
	}

	/** Fails the whole class when Docker is required and missing. */
	@Override
	public void beforeAll(ExtensionContext context) {
		String problem = problem(context);
		if (!problem.isEmpty() && required()) {
			unavailable(problem);
		}
	}

	/** Skips each test, so that reports count them as skipped. */
	@Override
	public void beforeEach(ExtensionContext context) {
		String problem = problem(context);
		if (!problem.isEmpty()) {
			// once per run, not once per test
			store(context).computeIfAbsent("reported " + host(), (key) -> {
				System.err
					.println("Docker engine not available at " + host() + ": Docker tests SKIPPED (" + problem + ")");
				return true;
			}, Boolean.class);
			unavailable(problem);
		}
	}

	private static String problem(ExtensionContext context) {
		return store(context).computeIfAbsent(host(), (host) -> probe(), String.class);
	}

	private static ExtensionContext.Store store(ExtensionContext context) {
		return context.getRoot().getStore(ExtensionContext.Namespace.create(DockerEngineAvailable.class));
	}

	private static void unavailable(String problem) {
		String where = "Docker engine not available at " + host();
		if (required()) {
			Assertions.fail(where + " (" + problem + ") but WARDEN_REQUIRE_DOCKER=true: start one with "
					+ "eval \"$(.ci/docker-engine | tail -n1)\"");
		}
		Assumptions.abort(where + ": Docker tests SKIPPED (" + problem + "); start one with "
				+ "eval \"$(.ci/docker-engine | tail -n1)\", or set WARDEN_REQUIRE_DOCKER=true to fail instead");
	}

	/** Empty when the engine answers a ping, otherwise why not. */
	private static String probe() {
		ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
		DockerClient docker = client();
		try {
			executor.submit(() -> docker.pingCmd().exec()).get(PROBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return "";
		}
		catch (ExecutionException ex) {
			Throwable root = ex;
			while (root.getCause() != null) {
				root = root.getCause();
			}
			return root.getClass().getSimpleName() + ": " + root.getMessage();
		}
		catch (TimeoutException ex) {
			return "no answer to a ping within " + PROBE_TIMEOUT.toSeconds() + "s";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "interrupted";
		}
		finally {
			// interrupt a ping that hangs before closing its connection
			executor.shutdownNow();
			try {
				docker.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

}
