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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;

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
 * file lock. When the training fails, the instances start without a cache, as they did
 * before, and the training's log says why.
 */
final class ChildJvm {

	private static final Map<List<String>, Launch> LAUNCHES = new HashMap<>();

	private ChildJvm() {
	}

	/**
	 * The start of the command that runs a class in a JVM of its own with these options
	 * and Warden's classpath (and its ahead-of-time cache when there is one).
	 */
	static synchronized List<String> command(List<String> jvmOptions) {
		Launch launch = LAUNCHES.computeIfAbsent(List.copyOf(jvmOptions), ChildJvm::prepare);
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		if (launch.cache() != null) {
			command.add("-XX:AOTCache=" + launch.cache());
		}
		command.add("-D" + TestFork.CHILD + "=true");
		command.add("-cp");
		command.add(launch.classPath());
		return command;
	}

	private static String java() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static Launch prepare(List<String> jvmOptions) {
		List<String> entries = List.of(System.getProperty("java.class.path").split(File.pathSeparator));
		Path home = Path.of("target", "warden-child").toAbsolutePath();
		Path directory = home.resolve(key(jvmOptions, entries));
		try {
			Files.createDirectories(directory);
			try (FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
					StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
				List<String> classPath = new ArrayList<>();
				for (String entry : entries) {
					Path path = Path.of(entry);
					classPath.add(Files.isDirectory(path) ? packed(path, directory).toString() : entry);
				}
				String joined = String.join(File.pathSeparator, classPath);
				Launch launch = new Launch(joined, cache(jvmOptions, joined, directory));
				forgetOlder(home, directory);
				return launch;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Removes the jars and caches of earlier builds (an AOT cache is some 175 MB), except
	 * those made in the last hour, which a build still running in the same directory may
	 * be using.
	 */
	private static void forgetOlder(Path home, Path current) {
		Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
		try (Stream<Path> builds = Files.list(home)) {
			builds.filter((build) -> !build.equals(current)).filter((build) -> {
				try {
					return Files.getLastModifiedTime(build).toInstant().isBefore(hourAgo);
				}
				catch (IOException ex) {
					return false;
				}
			}).forEach(ChildJvm::delete);
		}
		catch (IOException ex) {
			// Only disk space is at stake.
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
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
	 * {@code spring.context.exit=onRefresh}); null when the training failed.
	 */
	private static Path cache(List<String> jvmOptions, String classPath, Path directory) throws IOException {
		Path cache = directory.resolve("warden.aot");
		Path failed = directory.resolve("training-failed");
		if (Files.exists(cache)) {
			return cache;
		}
		if (Files.exists(failed) || !"embedded".equals(System.getProperty(TestDatabase.SWITCH, "embedded"))) {
			return null;
		}
		Path part = directory.resolve("warden.aot.part");
		Path log = directory.resolve("training.log");
		Files.deleteIfExists(part);
		List<String> command = new ArrayList<>();
		command.add(java());
		command.addAll(jvmOptions);
		command.add("-XX:AOTCacheOutput=" + part);
		command.add("-Dspring.context.exit=onRefresh");
		command.add("-D" + TestFork.CHILD + "=true");
		command.add("-cp");
		command.add(classPath);
		command.add("dev.warden.WardenApplication");
		command.add("--spring.datasource.url=" + SharedPostgres.newDatabase());
		command.add("--spring.datasource.username=postgres");
		command.add("--spring.datasource.password=postgres");
		command.add("--warden.storage.directory=" + directory.resolve("training-data"));
		command.add("--spring.main.banner-mode=off");
		Process training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		try {
			if (!training.waitFor(5, TimeUnit.MINUTES)) {
				training.destroyForcibly().waitFor();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			training.destroyForcibly();
		}
		if (!training.isAlive() && training.exitValue() == 0 && Files.exists(part)) {
			Files.move(part, cache, StandardCopyOption.ATOMIC_MOVE);
			return cache;
		}
		Files.writeString(failed, "The training start failed; Wardens in JVMs of their own start without a cache."
				+ " See " + log + System.lineSeparator());
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
			parts.add(java());
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
