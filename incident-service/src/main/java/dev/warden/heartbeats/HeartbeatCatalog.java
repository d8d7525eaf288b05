package dev.warden.heartbeats;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import dev.warden.yaml.ConfigText;
import dev.warden.yaml.ContentHash;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The heartbeats of the heartbeat file, loaded at start and again on {@link #reload()}.
 * <p>
 * The file is all or nothing: with any problem (reported with file, line and reason) the
 * catalog keeps what it loaded last without problems, or stays empty when nothing ever
 * loaded; Warden still starts. Readers see an immutable snapshot that a reload replaces
 * at once.
 */
@Component
class HeartbeatCatalog {

	private static final Logger log = LoggerFactory.getLogger(HeartbeatCatalog.class);

	private final Path file;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(
			new Snapshot(Map.of(), List.of(), false, null));

	private final Lock reloading = new ReentrantLock();

	/**
	 * The content hash of what the running load read; guarded by {@code reloading}, then
	 * kept in the snapshot, so that a hash always goes with the problems of its own load.
	 */
	private String readHash = ContentHash.UNREADABLE;

	HeartbeatCatalog(HeartbeatSettings settings) {
		this.file = settings.file();
		reload();
	}

	/** Every heartbeat, in file order. */
	List<Heartbeat> all() {
		return List.copyOf(this.snapshot.get().heartbeats().values());
	}

	Optional<Heartbeat> find(String name) {
		return Optional.ofNullable(this.snapshot.get().heartbeats().get(name));
	}

	/** The problems of the last load; empty when the file in use loaded cleanly. */
	List<HeartbeatProblem> problems() {
		return this.snapshot.get().problems();
	}

	/** Where the heartbeats come from, for people. */
	String source() {
		return (this.file != null) ? this.file.toString() : "classpath:" + HeartbeatSettings.DEFAULT_RESOURCE;
	}

	/**
	 * The SHA-256 of the file as the last load read it (whether or not it was applied),
	 * or {@code unreadable}.
	 */
	String contentHash() {
		return this.snapshot.get().contentHash();
	}

	/**
	 * Reads the file again and, when it has no problems, replaces the heartbeats. Never
	 * throws for anything in the file: that is what the report's problems are for.
	 */
	LoadReport reload() {
		this.reloading.lock();
		try {
			Snapshot previous = this.snapshot.get();
			HeartbeatParser.Result result = read();
			boolean applied = result.problems().isEmpty();
			Snapshot next = applied ? Snapshot.of(result.heartbeats())
					: new Snapshot(previous.heartbeats(), result.problems(), previous.loaded(), null);
			next = next.read(this.readHash);
			this.snapshot.set(next);
			if (applied) {
				log.info("Loaded {} heartbeat(s) from {}", next.heartbeats().size(), source());
			}
			else {
				next.problems().forEach((problem) -> log.warn("Heartbeat file problem: {}", problem));
				log.warn("The heartbeat file {} has {} problem(s); {}", source(), next.problems().size(),
						previous.loaded() ? "keeping the heartbeats loaded before"
								: "no heartbeat is watched until it loads");
			}
			return new LoadReport(source(), applied, List.copyOf(next.heartbeats().keySet()), next.problems());
		}
		finally {
			this.reloading.unlock();
		}
	}

	private HeartbeatParser.Result read() {
		String source = source();
		ConfigText.Read read = (this.file != null) ? ConfigText.file(this.file, "heartbeat file")
				: ConfigText.resource(HeartbeatSettings.DEFAULT_RESOURCE);
		this.readHash = ContentHash.of(read);
		if (!read.ok()) {
			return failed(source, read.problem());
		}
		try {
			return HeartbeatParser.parse(source, read.text());
		}
		catch (RuntimeException ex) {
			// A bug here must cost the reload, not the heartbeats in use or Warden's
			// start.
			log.error("Unexpected failure reading the heartbeat file {}", source, ex);
			return failed(source, "could not be read: " + ex);
		}
	}

	private static HeartbeatParser.Result failed(String source, String reason) {
		return new HeartbeatParser.Result(List.of(), List.of(new HeartbeatProblem(source, 0, reason)));
	}

	/**
	 * The outcome of loading the heartbeat file.
	 *
	 * @param source the file read
	 * @param applied whether the file had no problems and replaced what was loaded before
	 * @param heartbeats the names of the heartbeats in use now
	 * @param problems every problem found, by line
	 */
	record LoadReport(String source, boolean applied, List<String> heartbeats, List<HeartbeatProblem> problems) {

		LoadReport {
			heartbeats = List.copyOf(heartbeats);
			problems = List.copyOf(problems);
		}

		/** Like {@code applied, 3 heartbeat(s)}, for the audit log. */
		String summary() {
			return this.applied ? "applied, %d heartbeat(s)".formatted(this.heartbeats.size())
					: "kept the last good version, %d problem(s)".formatted(this.problems.size());
		}

	}

	/**
	 * What the catalog holds after one load; never changed after it is built.
	 *
	 * @param loaded whether a file ever loaded without problems
	 * @param contentHash the content hash of what this load read
	 */
	private record Snapshot(Map<String, Heartbeat> heartbeats, List<HeartbeatProblem> problems, boolean loaded,
			String contentHash) {

		Snapshot {
			problems = List.copyOf(problems);
		}

		static Snapshot of(List<Heartbeat> heartbeats) {
			Map<String, Heartbeat> byName = new LinkedHashMap<>();
			heartbeats.forEach((heartbeat) -> byName.put(heartbeat.name(), heartbeat));
			return new Snapshot(Collections.unmodifiableMap(byName), List.of(), true, null);
		}

		/** This snapshot, as the load that read content with this hash made it. */
		Snapshot read(String hash) {
			return new Snapshot(this.heartbeats, this.problems, this.loaded, hash);
		}

	}

}
