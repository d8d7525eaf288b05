package dev.warden.yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the text of a configuration file (routing, on-call, heartbeats, a runbook) the
 * same way for every catalog: strict UTF-8, at most {@link #MAX_SIZE} bytes, and a
 * problem in words instead of an exception, so that a bad file costs a reload, never the
 * configuration in use or Warden's start.
 */
public final class ConfigText {

	/** Larger files are not read: a configuration file is a few pages of YAML. */
	public static final int MAX_SIZE = 1024 * 1024;

	private ConfigText() {
	}

	/**
	 * Reads a file.
	 * @param file the file
	 * @param what what the file is, for the problem when it is missing, such as
	 * {@code "routing file"}
	 */
	public static Read file(Path file, String what) {
		if (Files.isDirectory(file)) {
			return Read.problem("cannot read the file (it is a directory)");
		}
		try (InputStream in = Files.newInputStream(file)) {
			return read(in);
		}
		catch (NoSuchFileException ex) {
			return Read.problem("the " + what + " " + file.toAbsolutePath().normalize() + " does not exist");
		}
		catch (IOException ex) {
			return Read.problem("cannot read the file (" + ex.getMessage() + ")");
		}
	}

	/** Reads a file shipped in Warden's jar. */
	public static Read resource(String resource) {
		try (InputStream in = ConfigText.class.getClassLoader().getResourceAsStream(resource)) {
			if (in == null) {
				return Read.problem("the shipped file " + resource + " is missing from the classpath");
			}
			return read(in);
		}
		catch (IOException ex) {
			return Read.problem("cannot read the file (" + ex.getMessage() + ")");
		}
	}

	private static Read read(InputStream in) throws IOException {
		byte[] bytes = in.readNBytes(MAX_SIZE + 1);
		if (bytes.length > MAX_SIZE) {
			return Read.problem("the file is larger than " + (MAX_SIZE / 1024) + " KiB");
		}
		try {
			return new Read(StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString(), null);
		}
		catch (CharacterCodingException ex) {
			return Read.problem("the file is not UTF-8 text");
		}
	}

	/**
	 * A file's text, or why there is none.
	 *
	 * @param text the text, or null
	 * @param problem why there is no text, or null
	 */
	public record Read(String text, String problem) {

		static Read problem(String problem) {
			return new Read(null, problem);
		}

		/** Whether there is text to parse. */
		public boolean ok() {
			return this.text != null;
		}

	}

}
