package dev.warden.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where Debian's {@code haproxy} is installed, and decides what
 * happens when it is not: with {@code WARDEN_REQUIRE_HAPROXY=true} (as in CI) the class
 * fails, otherwise it is skipped with a message saying so. Use with
 * {@code @ExtendWith(HaproxyAvailable.class)}.
 */
public class HaproxyAvailable implements BeforeAllCallback {

	private static final List<String> PLACES = List.of("/usr/sbin/haproxy", "/usr/bin/haproxy",
			"/usr/local/sbin/haproxy");

	/** The HAProxy binary, or {@code haproxy} (from the PATH) when none is found. */
	static String binary() {
		return PLACES.stream().filter((place) -> Files.isExecutable(Path.of(place))).findFirst().orElse("haproxy");
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (PLACES.stream().anyMatch((place) -> Files.isExecutable(Path.of(place)))) {
			return;
		}
		String message = "HAProxy is not installed (apt-get install haproxy): the multi-instance tests need it";
		if ("true".equalsIgnoreCase(System.getenv("WARDEN_REQUIRE_HAPROXY"))) {
			Assertions.fail(message);
		}
		System.err.println(message + "; SKIPPED");
		Assumptions.abort(message);
	}

}
