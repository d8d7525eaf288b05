package dev.warden;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

/**
 * How a Warden that a test starts in a JVM of its own ({@link WardenProcess}) is
 * launched: the test classpath with its two directories ({@code target/classes} and
 * {@code target/test-classes}) packed into jars, and an ahead-of-time cache (JDK 25's
 * {@code -XX:AOTCache}, the successor of class-data sharing) made by one training start
 * of Warden: the instance then finds its classes already loaded and linked instead of
 * reading, verifying and linking some 15,000 of them from about 260 jars, which is most
 * of a start's CPU time.
 * <p>
 * The cache holds classes from jars only (the JVM refuses a classpath directory), hence
 * the packing. Jars and cache are made once per build and per set of JVM options, under
 * {@code target/warden-child/<key>}, where the key is a digest of the JDK, the options,
 * the classpath and every file in its directories, so a change to any class makes a new
 * one; the test JVMs of a run (Surefire's forks) share it, one of them making it under a
 * file lock. Each use marks its directory as used; directories unused for an hour (an
 * earlier build's) are removed, unless a test JVM holds their lock.
 * <p>
 * Nothing here may stop a test: when packing fails, the instances start from the test
 * classpath as it is; when the training fails, they start from the jars without a cache,
 * and stderr names the training's log. The training needs the test JVM's shared embedded
 * PostgreSQL ({@link SharedPostgres}), so with {@code -Dwarden.test.db=testcontainers}
 * there is no cache. Benchmarks start their Wardens with neither jars nor cache
 * ({@link #plainCommand}), as Warden runs in production.
 */
final class ChildJvm {

	private static final Map<List<String>, Launch> LAUNCHES = new HashMap<>();

	private static final Duration UNUSED = Duration.ofHours(1);

	private ChildJvm() {
	}

	/**
	 * The start of the command that runs a class in a JVM of its own with these options
	 * and Warden's classpath (and its ahead-of-time cache when there is one).
	 */
	static synchronized List<String> command(List<String> jvmOptions) {
		Launch launch = LAUNCHES.computeIfAbsent(List.copyOf(jvmOptions), ChildJvm::prepareOrPlain);
		return command(jvmOptions, launch, List.of());
	}

	/**
	 * The start of the command that runs a class in a JVM of its own with these options
	 * and the test classpath as it is: no jars, no cache.
	 */
	static List<String> plainCommand(List<String> jvmOptions) {
		return command(jvmOptions, plain(), List.of());
	}

