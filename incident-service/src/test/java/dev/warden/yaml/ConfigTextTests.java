package dev.warden.yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigTextTests {

	@TempDir
	Path directory;

	@Test
	void readsUtf8Text() throws IOException {
		Path file = Files.writeString(this.directory.resolve("routing.yaml"), "route:\n  receiver: ü\n");

		ConfigText.Read read = ConfigText.file(file, "routing file");

		assertThat(read.ok()).isTrue();
		assertThat(read.text()).isEqualTo("route:\n  receiver: ü\n");
		assertThat(read.problem()).isNull();
	}

	@Test
	void missingFileNamesWhatIsMissingAndWhere() {
		ConfigText.Read read = ConfigText.file(this.directory.resolve("gone.yaml"), "on-call file");

		assertThat(read.ok()).isFalse();
		assertThat(read.problem()).isEqualTo("the on-call file "
				+ this.directory.resolve("gone.yaml").toAbsolutePath().normalize() + " does not exist");
	}

	@Test
	void directoryIsAProblem() {
		assertThat(ConfigText.file(this.directory, "heartbeat file").problem())
			.isEqualTo("cannot read the file (it is a directory)");
	}

	@Test
	void fileOverTheLimitIsNotRead() throws IOException {
		Path file = Files.write(this.directory.resolve("big.yaml"), new byte[ConfigText.MAX_SIZE + 1]);
		Path atLimit = Files.write(this.directory.resolve("limit.yaml"), new byte[ConfigText.MAX_SIZE]);

		assertThat(ConfigText.file(file, "runbook file").problem()).isEqualTo("the file is larger than 1024 KiB");
		assertThat(ConfigText.file(atLimit, "runbook file").ok()).isTrue();
	}

	@Test
	void textThatIsNotUtf8IsAProblem() throws IOException {
		Path file = Files.write(this.directory.resolve("latin1.yaml"), new byte[] { 'a', ':', ' ', (byte) 0xE9 });

		assertThat(ConfigText.file(file, "routing file").problem()).isEqualTo("the file is not UTF-8 text");
	}

	@Test
	void shippedResourceIsReadAndAMissingOneIsAProblem() {
		assertThat(ConfigText.resource("heartbeats/default-heartbeats.yaml").text()).contains("alert-pipeline");
		assertThat(ConfigText.resource("nowhere/none.yaml").problem())
			.isEqualTo("the shipped file nowhere/none.yaml is missing from the classpath");
	}

}
