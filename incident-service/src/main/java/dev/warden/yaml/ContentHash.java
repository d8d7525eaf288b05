package dev.warden.yaml;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a configuration's content (one file, or the named files of a directory),
 * in lower-case hex: two instances that read the same bytes get the same hash, so
 * instances can tell whether they run the same configuration.
 */
public final class ContentHash {

	/** The hash of a file or directory that could not be read. */
	public static final String UNREADABLE = "unreadable";

	private final MessageDigest digest = sha256();

	private ContentHash() {
	}

	/** The hash of what a file read gave, or {@link #UNREADABLE} when it gave nothing. */
	public static String of(ConfigText.Read read) {
		if (!read.ok()) {
			return UNREADABLE;
		}
		ContentHash hash = new ContentHash();
		hash.digest.update(read.text().getBytes(StandardCharsets.UTF_8));
		return hash.hex();
	}

	/**
	 * A hash over several named files (a directory): add them in a fixed order, such as
	 * sorted by file name.
	 */
	public static ContentHash files() {
		return new ContentHash();
	}

	/**
	 * Adds one file: its name and its text, or that it could not be read. Name and text
	 * are length-prefixed, so no two different directories hash alike by moving bytes
	 * between a name and a text.
	 */
	public ContentHash add(String name, ConfigText.Read read) {
		part(name.getBytes(StandardCharsets.UTF_8));
		part(read.ok() ? read.text().getBytes(StandardCharsets.UTF_8) : new byte[0]);
		this.digest.update((byte) (read.ok() ? 1 : 0));
		return this;
	}

	/** The hash of the files added so far. */
	public String hex() {
		return HexFormat.of().formatHex(this.digest.digest());
	}

	private void part(byte[] bytes) {
		this.digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
		this.digest.update(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

}
