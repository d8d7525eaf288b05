package dev.warden.runbooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import dev.warden.yaml.ConfigText;
import dev.warden.yaml.ContentHash;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The runbooks in the runbook directory: every {@code *.yaml} and {@code *.yml} file
 * there holds one, loaded at start and again on {@link #reload()}.
 * <p>
 * A file with problems is reported (file, line, reason) and never takes down the others.
 * On reload it keeps the definition it last loaded without problems, if any; a file that
 * disappeared is dropped. When two files declare the same id, the first in file-name
 * order wins and the other has a problem. Readers see an immutable snapshot that a reload
 * replaces at once, so they never see half a reload.
 */
@Component
public class RunbookCatalog {

	/** The runbook directory's kind among the configurations instances share. */
	public static final String CONFIG_KIND = "runbooks";

	private static final Logger log = LoggerFactory.getLogger(RunbookCatalog.class);

	/** The alert label that may choose one of the runbooks whose rules hold. */
	static final String RUNBOOK_LABEL = "runbook";

	/** The file name used in problems about the directory itself. */
	static final String DIRECTORY = ".";

	private final Path directory;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);

	private final Lock reloading = new ReentrantLock();

	RunbookCatalog(RunbookSettings settings) {
		this.directory = settings.directory();
		reload();
	}

	/** Every runbook, sorted by id. */
	public List<RunbookDefinition> all() {
		return this.snapshot.get().all();
	}

	/** The runbook with this id. */
	public Optional<RunbookDefinition> find(String id) {
		return Optional.ofNullable(this.snapshot.get().byId().get(id));
	}

	/**
	 * The runbooks whose match rules hold for an alert with these labels (see
	 * {@link RunbookDefinition#matches}), sorted by id. An alert's {@code runbook} label
	 * adds none.
	 */
	public List<RunbookDefinition> matching(Map<String, String> labels) {
		Map<String, String> given = (labels != null) ? labels : Map.of();
		return all().stream().filter((runbook) -> runbook.matches(given)).toList();
	}

	/**
	 * The runbooks an alert with these labels starts by itself: the automatic and
	 * approval runbooks whose rules hold; when the alert has a {@code runbook} label,
	 * only the one it names, and only if that one's rules hold. A label naming anything
	 * else starts nothing, with the reason.
	 */
	Choice automaticChoice(Map<String, String> labels) {
		List<RunbookDefinition> matching = matching(labels).stream()
			.filter((runbook) -> runbook.mode() != RunbookDefinition.Mode.MANUAL)
			.toList();
		String named = labels.get(RUNBOOK_LABEL);
		if (named == null || named.isEmpty()) {
			return new Choice(matching, null, null);
		}
		RunbookDefinition chosen = this.snapshot.get().byId().get(named);
		if (chosen == null) {
			return new Choice(List.of(), named, "its runbook label names \"%s\", which is not in the catalog"
				.formatted(named.length() > 100 ? named.substring(0, 100) + "…" : named));
		}
		List<String> failed = chosen.failedRules(labels);
		if (!failed.isEmpty()) {
			return new Choice(List.of(), named,
					"its runbook label names %s, but that runbook's match rules do not hold: %s; the label may only choose among runbooks whose rules hold"
						.formatted(named, String.join("; ", failed)));
		}
		if (chosen.mode() == RunbookDefinition.Mode.MANUAL) {
			return new Choice(List.of(), named,
					"its runbook label names %s, which only starts when a person runs it".formatted(named));
		}
		return new Choice(List.of(chosen), named, null);
	}

	/** The problems of the last load. */
	public List<RunbookProblem> problems() {
		return this.snapshot.get().problems();
	}

	/**
	 * The SHA-256 over the runbook files as the last load read them: their names, in name
	 * order, and their contents; {@code unreadable} when the directory could not be
	 * listed.
	 */
	public String contentHash() {
		return this.snapshot.get().contentHash();
	}

	/**
	 * Reads the directory again and replaces the catalog. Never throws for anything in
	 * the files or the directory: that is what the report's problems are for.
	 */
	public LoadReport reload() {
		this.reloading.lock();
		try {
			Snapshot previous = this.snapshot.get();
			Snapshot next = load(previous);
			this.snapshot.set(next);
			next.problems().forEach((problem) -> log.warn("Runbook problem: {}", problem));
			log.info("Loaded {} runbook(s) from {} with {} problem(s)", next.all().size(), this.directory,
					next.problems().size());
			return new LoadReport(next.all().stream().map(RunbookDefinition::id).toList(), next.problems());
		}
		finally {
			this.reloading.unlock();
		}
	}

	private Snapshot load(Snapshot previous) {
		List<RunbookProblem> problems = new ArrayList<>();
		List<Path> files;
		try {
			files = files();
		}
		catch (NoSuchFileException ex) {
			problems.add(new RunbookProblem(DIRECTORY, 0,
					"the runbook directory " + this.directory.toAbsolutePath().normalize() + " does not exist"));
			return Snapshot.of(Map.of(), problems, ContentHash.UNREADABLE);
		}
		catch (IOException | RuntimeException ex) {
			problems.add(new RunbookProblem(DIRECTORY, 0,
					"cannot list the runbook directory " + this.directory.toAbsolutePath().normalize() + " (" + ex
							+ "); keeping the runbooks loaded before"));
			return Snapshot.of(previous.byFile(), problems, ContentHash.UNREADABLE);
		}
		Map<String, RunbookDefinition> byFile = new TreeMap<>();
		Map<String, String> fileById = new HashMap<>();
		ContentHash hash = ContentHash.files();
		for (Path path : files) {
			String file = path.getFileName().toString();
			ConfigText.Read text = ConfigText.file(path, "runbook file");
			hash.add(file, text);
			RunbookParser.Result result = read(file, path, text);
			problems.addAll(result.problems());
			RunbookDefinition definition = result.definition();
			if (definition != null && fileById.containsKey(definition.id())) {
				problems.add(new RunbookProblem(file, result.idLine(), "id '" + definition.id()
						+ "' is already used by " + fileById.get(definition.id()) + "; ids must be unique"));
				definition = null;
			}
			if (definition == null) {
				definition = lastGood(previous, file, fileById);
			}
			if (definition != null) {
				byFile.put(file, definition);
				fileById.put(definition.id(), file);
			}
		}
		return Snapshot.of(byFile, problems, hash.hex());
	}

	private List<Path> files() throws IOException {
		if (!Files.isDirectory(this.directory)) {
			if (Files.exists(this.directory)) {
				throw new IOException("not a directory");
			}
			throw new NoSuchFileException(this.directory.toString());
		}
		try (Stream<Path> entries = Files.list(this.directory)) {
			return entries.filter(RunbookCatalog::isRunbookFile)
				.sorted(Comparator.comparing((path) -> path.getFileName().toString()))
				.toList();
		}
	}

	private static boolean isRunbookFile(Path path) {
		String name = path.getFileName().toString();
		String lower = name.toLowerCase(Locale.ROOT);
		// Dot files are editor backups and lock files, not runbooks.
		return !name.startsWith(".") && (lower.endsWith(".yaml") || lower.endsWith(".yml"))
				&& Files.isRegularFile(path);
	}

	private static RunbookParser.Result read(String file, Path path, ConfigText.Read read) {
		if (!read.ok()) {
			return failed(file, read.problem());
		}
		try {
			return RunbookParser.parse(file, path, read.text());
		}
		catch (RuntimeException ex) {
			// A bug here must cost one file, not the catalog or Warden's start.
			log.error("Unexpected failure reading runbook {}", path, ex);
			return failed(file, "could not be read: " + ex);
		}
	}

	private static RunbookParser.Result failed(String file, String reason) {
		return new RunbookParser.Result(null, List.of(new RunbookProblem(file, 0, reason)), 0);
	}

	private static RunbookDefinition lastGood(Snapshot previous, String file, Map<String, String> fileById) {
		RunbookDefinition kept = previous.byFile().get(file);
		if (kept == null || fileById.containsKey(kept.id())) {
			return null;
		}
		log.warn("Runbook file {} has problems; keeping its last good definition of '{}'", file, kept.id());
		return kept;
	}

	/**
	 * What an alert starts by itself.
	 *
	 * @param runbooks the runbooks it starts, sorted by id
	 * @param named the runbook its {@code runbook} label names, or null
	 * @param refusal why the label starts nothing, or null
	 */
	record Choice(List<RunbookDefinition> runbooks, String named, String refusal) {
	}

	/**
	 * What the catalog holds after one load, with the content hash of what that load read
	 * (so a hash always goes with its own problems); never changed after it is built.
	 */
	private record Snapshot(Map<String, RunbookDefinition> byFile, List<RunbookDefinition> all,
			Map<String, RunbookDefinition> byId, List<RunbookProblem> problems, String contentHash) {

		static final Snapshot EMPTY = of(Map.of(), List.of(), null);

		static Snapshot of(Map<String, RunbookDefinition> byFile, List<RunbookProblem> problems, String contentHash) {
			List<RunbookDefinition> all = byFile.values()
				.stream()
				.sorted(Comparator.comparing(RunbookDefinition::id))
				.toList();
			Map<String, RunbookDefinition> byId = new HashMap<>();
			all.forEach((definition) -> byId.put(definition.id(), definition));
			return new Snapshot(Map.copyOf(byFile), all, Map.copyOf(byId), List.copyOf(problems), contentHash);
		}

	}

}
