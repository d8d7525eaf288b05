package dev.warden;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Instant;

import com.github.kagkarlsson.scheduler.Scheduler;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

/**
 * Boots the whole service on a random port against real PostgreSQL (see
 * {@link TestDatabase}), with known webhook (Alertmanager's, Grafana's) and API secrets
 * and a {@link TestClock}. Test classes that share the same properties share one running
 * service, so tests use their own alert groups.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "warden.storage.directory=target/test-data/${random.uuid}",
				"warden.alertmanager.bearer-token=" + IntegrationTest.WEBHOOK_TOKEN,
				"warden.alertmanager.basic-username=alertmanager",
				"warden.alertmanager.basic-password=" + IntegrationTest.WEBHOOK_PASSWORD,
				"warden.api.token=" + IntegrationTest.API_TOKEN, "warden.alertmanager.max-body=64KB",
				"warden.grafana.token=" + IntegrationTest.GRAFANA_TOKEN, "warden.grafana.basic-username=grafana",
				"warden.grafana.basic-password=" + IntegrationTest.GRAFANA_PASSWORD, "warden.grafana.max-body=64KB",
				"spring.datasource.hikari.connection-timeout=1000",
				// Tests move the clock by hours; the stale-alert sweep has its own test.
				"warden.incidents.stale-after=0" })
@Import({ TestDatabase.class, IntegrationTest.Time.class })
public @interface IntegrationTest {

	String WEBHOOK_TOKEN = "test-webhook-token";

	String WEBHOOK_PASSWORD = "test-webhook-password";

	String API_TOKEN = "test-api-token";

	String GRAFANA_TOKEN = "test-grafana-token";

	String GRAFANA_PASSWORD = "test-grafana-password";

	/** Where every test context's clock starts. */
	Instant START = Instant.parse("2026-11-22T21:00:00Z");

	@TestConfiguration(proxyBeanMethods = false)
	class Time {

		@Bean
		@Primary
		TestClock testClock() {
			return new TestClock(START);
		}

		/**
		 * db-scheduler polls only while its clock moves, so its clock is the test clock
		 * plus the real time since start: jobs due at a test-clock instant run once the
		 * test moves the clock there, or once that much real time has passed.
		 */
		@Bean
		@Primary
		com.github.kagkarlsson.scheduler.Clock movingSchedulerClock(TestClock clock) {
			long start = System.nanoTime();
			return () -> clock.instant().plusNanos(System.nanoTime() - start);
		}

		/**
		 * Pauses db-scheduler while the context waits unused in Spring's context cache
		 * (Spring pauses a cached context's lifecycle beans when a test class switches to
		 * another context, and starts them again when a test takes it back). A job whose
		 * handler asks Warden's clock whether it is time yet (a runbook step waiting for
		 * an alert to resolve, an escalation level) is due by the moving clock above long
		 * before the test clock says so; it is then picked, told "not yet" and
		 * rescheduled, again and again, for as long as its context lives: left running in
		 * the cache, a few such contexts took a third of a test JVM's CPU, and
		 * PostgreSQL's for the queries of each pass.
		 */
		@Bean
		SmartLifecycle schedulerPause(ObjectProvider<Scheduler> scheduler) {
			return new SchedulerPause(scheduler);
		}

	}

	/** See {@link Time#schedulerPause}. */
	final class SchedulerPause implements SmartLifecycle {

		private final ObjectProvider<Scheduler> scheduler;

		private volatile boolean running;

		private volatile boolean paused;

		SchedulerPause(ObjectProvider<Scheduler> scheduler) {
			this.scheduler = scheduler;
		}

		@Override
		public void start() {
			this.running = true;
			Scheduler scheduler = this.scheduler.getIfAvailable();
			if (this.paused && scheduler != null) {
				scheduler.resume();
				this.paused = false;
			}
		}

		@Override
		public void stop() {
			this.running = false;
			Scheduler scheduler = this.scheduler.getIfAvailable();
			if (scheduler != null) {
				scheduler.pause();
				this.paused = true;
			}
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
