package dev.warden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * A whole Warden in its own JVM, started from the test classpath, that a test can kill
 * with SIGKILL as a crash would: the only way to prove what a crash leaves behind.
 */
public final class WardenProcess implements AutoCloseable {

	/**
	 * The JVM options of an instance a test starts: quick to start rather than fast after
	 * minutes of warming up (the client compiler only, the serial collector), about a
	 * quarter off each start on 2 cores. The tests' instances live for seconds and wait
	 * more than they compute; a benchmark starts its instance with
	 * {@link #startForMeasuring} instead.
	 */
	private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private final Process process;

	private final Path log;

	public final int port;

	private WardenProcess(Process process, Path log, int port) {
		this.process = process;
		this.log = log;
		this.port = port;
	}

	/** Starts Warden with these properties and waits until it is ready. */
	public static WardenProcess start(String name, Map<String, String> properties) {
		return startOnFreePort(name, properties, ChildJvm.command(QUICK_START));
	}

	/**
	 * Starts Warden on this port (to restart an instance where a load balancer expects
	 * it) and waits until it is ready.
	 */
	public static WardenProcess start(String name, int port, Map<String, String> properties) {
		return start(name, port, properties, ChildJvm.command(QUICK_START));
	}

	/**
	 * Starts Warden as it runs in production, for benchmarks: the JVM's default compiler
	 * and collector, no ahead-of-time cache (see {@link ChildJvm}).
	 */
	public static WardenProcess startForMeasuring(String name, Map<String, String> properties) {
		return startOnFreePort(name, properties, ChildJvm.plainCommand(List.of()));
	}

	/**
	 * A port found free can be taken before Warden binds it, seconds later (an outgoing
	 * connection of any process on the machine may get it as its local port): Warden then
	 * stops at once, and starts again on another port.
	 */
	private static WardenProcess startOnFreePort(String name, Map<String, String> properties, List<String> jvm) {
		for (int attempt = 1;; attempt++) {
			try {
				return start(name, freePort(), properties, jvm);
			}
			catch (PortTaken ex) {
				if (attempt == 3) {
					throw ex;
				}
			}
		}
	}

	/**
	 * @param jvm the start of the command, from {@link ChildJvm}: the test classpath
	 * (packed, with an ahead-of-time cache, for the tests' instances), marked as a child,
	 * so that the test contexts' initializers stay out of it
	 */
	private static WardenProcess start(String name, int port, Map<String, String> properties, List<String> jvm) {
		List<String> command = new ArrayList<>(jvm);
		command.add("dev.warden.WardenApplication");
		command.add("--server.port=" + port);
		properties.forEach((key, value) -> command.add("--" + key + "=" + value));
		try {
			Path log = Files.createDirectories(Path.of("target", "warden-processes")).resolve(name + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			WardenProcess warden = new WardenProcess(process, log, port);
			warden.awaitReady();
			return warden;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The properties that put an instance on the same database as this pool (a test
	 * context's): its URL, user and password.
	 */
	public static Map<String, String> database(DataSource dataSource) {
		return database(((HikariDataSource) dataSource).getJdbcUrl(), dataSource);
	}

	/**
	 * The properties that put an instance on the database at this URL, with the user and
	 * password of this pool (a test context's, on the same server).
	 */
	public static Map<String, String> database(String url, DataSource dataSource) {
		HikariDataSource hikari = (HikariDataSource) dataSource;
		return database(url, hikari.getUsername(), hikari.getPassword());
	}

	/** The properties that put an instance on the database at this URL. */
	public static Map<String, String> database(String url, String username, String password) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("spring.datasource.url", url);
		properties.put("spring.datasource.username", username);
		properties.put("spring.datasource.password", password);
		return properties;
	}

	/** The file that holds the instance's log (its standard output and error). */
	public Path log() {
		return this.log;
	}

	/** The operating system's id of the instance's JVM. */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Freezes the JVM with SIGSTOP, as a long GC pause, a suspended VM or a network
	 * partition would: it holds its connections but does nothing until {@link #thaw()}.
	 */
	public void freeze() {
		signal("STOP");
	}

	/** Wakes a JVM {@link #freeze() frozen} before with SIGCONT. */
	public void thaw() {
		signal("CONT");
	}

	private void signal(String name) {
		try {
			Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid())).inheritIO().start();
			if (kill.waitFor() != 0) {
				throw new IllegalStateException("kill -" + name + " " + pid() + " exited with " + kill.exitValue());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Stops the JVM as an orderly shutdown would (SIGTERM: Spring's graceful shutdown),
	 * waiting up to a minute before killing it.
	 */
	public void stop() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				kill();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Kills the JVM at once (SIGKILL): no shutdown hooks, no graceful stop. */
	public void kill() {
		this.process.destroyForcibly();
		try {
			this.process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void awaitReady() {
		HttpClient http = HttpClient.newHttpClient();
		Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				String message = "Warden exited with " + this.process.exitValue() + "; see " + this.log;
				throw portTaken() ? new PortTaken(message) : new IllegalStateException(message);
			}
			try {
				HttpResponse<String> response = http.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(Duration.ofMillis(300));
		}
		kill();
		throw new IllegalStateException("Warden did not become ready within 240 s; see " + this.log);
	}

	private boolean portTaken() {
		try {
			return Files.readString(this.log).contains("Port " + this.port + " was already in use");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** Warden stopped because its port was taken before it could bind it. */
	private static final class PortTaken extends IllegalStateException {

		PortTaken(String message) {
			super(message);
		}

	}

	/**
	 * A free port on the loopback interface, this test JVM's own (see {@link TestFork}).
	 */
	public static int freePort() {
		return TestFork.freePort();
	}

	public static void sleep(Duration duration) {
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
		if (this.process.isAlive()) {
			kill();
		}
	}

}
