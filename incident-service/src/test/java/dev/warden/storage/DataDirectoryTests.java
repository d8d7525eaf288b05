package dev.warden.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class DataDirectoryTests {

	@TempDir
	Path temp;

	@Test
	void generatesASecretOnceKeepsItOwnerOnlyAndReusesIt() throws Exception {
		DataDirectory directory = DataDirectory.at(this.temp.resolve("data"));

		DataDirectory.GeneratedSecret first = directory.secret("token", "test token");
		DataDirectory.GeneratedSecret second = directory.secret("token", "test token");

		assertThat(first.value()).hasSizeGreaterThanOrEqualTo(40);
		assertThat(second.value()).isEqualTo(first.value());
		assertThat(Files.readString(first.file()).strip()).isEqualTo(first.value());
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.file()))).isEqualTo("rw-------");
		assertThat(first.toString()).doesNotContain(first.value());
	}

	@Test
	void differentNamesGetDifferentSecrets() {
		DataDirectory directory = DataDirectory.at(this.temp);

		assertThat(directory.secret("a", "a").value()).isNotEqualTo(directory.secret("b", "b").value());
	}

}
