package dev.warden.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warden's local data directory. Other modules use it for secrets Warden generates on
 * first start when none is configured (closed by default, as Jenkins does with its first
 * admin password).
 */
public final class DataDirectory {

	private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);

	private static final SecureRandom random = new SecureRandom();

	private final Path root;

	private DataDirectory(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	/** The data directory at {@code root}, which need not exist yet. */
	public static DataDirectory at(Path root) {
		return new DataDirectory(root);
	}

	/** The absolute path of the data directory. */
	public Path root() {
		return this.root;
	}

	/**
	 * Returns the secret kept in the file {@code name} of the data directory, generating
	 * and storing a new random one (readable by the owner only) the first time.
	 * @param name file name inside the data directory
	 * @param purpose what the secret is for, used in the log line that says where to find
	 * it
	 * @return the secret, never blank
	 */
	public GeneratedSecret secret(String name, String purpose) {
		Path file = this.root.resolve(name);
		try {
			if (Files.exists(file)) {
				String existing = Files.readString(file, StandardCharsets.UTF_8).strip();
				if (!existing.isEmpty()) {
					log.info("{}: using the generated secret kept in {}", purpose, file);
					return new GeneratedSecret(existing, file);
				}
			}
			Files.createDirectories(this.root);
			byte[] bytes = new byte[32];
			random.nextBytes(bytes);
			String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			writeOwnerOnly(file, secret);
			log.warn("""

					*************************************************************
					{}: none configured, so Warden generated one.
					Find it in: {}
					*************************************************************""", purpose, file);
			return new GeneratedSecret(secret, file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the secret file " + file, ex);
		}
	}

	private static void writeOwnerOnly(Path file, String content) throws IOException {
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		try {
			Files.createFile(temporary,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException | FileAlreadyExistsException ex) {
			Files.createFile(temporary);
		}
		Files.writeString(temporary, content + "\n", StandardCharsets.UTF_8);
		Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * A secret Warden generated (or generated on an earlier start).
	 *
	 * @param value the secret
	 * @param file where it is kept
	 */
	public record GeneratedSecret(String value, Path file) {

		@Override
		public String toString() {
			return "GeneratedSecret[file=" + this.file + "]";
		}

	}

}