	private static List<String> command(List<String> jvmOptions, Launch launch, List<String> more) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(jvmOptions);
		if (launch.cache() != null) {
			command.add("-XX:AOTCache=" + launch.cache());
		}
		command.addAll(more);
		command.add("-D" + TestFork.CHILD + "=true");
		command.add("-cp");
		command.add(launch.classPath());
		return command;
	}

	private static Launch plain() {
		return new Launch(System.getProperty("java.class.path"), null);
	}

	private static Launch prepareOrPlain(List<String> jvmOptions) {
		try {
			return prepare(jvmOptions);
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("Wardens in JVMs of their own start from the test classpath, without an AOT cache: "
					+ "could not pack it (" + ex + ")");
			return plain();
		}
	}

	private static Launch prepare(List<String> jvmOptions) throws IOException {
		List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
		Path home = Path.of("target", "warden-child").toAbsolutePath();
		Path directory = home.resolve(key(jvmOptions, entries));
		Files.createDirectories(directory);
		try (FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			Files.setLastModifiedTime(directory, FileTime.from(Instant.now()));
			List<String> classPath = new ArrayList<>();
			for (String entry : entries) {
				Path path = Path.of(entry);
				classPath.add(Files.isDirectory(path) ? packed(path, directory).toString() : entry);
			}
			Launch jars = new Launch(String.join(File.pathSeparator, classPath), null);
			Launch launch = new Launch(jars.classPath(), cache(jvmOptions, jars, directory));
			forgetUnused(home, directory);
			return launch;
		}
	}

	/**
	 * Removes the jars and caches (an AOT cache is some 175 MB) that no build used for an
	 * hour and no test JVM holds the lock of.
	 */
	private static void forgetUnused(Path home, Path current) {
		Instant unusedSince = Instant.now().minus(UNUSED);
		try (Stream<Path> builds = Files.list(home)) {
			builds.filter((build) -> !build.equals(current) && Files.isDirectory(build))
				.filter((build) -> unusedSince(build, unusedSince))
				.forEach(ChildJvm::forgetIfFree);
		}
		catch (IOException ex) {
			// Only disk space is at stake.
		}
	}

	private static boolean unusedSince(Path build, Instant since) {
		try {
			return Files.getLastModifiedTime(build).toInstant().isBefore(since);
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void forgetIfFree(Path build) {
		try (FileChannel channel = FileChannel.open(build.resolve("lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.tryLock()) {
			if (lock != null) {
				FileSystemUtils.deleteRecursively(build);
			}
		}
		catch (IOException | RuntimeException ex) {
			// Only disk space is at stake.
		}
	}

	/**
	 * A jar with this classpath directory's files, made unless an earlier test JVM of
	 * this build made it.
	 */
	private static Path packed(Path classes, Path directory) throws IOException {
		Path jar = directory.resolve(classes.getFileName() + ".jar");
		if (Files.exists(jar)) {
			return jar;
		}
		Path part = directory.resolve(classes.getFileName() + ".jar.part");
		Files.deleteIfExists(part);
		StringWriter output = new StringWriter();
		int exit = ToolProvider.findFirst("jar")
			.orElseThrow(() -> new IllegalStateException("The JDK running the tests has no jar tool"))
			.run(new PrintWriter(output), new PrintWriter(output), "--create", "--no-manifest", "--file",
					part.toString(), "-C", classes.toString(), ".");
		if (exit != 0) {
			throw new IllegalStateException("Could not pack " + classes + " into a jar: " + output);
		}
		Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE);
		return jar;
	}

	/**
	 * The ahead-of-time cache for this classpath and these options, made by a training
	 * start of Warden that stops once its application context is refreshed (Spring's
	 * {@code spring.context.exit=onRefresh}); null when there is none.
	 */
	private static Path cache(List<String> jvmOptions, Launch jars, Path directory) throws IOException {
		Path cache = directory.resolve("warden.aot");
		Path failed = directory.resolve("training-failed");
		if (Files.exists(cache)) {
			return cache;
		}
		if (Files.exists(failed) || !"embedded".equals(System.getProperty(TestDatabase.SWITCH, "embedded"))) {
			return null;
		}
		Path part = directory.resolve("warden.aot." + ProcessHandle.current().pid() + ".part");
		Path log = directory.resolve("training.log");
		List<String> command = new ArrayList<>(
				command(jvmOptions, jars, List.of("-XX:AOTCacheOutput=" + part, "-Dspring.context.exit=onRefresh")));
		command.add("dev.warden.WardenApplication");
		WardenProcess.database(SharedPostgres.newDatabase(), SharedPostgres.USER, SharedPostgres.PASSWORD)
			.forEach((key, value) -> command.add("--" + key + "=" + value));
		command.add("--warden.storage.directory=" + directory.resolve("training-data"));
		command.add("--spring.main.banner-mode=off");
		Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			if (!training.waitFor(5, TimeUnit.MINUTES)) {
				training.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			// Not the training's fault: the next test JVM tries again.
			training.destroyForcibly();
			Thread.currentThread().interrupt();
			return null;
		}
		if (training.exitValue() == 0 && Files.exists(part)) {
			Files.move(part, cache, StandardCopyOption.ATOMIC_MOVE);
			return cache;
		}
		Files.deleteIfExists(part);
		Files.writeString(failed, "The training start failed; Wardens in JVMs of their own start without a cache."
				+ " See " + log + System.lineSeparator());
		System.err.println(
				"Wardens in JVMs of their own start without an AOT cache: the training start failed;" + " see " + log);
		return null;
	}

	/**
	 * A digest of everything the jars and the cache are made of: the JDK, the JVM
	 * options, the classpath, and the name, size and time of each file in its
	 * directories.
	 */
	private static String key(List<String> jvmOptions, List<String> entries) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			List<String> parts = new ArrayList<>();
			parts.add(Runtime.version().toString());
			parts.add(ProcessHandle.current().info().command().orElse("java"));
			parts.addAll(jvmOptions);
			for (String entry : entries) {
				parts.add(entry);
				Path path = Path.of(entry);
				if (Files.isDirectory(path)) {
					try (Stream<Path> files = Files.walk(path)) {
						files.filter(Files::isRegularFile).sorted().forEach((file) -> {
							try {
								parts.add(path.relativize(file) + " " + Files.size(file) + " "
										+ Files.getLastModifiedTime(file).toMillis());
							}
							catch (IOException ex) {
								throw new UncheckedIOException(ex);
							}
						});
					}
				}
			}
			for (String part : parts) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			return HexFormat.of().formatHex(digest.digest(), 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private record Launch(String classPath, Path cache) {
	}

}
