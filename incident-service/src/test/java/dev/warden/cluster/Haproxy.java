package dev.warden.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.warden.WardenProcess;

/**
 * A real HAProxy (Debian's package) on a loopback port in front of Warden instances, as a
 * production load balancer would be: round-robin, no stickiness (no cookie, no source
 * hashing), health checks on the readiness endpoint so a restarting instance is skipped.
 * Every request it forwards is logged with the server that answered, so a test can prove
 * that requests alternated between instances. It runs the very configuration file the
 * monitoring stack's HAProxy runs, with the addresses from environment variables.
 */
public final class Haproxy implements AutoCloseable {

	/**
	 * One forwarded request in HAProxy's log (haproxy.cfg's log-format):
	 * {@code served-by <server> <method> <path> <status> <total ms> <request number>}.
	 */
	private static final Pattern REQUEST = Pattern.compile("^served-by (\\S+) (\\S+) (\\S+) \\S+ \\S+ (\\d+)$");

	/**
	 * A health check's verdict in HAProxy's log: {@code Server wardens/w1 is DOWN, ...}.
	 */
	private static final Pattern SERVER_STATE = Pattern.compile("Server \\S+/(\\S+) is (UP|DOWN)");

	/** The one HAProxy configuration: the compose stack's, which the tests run too. */
	private static final Path CONFIG = Path.of("monitoring-stack", "haproxy", "haproxy.cfg");

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
	 * Starts HAProxy with the monitoring stack's configuration
	 * ({@code monitoring-stack/haproxy/haproxy.cfg}, the file the compose file's HAProxy
	 * runs) in front of the two instances listening on these loopback ports, named
	 * {@code w1} and {@code w2} in port order, and waits until it accepts connections.
	 */
	public static Haproxy start(String name, List<Integer> backendPorts) {
		if (backendPorts.size() != 2) {
			throw new IllegalArgumentException(
					"The shipped haproxy.cfg has two servers (WARDEN_1, WARDEN_2), not " + backendPorts.size());
		}
		int port = WardenProcess.freePort();
		try {
			Path dir = Files.createDirectories(Path.of("target", "haproxy")).toAbsolutePath();
			Path log = dir.resolve(name + ".log");
			ProcessBuilder builder = new ProcessBuilder(HaproxyAvailable.binary(), "-db", "-f", config().toString())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile());
			builder.environment().put("HAPROXY_BIND", "127.0.0.1:" + port);
			for (int i = 0; i < backendPorts.size(); i++) {
				builder.environment().put("WARDEN_" + (i + 1), "127.0.0.1:" + backendPorts.get(i));
			}
			Haproxy haproxy = new Haproxy(builder.start(), log, port);
			haproxy.awaitListening();
			return haproxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The monitoring stack's HAProxy configuration, found from the working directory (the
	 * module's, or the repository's).
	 */
	static Path config() {
		for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
			Path config = dir.resolve(CONFIG);
			if (Files.isRegularFile(config)) {
				return config;
			}
		}
		throw new IllegalStateException("No " + CONFIG + " in " + Path.of("").toAbsolutePath() + " or above");
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

	/**
	 * Every request HAProxy forwarded so far, in the order HAProxy took them in (it logs
	 * a request when it ends, so requests under way at once may end in another order).
	 */
	public List<Request> requests() {
		try {
			return Files.readAllLines(this.log)
				.stream()
				.map(REQUEST::matcher)
				.filter(Matcher::find)
				.sorted(Comparator.comparingLong((Matcher m) -> Long.parseLong(m.group(4))))
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

	/**
	 * Waits until HAProxy's health checks find every server up again (after an instance
	 * restarted, HAProxy notices within a second or two), so that the next request may go
	 * to any of them.
	 */
	public void awaitServersUp() {
		Instant deadline = Instant.now().plusSeconds(30);
		while (Instant.now().isBefore(deadline)) {
			try {
				Map<String, String> state = new LinkedHashMap<>();
				for (String line : Files.readAllLines(this.log)) {
					Matcher m = SERVER_STATE.matcher(line);
					if (m.find()) {
						state.put(m.group(1), m.group(2));
					}
				}
				if (!state.containsValue("DOWN")) {
					return;
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			WardenProcess.sleep(Duration.ofMillis(200));
		}
		throw new IllegalStateException("HAProxy still finds a server down after 30 s; see " + this.log);
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
			WardenProcess.sleep(Duration.ofMillis(100));
		}
		close();
		throw new IllegalStateException("HAProxy did not listen within 20 s; see " + this.log);
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
