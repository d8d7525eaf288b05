package dev.warden.heartbeats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.ClassPathResource;
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

	/** Larger files are not read: a heartbeat file is a few pages of YAML. */
	static final int MAX_FILE_SIZE = 1024 * 1024;

	private final Path file;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(new Snapshot(Map.of(), List.of(), false));

	private final Lock reloading = new ReentrantLock();

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
					: new Snapshot(previous.heartbeats(), result.problems(), previous.loaded());
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
		String text;
		try {
			text = text();
		}
		catch (NoSuchFileException ex) {
			return failed(source, "the heartbeat file " + this.file.toAbsolutePath().normalize() + " does not exist");
		}
		catch (CharacterCodingException ex) {
			return failed(source, "the file is not UTF-8 text");
		}
		catch (IOException ex) {
			return failed(source, "cannot read the file (" + ex.getMessage() + ")");
		}
		if (text == null) {
			return failed(source, "the file is larger than " + (MAX_FILE_SIZE / 1024) + " KiB");
		}
		try {
			return HeartbeatParser.parse(source, text);
		}
		catch (RuntimeException ex) {
			// A bug here must cost the reload, not the heartbeats in use or Warden's
			// start.
			log.error("Unexpected failure reading the heartbeat file {}", source, ex);
			return failed(source, "could not be read: " + ex);
		}
	}

	/** The file's text, or null when it is too large. */
	private String text() throws IOException {
		if (this.file != null && Files.isDirectory(this.file)) {
			throw new IOException("it is a directory");
		}
		try (InputStream in = (this.file != null) ? Files.newInputStream(this.file)
				: new ClassPathResource(HeartbeatSettings.DEFAULT_RESOURCE).getInputStream()) {
			byte[] bytes = in.readNBytes(MAX_FILE_SIZE + 1);
			if (bytes.length > MAX_FILE_SIZE) {
				return null;
			}
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
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
	 */
	private record Snapshot(Map<String, Heartbeat> heartbeats, List<HeartbeatProblem> problems, boolean loaded) {

		Snapshot {
			problems = List.copyOf(problems);
		}

		static Snapshot of(List<Heartbeat> heartbeats) {
			Map<String, Heartbeat> byName = new LinkedHashMap<>();
			heartbeats.forEach((heartbeat) -> byName.put(heartbeat.name(), heartbeat));
			return new Snapshot(Collections.unmodifiableMap(byName), List.of(), true);
		}

	}

}
