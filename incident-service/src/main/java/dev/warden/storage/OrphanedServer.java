package dev.warden.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded PostgreSQL that outlived the Warden that started it. The library stops its
 * server from a JVM shutdown hook, so a Warden killed with SIGKILL (by hand, by the OOM
 * killer, by a container runtime's timeout) leaves the server running on the data
 * directory, and the next Warden could not start its own there: Warden would stay down
 * until someone found and killed the old server.
 */
final class OrphanedServer {

	private static final Logger log = LoggerFactory.getLogger(OrphanedServer.class);

	/** How long a smart shutdown (checkpoint included) may take before SIGKILL. */
	private static final Duration SHUTDOWN = Duration.ofSeconds(60);

	private OrphanedServer() {
	}

	/**
	 * Stops the PostgreSQL server still running on {@code directory} when no live JVM
	 * holds the directory's lock (the library's {@code epg-lock}, held by the Warden that
	 * runs the server). Does nothing when no server runs there, or when another live
	 * Warden owns it (the library then refuses to start, as it should).
	 */
	static void stopIfAny(Path directory) {
		Path pidFile = directory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return;
		}
		try (FileChannel channel = FileChannel.open(directory.resolve("epg-lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
			if (lock == null) {
				return;
			}
			List<String> lines = Files.readAllLines(pidFile);
			if (lines.size() < 2 || !Path.of(lines.get(1).strip()).toAbsolutePath().normalize().equals(directory)) {
				return;
			}
			long pid = Long.parseLong(lines.getFirst().strip());
			ProcessHandle.of(pid)
				.filter((process) -> process.info().command().orElse("").endsWith("postgres"))
				.ifPresent((server) -> stop(server, directory));
		}
		catch (NumberFormatException ex) {
			// Not a pid file PostgreSQL wrote completely: PostgreSQL judges it at start.
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot check for a PostgreSQL left running in " + directory, ex);
		}
	}

	/**
	 * SIGTERM is PostgreSQL's smart shutdown: its clients died with the old JVM, so it
	 * writes a checkpoint and exits. SIGKILL only if it does not; with fsync on, crash
	 * recovery then replays what the checkpoint would have written.
	 */
	private static void stop(ProcessHandle server, Path directory) {
		log.warn("An embedded PostgreSQL (pid {}) is still running on {}: the Warden that started it ended without"
				+ " stopping it (killed?). Stopping it before starting a new one.", server.pid(), directory);
		server.destroy();
		try {
			server.onExit().get(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException ex) {
			log.warn("PostgreSQL (pid {}) did not stop within {}; killing it", server.pid(), SHUTDOWN);
			server.destroyForcibly();
			server.onExit().join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping PostgreSQL " + server.pid(), ex);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Cannot stop PostgreSQL " + server.pid(), ex);
		}
	}

}
