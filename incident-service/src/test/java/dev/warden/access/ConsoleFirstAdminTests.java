package dev.warden.access;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.warden.IntegrationTest;
import dev.warden.WardenProcess;
import dev.warden.console.ConsoleBrowser;
import dev.warden.storage.DataDirectory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first admin when none is configured: a password generated into the data directory,
 * created once, whatever starts later or alongside.
 */
@IntegrationTest
@TestPropertySource(properties = "warden.test.context=console-first-admin")
class ConsoleFirstAdminTests {

	@LocalServerPort
	int port;

	@Autowired
	DataDirectory dataDirectory;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PasswordEncoder passwordEncoder;

	@Autowired
	Clock clock;

	@Test
	void generatesThePasswordIntoTheDataDirectoryReadableByTheOwnerOnly() throws Exception {
		Path file = passwordFile();

		assertThat(file).exists();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
		String password = Files.readString(file, StandardCharsets.UTF_8).strip();
		assertThat(password).hasSizeGreaterThanOrEqualTo(UserAdministration.MIN_PASSWORD);
		assertThat(this.jdbc.sql("select password_hash from console_user where username = 'admin'")
			.query(String.class)
			.single()).doesNotContain(password);

		ConsoleBrowser admin = new ConsoleBrowser(this.port).signedIn("admin", password);

		assertThat(admin.get("/").body()).contains("Administrator", ">admin<");
		assertThat(admin.get("/admin/users").status()).isEqualTo(200);
	}

	@Test
	void laterStartsKeepTheFirstAdminAndItsPassword() throws Exception {
		Path file = passwordFile();
		String password = Files.readString(file, StandardCharsets.UTF_8);
		FileTime modified = Files.getLastModifiedTime(file);
		Map<String, String> properties = instance(url(), this.dataDirectory.root());
		properties.put("warden.console.admin.password", "configured-too-late-0123");

		try (WardenProcess later = WardenProcess.start("console-later-start", properties)) {
			assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(password);
			assertThat(Files.getLastModifiedTime(file)).isEqualTo(modified);
			assertThat(users(this.jdbc)).isEqualTo(1);
			assertThat(new ConsoleBrowser(later.port).signIn("admin", "configured-too-late-0123").location())
				.endsWith("/login?error");
			new ConsoleBrowser(later.port).signedIn("admin", password.strip());
		}
	}

	@Test
	void instancesStartingTogetherCreateOneAdminWithOnePassword() throws Exception {
		String database = "race_" + UUID.randomUUID().toString().replace("-", "");
		this.jdbc.sql("create database " + database).update();
		String url = url().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
		Path first = Path.of("target", "test-data", "console-race-a-" + UUID.randomUUID());
		Path second = Path.of("target", "test-data", "console-race-b-" + UUID.randomUUID());

		CompletableFuture<WardenProcess> a = CompletableFuture
			.supplyAsync(() -> WardenProcess.start("console-race-a", instance(url, first)));
		CompletableFuture<WardenProcess> b = CompletableFuture
			.supplyAsync(() -> WardenProcess.start("console-race-b", instance(url, second)));
		try (WardenProcess one = a.join(); WardenProcess other = b.join()) {
			HikariDataSource race = new HikariDataSource();
			race.setJdbcUrl(url);
			race.setUsername(((HikariDataSource) this.dataSource).getUsername());
			race.setPassword(((HikariDataSource) this.dataSource).getPassword());
			try (race) {
				assertThat(users(JdbcClient.create(race))).isEqualTo(1);
			}
			List<Path> files = Stream.of(first, second)
				.map((directory) -> directory.resolve(FirstAdmin.GENERATED_PASSWORD_FILE))
				.filter(Files::exists)
				.toList();
			assertThat(files).hasSize(1);
			String password = Files.readString(files.get(0), StandardCharsets.UTF_8).strip();
			new ConsoleBrowser(one.port).signedIn("admin", password);
			new ConsoleBrowser(other.port).signedIn("admin", password);
		}
	}

	@Test
	void instanceThatLostTheRaceRemovesThePasswordItGenerated(@TempDir Path elsewhere) {
		DataDirectory ownDirectory = DataDirectory.at(elsewhere);

		lostTheRace(ownDirectory).ensureFirstAdmin();

		assertThat(elsewhere.resolve(FirstAdmin.GENERATED_PASSWORD_FILE)).doesNotExist();
		assertThat(passwordFile()).exists();
		assertThat(users(this.jdbc)).isEqualTo(1);
	}

	@Test
	void instanceThatLostTheRaceInASharedDataDirectoryKeepsTheWinnersPassword() throws Exception {
		String password = Files.readString(passwordFile(), StandardCharsets.UTF_8);

		lostTheRace(this.dataDirectory).ensureFirstAdmin();

		assertThat(Files.readString(passwordFile(), StandardCharsets.UTF_8)).isEqualTo(password);
		new ConsoleBrowser(this.port).signedIn("admin", password.strip());
	}

	/**
	 * A first admin that sees no users, as an instance does whose start raced another's,
	 * and then finds its insert ignored.
	 */
	private FirstAdmin lostTheRace(DataDirectory directory) {
		ConsoleUsers raced = new ConsoleUsers(this.jdbc) {

			@Override
			boolean any() {
				return false;
			}

		};
		return new FirstAdmin(raced, new FirstAdminSettings("admin", null, "Administrator"), directory,
				this.passwordEncoder, this.clock);
	}

	private Path passwordFile() {
		return this.dataDirectory.root().resolve(FirstAdmin.GENERATED_PASSWORD_FILE);
	}

	private String url() {
		return ((HikariDataSource) this.dataSource).getJdbcUrl();
	}

	/**
	 * What another Warden on the same PostgreSQL needs, without a console admin password.
	 */
	private Map<String, String> instance(String url, Path dataDirectory) {
		Map<String, String> properties = new HashMap<>(WardenProcess.database(url, this.dataSource));
		properties.put("warden.storage.directory", dataDirectory.toString());
		properties.put("warden.alertmanager.bearer-token", IntegrationTest.WEBHOOK_TOKEN);
		properties.put("warden.api.token", IntegrationTest.API_TOKEN);
		properties.put("db-scheduler.enabled", "false");
		properties.put("spring.main.banner-mode", "off");
		return properties;
	}

	private static long users(JdbcClient jdbc) {
		return jdbc.sql("select count(*) from console_user").query(Long.class).single();
	}

}
