package dev.warden.yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Content hashes: the SHA-256 of exactly the bytes read, so that two instances reading
 * the same files agree and any change (content, a file's name, a file more) shows.
 */
class ContentHashTests {

	@TempDir
	Path directory;

	@Test
	void aFileHashesToTheSha256OfItsBytes() throws IOException {
		Path file = Files.writeString(this.directory.resolve("routing.yaml"), "abc", StandardCharsets.UTF_8);

		assertThat(ContentHash.of(ConfigText.file(file, "routing file")))
			.isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	}

	@Test
	void anUnreadableFileHasNoHashButSaysSo() {
		assertThat(ContentHash.of(ConfigText.file(this.directory.resolve("missing.yaml"), "routing file")))
			.isEqualTo(ContentHash.UNREADABLE);
	}

	@Test
	void filesHashTogetherByNameAndContent() {
		String both = ContentHash.files().add("a.yaml", text("one")).add("b.yaml", text("two")).hex();

		assertThat(ContentHash.files().add("a.yaml", text("one")).add("b.yaml", text("two")).hex()).isEqualTo(both);
		assertThat(ContentHash.files().add("a.yaml", text("one")).add("b.yaml", text("two!")).hex()).isNotEqualTo(both);
		assertThat(ContentHash.files().add("a.yaml", text("one")).add("c.yaml", text("two")).hex()).isNotEqualTo(both);
		assertThat(ContentHash.files().add("a.yaml", text("one")).hex()).isNotEqualTo(both);
		// Bytes moved between a name and a content make another directory.
		assertThat(ContentHash.files().add("a.yamlo", text("ne")).add("b.yaml", text("two")).hex()).isNotEqualTo(both);
		assertThat(ContentHash.files().add("a.yaml", text("one")).add("b.yaml", ConfigText.Read.problem("gone")).hex())
			.isNotEqualTo(ContentHash.files().add("a.yaml", text("one")).add("b.yaml", text("")).hex());
	}

	private static ConfigText.Read text(String text) {
		return new ConfigText.Read(text, null);
	}

}
