package dev.warden.routing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import dev.warden.yaml.ConfigText;
import dev.warden.yaml.ContentHash;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The routing tree: decides, from an alert's labels, which routes it ends up in and what
 * they do. Loaded from the routing file at start and again on {@link #reload()}.
 * <p>
 * A file with problems is reported (file, line, reason) and never replaces the tree in
 * use, so a broken reload keeps the last good tree; a broken file at start leaves an
 * empty root route (it matches, notifies no one) and never stops Warden from starting.
 * Readers see an immutable tree that a reload replaces at once.
 */
@Component
public class Routing {

	/**
	 * The routing file shipped in the jar, used when {@code warden.routing.file} is
	 * unset.
	 */
	static final String DEFAULT = "routing/default-routing.yaml";

	/** The routing file's kind among the configurations instances share. */
	public static final String CONFIG_KIND = "routing";

	private static final Logger log = LoggerFactory.getLogger(Routing.class);

	private final Path file;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(
			new Snapshot(Route.empty(), List.of(), false, null, null));

	private final Lock reloading = new ReentrantLock();

	Routing(RoutingSettings settings) {
		this.file = settings.file();
		reload();
	}

	/**
	 * The routes an alert with these labels ends up in, in order, and what each would do
	 * at the given time. Never empty: the root route matches every alert.
	 * @param labels the alert's labels
	 * @param at when, for mute windows
	 */
	public List<RouteDecision> route(Map<String, String> labels, Instant at) {
		return decide(labels, at).routes();
	}

	/**
	 * Like {@link #route}, with the content hash of the routing file the tree in use came
	 * from, read from the same snapshot: the routes and the hash always belong together,
	 * however a reload races.
	 */
	public Decisions decide(Map<String, String> labels, Instant at) {
		Objects.requireNonNull(at, "at");
		Map<String, String> given = (labels != null) ? labels : Map.of();
		Snapshot snapshot = this.snapshot.get();
		return new Decisions(snapshot.root().match(given).stream().map((route) -> route.decide(at)).toList(),
				snapshot.treeHash());
	}

	/**
	 * The SHA-256 of the routing file as the last load read it (whether or not its tree
	 * is in use), or {@code unreadable}.
	 */
	public String contentHash() {
		return this.snapshot.get().readHash();
	}

	/**
	 * What the last load read: its content hash and problems, from one snapshot, so that
	 * a reload in between cannot pair them from two loads.
	 */
	LastLoad lastLoad() {
		Snapshot snapshot = this.snapshot.get();
		return new LastLoad(snapshot.readHash(), snapshot.problems());
	}

	/**
	 * The content hash and problems of one load.
	 *
	 * @param contentHash the SHA-256 of what was read, or {@code unreadable}
	 * @param problems its problems
	 */
	record LastLoad(String contentHash, List<RoutingProblem> problems) {
	}

	/** The problems of the last load; empty when the file in use loaded cleanly. */
	public List<RoutingProblem> problems() {
		return this.snapshot.get().problems();
	}

	/**
	 * Reads the routing file again and uses its tree if it has no problems. Never throws
	 * for anything in the file: that is what the report's problems are for.
	 */
	public LoadReport reload() {
		this.reloading.lock();
		try {
			String source = source();
			ConfigText.Read text = (this.file != null) ? ConfigText.file(this.file, "routing file")
					: ConfigText.resource(DEFAULT);
			String hash = ContentHash.of(text);
			RoutingParser.Result result = parse(source, text);
			Snapshot previous = this.snapshot.get();
			boolean applied = result.root() != null;
			Snapshot next = applied ? new Snapshot(result.root(), List.of(), true, hash, hash)
					: new Snapshot(previous.root(), result.problems(), previous.loaded(), previous.treeHash(), hash);
			this.snapshot.set(next);
			if (applied) {
				log.info("Loaded the routing tree ({} routes) from {}", next.root().size(), source);
			}
			else {
				result.problems().forEach((problem) -> log.warn("Routing problem: {}", problem));
				log.warn("The routing file {} has {} problem(s); {}", source, result.problems().size(),
						previous.loaded() ? "keeping the last good routing tree"
								: "no routing tree loaded yet: every alert goes to an empty root route");
			}
			return new LoadReport(source, applied, next.root().size(), result.problems());
		}
		finally {
			this.reloading.unlock();
		}
	}

	/** The tree in use. */
	Route root() {
		return this.snapshot.get().root();
	}

	/** Where the tree comes from, for people. */
	String source() {
		return (this.file != null) ? this.file.toString() : "classpath:" + DEFAULT;
	}

	private RoutingParser.Result parse(String source, ConfigText.Read read) {
		if (!read.ok()) {
			return failed(source, read.problem());
		}
		try {
			return RoutingParser.parse(source, read.text());
		}
		catch (RuntimeException ex) {
			// A bug here must cost the reload, not the tree in use or Warden's start.
			log.error("Unexpected failure reading the routing file {}", source, ex);
			return failed(source, "could not be read: " + ex);
		}
	}

	private static RoutingParser.Result failed(String source, String reason) {
		return new RoutingParser.Result(null, List.of(new RoutingProblem(source, 0, reason)));
	}

	/**
	 * The routes an alert ends up in, and where the tree that decided came from.
	 *
	 * @param routes the matched routes, in order; never empty
	 * @param contentHash the SHA-256 of the routing file whose tree decided, or null for
	 * the empty root route used while no file ever loaded
	 */
	public record Decisions(List<RouteDecision> routes, String contentHash) {

		public Decisions {
			routes = List.copyOf(routes);
		}

	}

	/**
	 * The tree in use and the problems of the last load.
	 *
	 * @param loaded whether the tree came from a file (false for the empty start tree)
	 * @param treeHash the content hash of the file the tree in use came from, or null
	 * @param readHash the content hash of the file the last load read
	 */
	private record Snapshot(Route root, List<RoutingProblem> problems, boolean loaded, String treeHash,
			String readHash) {

		Snapshot {
			problems = List.copyOf(problems);
		}

	}

}
