package dev.warden;

import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives every test context's embedded PostgreSQL a port from this test JVM's block (see
 * {@link TestFork}) unless the test names one: left to pick its own, PostgreSQL's
 * launcher looks up a free port and binds it only after {@code initdb}, seconds later,
 * when another test JVM may have taken it. Registered in
 * {@code META-INF/spring.factories} of the test classpath, so it applies to every context
 * a test boots, and never to the Wardens tests start in JVMs of their own (those run the
 * packaged application).
 */
public final class TestForkPorts implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	static final String PORT = "warden.storage.embedded-postgres.port";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		if (TestFork.child()) {
			return;
		}
		context.getEnvironment()
			.getPropertySources()
			.addLast(new MapPropertySource("test-fork-ports", Map.of(PORT, TestFork.freePort())));
	}

}
