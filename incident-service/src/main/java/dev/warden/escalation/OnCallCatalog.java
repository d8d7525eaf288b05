package dev.warden.escalation;

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
 * The users, schedules and escalation policies of the on-call file, loaded at start and
 * again on {@link #reload()}.
 * <p>
 * The file is all or nothing: with any problem (reported with file, line and reason) the
 * catalog keeps what it loaded last without problems, or stays empty when nothing ever
 * loaded; Warden still starts. Readers see an immutable snapshot that a reload replaces
 * at once.
 */
@Component
class OnCallCatalog {

	private static final Logger log = LoggerFactory.getLogger(OnCallCatalog.class);

	private final Path file;

	private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);

	private final Lock reloading = new ReentrantLock();

	/**
	 * The content hash of what the running load read; guarded by {@code reloading}, then
	 * kept in the snapshot, so that a hash always goes with the problems of its own load.
	 */
	private String readHash = ContentHash.UNREADABLE;

	OnCallCatalog(OnCallSettings settings) {
		this.file = settings.file();
		reload();
	}

	/** Every user, in file order. */
	List<User> users() {
		return List.copyOf(this.snapshot.get().users().values());
	}

	Optional<User> user(String name) {
		return Optional.ofNullable(this.snapshot.get().users().get(name));
	}

	/** Every schedule, in file order. */
	List<Schedule> schedules() {
		return List.copyOf(this.snapshot.get().schedules().values());
	}

	Optional<Schedule> schedule(String name) {
		return Optional.ofNullable(this.snapshot.get().schedules().get(name));
	}

	/** Every escalation policy, in file order. */
	List<EscalationPolicy> policies() {
		return List.copyOf(this.snapshot.get().policies().values());
	}

	Optional<EscalationPolicy> policy(String name) {
		return Optional.ofNullable(this.snapshot.get().policies().get(name));
	}

	/**
	 * The problems of the last load; when there are any, the catalog is older than the
	 * file.
	 */
	List<OnCallProblem> problems() {
		return this.snapshot.get().problems();
	}

	/**
	 * The SHA-256 of the file as the last load read it (whether or not it was applied),
	 * or {@code unreadable}.
	 */
	String contentHash() {
		return this.snapshot.get().contentHash();
	}

	/**
	 * Reads the file again and, when it has no problems, replaces the catalog. Never
	 * throws for anything in the file: that is what the report's problems are for.
	 */
	LoadReport reload() {
		this.reloading.lock();
		try {
			Snapshot previous = this.snapshot.get();
			OnCallParser.Result result = read();
			boolean applied = result.problems().isEmpty();
			Snapshot next = applied ? Snapshot.of(result.users(), result.schedules(), result.policies(), List.of())
					: new Snapshot(previous.users(), previous.schedules(), previous.policies(), result.problems(),
							null);
			next = next.read(this.readHash);
			this.snapshot.set(next);
			next.problems().forEach((problem) -> log.warn("On-call file problem: {}", problem));
			if (applied) {
				log.info("Loaded {} user(s), {} schedule(s) and {} escalation policy(ies) from {}", next.users().size(),
						next.schedules().size(), next.policies().size(), name());
			}
			else {
				log.warn(
						"On-call file {} has {} problem(s); keeping the {} user(s), {} schedule(s) and {} escalation"
								+ " policy(ies) loaded before",
						name(), next.problems().size(), next.users().size(), next.schedules().size(),
						next.policies().size());
			}
			return new LoadReport(applied, List.copyOf(next.users().keySet()), List.copyOf(next.schedules().keySet()),
					List.copyOf(next.policies().keySet()), next.problems());
		}
		finally {
			this.reloading.unlock();
		}
	}

	private OnCallParser.Result read() {
		String name = name();
		ConfigText.Read read = (this.file != null) ? ConfigText.file(this.file, "on-call file")
				: ConfigText.resource(OnCallSettings.DEFAULT_RESOURCE);
		this.readHash = ContentHash.of(read);
		if (!read.ok()) {
			return failed(name, read.problem());
		}
		try {
			return OnCallParser.parse(name, read.text());
		}
		catch (RuntimeException ex) {
			// A bug here must cost a reload, not Warden's start.
			log.error("Unexpected failure reading the on-call file {}", name, ex);
			return failed(name, "could not be read: " + ex);
		}
	}

	private String name() {
		return (this.file != null) ? this.file.toString() : "classpath:" + OnCallSettings.DEFAULT_RESOURCE;
	}

	private static OnCallParser.Result failed(String file, String reason) {
		return new OnCallParser.Result(List.of(), List.of(), List.of(), List.of(new OnCallProblem(file, 0, reason)));
	}

	/**
	 * The outcome of loading the on-call file.
	 *
	 * @param applied whether the file had no problems and replaced what was loaded before
	 * @param users the names of the users loaded now
	 * @param schedules the names of the schedules loaded now
	 * @param policies the names of the escalation policies loaded now
	 * @param problems every problem found, by line
	 */
	record LoadReport(boolean applied, List<String> users, List<String> schedules, List<String> policies,
			List<OnCallProblem> problems) {

		/** Like {@code applied, 3 schedules}, for the audit log. */
		String summary() {
			return this.applied
					? "applied: users %d, schedules %d, policies %d".formatted(this.users.size(), this.schedules.size(),
							this.policies.size())
					: "kept the last good version, %d problem(s)".formatted(this.problems.size());
		}
	}

	/** What the catalog holds after one load; never changed after it is built. */
	private record Snapshot(Map<String, User> users, Map<String, Schedule> schedules,
			Map<String, EscalationPolicy> policies, List<OnCallProblem> problems, String contentHash) {

		static final Snapshot EMPTY = of(List.of(), List.of(), List.of(), List.of());

		static Snapshot of(List<User> users, List<Schedule> schedules, List<EscalationPolicy> policies,
				List<OnCallProblem> problems) {
			Map<String, User> byName = new LinkedHashMap<>();
			users.forEach((user) -> byName.put(user.name(), user));
			Map<String, Schedule> schedulesByName = new LinkedHashMap<>();
			schedules.forEach((schedule) -> schedulesByName.put(schedule.name(), schedule));
			Map<String, EscalationPolicy> policiesByName = new LinkedHashMap<>();
			policies.forEach((policy) -> policiesByName.put(policy.name(), policy));
			return new Snapshot(Collections.unmodifiableMap(byName), Collections.unmodifiableMap(schedulesByName),
					Collections.unmodifiableMap(policiesByName), List.copyOf(problems), null);
		}

		/** This snapshot, as the load that read content with this hash made it. */
		Snapshot read(String hash) {
			return new Snapshot(this.users, this.schedules, this.policies, this.problems, hash);
		}

	}

}
