package dev.warden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HAProxy (Debian's package) on a loopback port in front of Warden instances, as a
 * production load balancer would be: round-robin, no stickiness (no cookie, no source
 * hashing), health checks on the readiness endpoint so a restarting instance is skipped.
 * Every request it forwards is logged with the server that answered, so a test can prove
 * that requests alternated between instances.
 */
public final class Haproxy implements AutoCloseable {

	/** One forwarded request in HAProxy's log: {@code <server> <method> <path>}. */
	private static final Pattern REQUEST = Pattern.compile("^served-by (\\S+) (\\S+) (\\S+)");

	private final Process process;

	private final Path log;

	/** The port HAProxy listens on, on 127.0.0.1. */
	public final int port;

	private Haproxy(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/**
	 * Starts HAProxy in front of the instances listening on these loopback ports, named
	 * {@code w1}, {@code w2}, ... in port order, and waits until it accepts connections.
	 */
	public static Haproxy start(String name, List<Integer> backendPorts) {
		int port = freePort();
		StringBuilder config = new StringBuilder("""
				global
				    log stdout format raw local0
				defaults
				    mode http
				    log global
				    log-format "served-by %s %HM %HU %ST"
				    timeout connect 2s
				    timeout client 120s
				    timeout server 120s
				    retries 3
				    option redispatch
				frontend warden
				    bind 127.0.0.1:%d
				    default_backend wardens
				backend wardens
				    balance roundrobin
				    option httpchk GET /actuator/health/readiness
				""".replace("%d", Integer.toString(port)));
		for (int i = 0; i < backendPorts.size(); i++) {
			config.append(
					"    server w%d 127.0.0.1:%d check inter 1s fall 2 rise 1\n".formatted(i + 1, backendPorts.get(i)));
		}
		try {
			Path dir = Files.createDirectories(Path.of("target", "haproxy")).toAbsolutePath();
			Path file = dir.resolve(name + ".cfg");
			Files.writeString(file, config);
			Path log = dir.resolve(name + ".log");
			Process process = new ProcessBuilder(HaproxyAvailable.binary(), "-db", "-f", file.toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			Haproxy haproxy = new Haproxy(process, log, port);
			haproxy.awaitListening();
			return haproxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The base URL of the load balancer, such as {@code http://127.0.0.1:41234}. */
	public String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** How many requests each server ({@code w1}, {@code w2}, ...) answered so far. */
	public Map<String, Integer> servedBy() {
		Map<String, Integer> counts = new LinkedHashMap<>();
		requests().forEach((request) -> counts.merge(request.server(), 1, Integer::sum));
		return counts;
	}

	/** Every request HAProxy forwarded so far, in order. */
	public List<Request> requests() {
		try {
			return Files.readAllLines(this.log)
				.stream()
				.map(REQUEST::matcher)
				.filter(Matcher::find)
				.map((m) -> new Request(m.group(1), m.group(2), m.group(3)))
				// A connection closed without a request (such as the readiness probe
				// here)
				.filter((request) -> !request.method().equals("<BADREQ>"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** HAProxy's log, for failure messages. */
	public Path log() {
		return this.log;
	}

	private void awaitListening() {
		Instant deadline = Instant.now().plusSeconds(20);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"HAProxy exited with " + this.process.exitValue() + "; see " + this.log);
			}
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
				return;
			}
			catch (IOException ex) {
				// not listening yet
			}
			sleep(Duration.ofMillis(100));
		}
		close();
		throw new IllegalStateException("HAProxy did not listen within 20 s; see " + this.log);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A request HAProxy forwarded.
	 *
	 * @param server the server that answered ({@code w1}, {@code w2}, ...), or
	 * {@code <NOSRV>}
	 * @param method the HTTP method
	 * @param path the path and query
	 */
	public record Request(String server, String method, String path) {
	}

}
